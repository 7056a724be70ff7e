"""Probe kinds are registered units: the built-ins in their fixed order, each case kind judged by its
own kind's judge, and a kind registered from outside (here, in this file only) built, sent and judged
like a built-in one, then gone once unregistered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fcvalidate.api import events
from fcvalidate.checks.outcome import JUDGES, Answered, answer, probe
from fcvalidate.checks.registry import Violation
from fcvalidate.engine import probes
from fcvalidate.engine.events import CaseFinished, RunFinished
from fcvalidate.engine.probes.derive import case, like
from fcvalidate.exchange import Case, Expect
from fcvalidate.requirements import RequirementId as R
from tests.conftest import DATA_FILE, TOKEN

BUILT_IN = (
    "valid",
    "headers",
    "auth",
    "credential-places",
    "boundaries",
    "paging",
    "malformed",
    "invalid",
    "edge",
    "fuzz",
    "foreign",
    "methods",
)


def test_the_built_in_kinds_are_built_in_a_fixed_order_and_judge_their_own_case_kinds():
    assert tuple(k.name for k in probes.probe_kinds()) == BUILT_IN
    owners = {ck: k.name for k in probes.probe_kinds() for ck in k.judges}
    assert owners["missing-header"] == "headers" and owners["unknown-resource"] == "invalid"
    assert owners["optional-parameters"] == "boundaries" and owners["credential-case"] == "credential-places"
    # every case kind has exactly one judge, the one its kind registered
    assert {ck: JUDGES[ck] for ck in owners} == {
        ck: j for k in probes.probe_kinds() for ck, j in k.judges.items()
    }
    assert probes.probe_kind("valid").build is None  # the valid requests come first, from the runner


def test_every_module_of_the_package_is_a_kind_registered_by_the_package_itself():
    """A new built-in kind is its module alone: the package imports (so registers) every module of it but
    the shared ones, and `order` places it; the module names and the kinds' names correspond."""
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(probes.__path__)} - {"registry", "derive", "parts"}
    assert {k.name.replace("-", "_") for k in probes.probe_kinds()} == modules
    orders = [k.order for k in probes.probe_kinds()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_a_kind_is_built_where_its_order_places_it():
    probes.register(probes.ProbeKind("between", {"between": probe(lambda a: iter(()))}, order=55))
    try:
        names = [k.name for k in probes.probe_kinds()]
        assert names.index("paging") < names.index("between") < names.index("malformed")
    finally:
        probes.unregister("between")
    assert tuple(k.name for k in probes.probe_kinds()) == BUILT_IN


def test_a_name_or_case_kind_already_registered_is_refused():
    taken_name = probes.ProbeKind("edge", {"something-new": probe(lambda a: iter(()))})
    taken_case_kind = probes.ProbeKind("something-new", {"fuzz": probe(lambda a: iter(()))})
    for kind in (taken_name, taken_case_kind):
        with pytest.raises(ValueError, match="already registered"):
            probes.register(kind)
    assert tuple(k.name for k in probes.probe_kinds()) == BUILT_IN
    assert "something-new" not in JUDGES


# -- a probe kind from outside: one module's worth of code --------------------------------------------

EXTRA = "fcvalidate-extra"
judged: list[tuple[str, int]] = []


def extra_query_cases(given: probes.ProbeInput) -> list[Case]:
    """The valid request with one query parameter the document does not list."""
    op, ref = given.op, given.ref
    title = f"the valid request with an undocumented query parameter ({EXTRA})"
    return [
        case(
            op,
            R.NO_SERVER_ERRORS,
            "extra-query",
            0,
            title,
            headers=ref.headers,
            body=ref.body,
            expect=Expect("no-server-error"),
            source=op.source,
            parent=ref.id,
            **like(ref, query=(*ref.query, (EXTRA, "1"))),
        )
    ]


@probe
def extra_query_judge(a: Answered) -> Iterator[Violation]:
    judged.append((a.case.id, a.status))
    yield a.violation(
        f"Answered {a.status}: {a.case.title}",
        "any answer",
        answer(a.response),
        severity="warning",
        basis="this test's own probe kind: every answer is noted",
    )


def run(url: str) -> tuple[list[CaseFinished], set[str]]:
    """The cases sent, and the cases of the verdicts' findings of this kind."""
    finished, found = [], set()
    for event in events(url, data=DATA_FILE, token=TOKEN, max_examples=1, cache=False):
        if isinstance(event, CaseFinished):
            finished.append(event)
        elif isinstance(event, RunFinished):
            found = {
                cid
                for r in event.result.results
                for f in r.findings
                if f.violation.title.startswith("Answered") and EXTRA in f.violation.title
                for cid in f.case_ids
            }
    return finished, found


def test_a_probe_kind_registered_from_outside_is_sent_and_judged(reference_url):
    judged.clear()
    probes.register(probes.ProbeKind("extra-query", {"extra-query": extra_query_judge}, extra_query_cases))
    try:
        assert probes.probe_kinds()[-1].name == "extra-query"  # built after the built-in kinds
        finished, found = run(reference_url)
    finally:
        probes.unregister("extra-query")
    sent = {e.exchange.case.id: e for e in finished if e.exchange.case.kind == "extra-query"}
    assert len(sent) == 3  # one per operation of the bundled contracts
    for e in sent.values():
        assert e.exchange.response is not None and (EXTRA, "1") in e.exchange.case.query
        assert [v.title for v in e.violations if v.title.startswith("Answered")] == [
            f"Answered {e.exchange.response.status}: {e.exchange.case.title}"
        ]
    assert sorted(judged) == sorted((cid, e.exchange.response.status) for cid, e in sent.items())
    assert found == set(sent)  # in the verdicts, under the requirement its cases carry

    # unregistered: neither built nor judged, and the built-in kinds as they were
    judged.clear()
    assert tuple(k.name for k in probes.probe_kinds()) == BUILT_IN and "extra-query" not in JUDGES
    finished, _ = run(reference_url)
    assert finished and not [e for e in finished if e.exchange.case.kind == "extra-query"] and not judged
