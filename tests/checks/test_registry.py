"""The named check registry: register, unregister and select per run; run-level checks a kind of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import fcvalidate
from fcvalidate.certificate.statement import statement
from fcvalidate.checks import CHECKS, CheckContext, Registry, Violation, check, unregister
from fcvalidate.errors import UsageError
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

BUILT_INS = (
    "fcvalidate.basic-challenge",
    "fcvalidate.error-body",
    "fcvalidate.repeated-error-ids",
    "fcvalidate.expected-outcome",
    "fcvalidate.paging",
    "fcvalidate.no-server-error",
    "fcvalidate.success-body",
)
FOREIGN = "Error code outside this operation's enum"  # the error-body check's finding under this fault
OP = "POST /service-orders"
AMEND = "POST /service-problem-amendments"  # its enum lacks some of the API's codes: the fault shows


def nothing(ctx, exchange):
    yield from ()


def test_the_built_ins_are_registered_by_name_with_their_kind():
    assert CHECKS.names()[: len(BUILT_INS)] == BUILT_INS
    kinds = {c.name: c.kind for c in CHECKS}
    assert kinds["fcvalidate.repeated-error-ids"] == "operation"
    assert kinds["fcvalidate.expected-outcome"] == "exchange"


def test_register_unregister_and_select_on_a_registry_of_ones_own():
    registry = Registry()
    registry.register(nothing, name="a")
    registry.register(nothing, name="b", kind="operation")
    registry.register(nothing)  # default name: module.function
    assert registry.names() == ("a", "b", f"{__name__}.nothing")
    assert [c.name for c in registry.select(["b", "a"])] == ["a", "b"]  # registration order
    assert [c.name for c in registry.select(exclude=["a"])] == ["b", f"{__name__}.nothing"]
    registry.register(lambda ctx, ex: iter(()), name="a")  # the same name again: replaced in place
    assert registry.names()[0] == "a" and len(registry) == 3
    assert registry.unregister("a").name == "a" and "a" not in registry
    with pytest.raises(UsageError) as raised:
        registry.select(["nope"])
    assert (
        raised.value.setting == "checks"
        and "'nope'" in str(raised.value)
        and "registered: b" in str(raised.value)
    )
    with pytest.raises(UsageError) as raised:
        registry.select(exclude=["a"])
    assert raised.value.setting == "exclude_checks"
    with pytest.raises(UsageError, match="'exchange' or 'operation'"):
        registry.register(nothing, kind="run")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def foreign_url() -> Iterator[str]:
    with serve_in_background(tokens=(TOKEN,), faults=("foreign-enum-code",)) as url:
        yield url


def titles(result: fcvalidate.RunResult) -> set[str]:
    return {f.violation.title for r in result.results for f in r.findings}


def test_a_check_deselected_reports_nothing_and_the_statement_lists_the_checks_run(foreign_url):
    every = fcvalidate.certify(foreign_url, token=TOKEN, operations=[AMEND], max_examples=2)
    assert FOREIGN in titles(every) and every.verdict == "not-conformant"
    assert every.checks == CHECKS.names()
    found = next(f for r in every.results for f in r.findings if f.violation.title == FOREIGN)
    assert found.violation.check == "fcvalidate.error-body"

    without = fcvalidate.certify(
        foreign_url, token=TOKEN, operations=[AMEND], max_examples=2, exclude_checks=["fcvalidate.error-body"]
    )
    assert FOREIGN not in titles(without) and without.verdict == "conformant"
    assert "fcvalidate.error-body" not in without.checks
    assert statement(without, "0" * 64)["predicate"]["settings"]["checks"] == list(without.checks)


def test_an_unknown_check_name_is_a_usage_error_naming_the_setting(reference_url):
    with pytest.raises(UsageError) as raised:
        fcvalidate.certify(reference_url, token=TOKEN, operations=[OP], checks=["fcvalidate.no-such"])
    assert raised.value.exit_code == 2 and raised.value.setting == "checks"
    assert "'fcvalidate.no-such'" in str(raised.value)


def test_a_registered_user_check_runs_and_its_finding_carries_its_name(reference_url):
    @check(name="house.no-server-header")
    def no_server_header(ctx, exchange):
        server = exchange.response.header("Server") if exchange.response else None
        if server:  # uvicorn answers `Server: uvicorn`
            yield Violation(
                exchange.case.requirement,
                "The answer names its server software",
                "response.header.Server",
                "no Server header",
                server,
                exchange.case.source,
                "warning",
            )

    try:
        alone = fcvalidate.certify(
            reference_url, token=TOKEN, operations=[OP], max_examples=2, checks=["house.no-server-header"]
        )
        skipped = fcvalidate.certify(
            reference_url,
            token=TOKEN,
            operations=[OP],
            max_examples=2,
            exclude_checks=["house.no-server-header"],
        )
    finally:
        unregister("house.no-server-header")
    assert alone.checks == ("house.no-server-header",)
    assert {f.violation.check for r in alone.results for f in r.findings} == {"house.no-server-header"}
    assert "The answer names its server software" not in titles(skipped)
    assert "house.no-server-header" not in CHECKS


def test_a_run_level_user_check_sees_every_answer_of_the_operation_once(reference_url):
    seen: list[tuple[str, int]] = []

    @fcvalidate.check(name="house.answers-counted", kind="operation")
    def counted(ctx: CheckContext, exchanges) -> Iterator[Violation]:
        seen.append((ctx.operation.label, len(exchanges)))
        yield Violation(
            exchanges[-1].case.requirement,
            f"{len(exchanges)} answers",
            "response",
            "nothing",
            "a count",
            exchanges[-1].case.source,
            "warning",
            case_id=exchanges[-1].case.id,
        )

    try:
        result = fcvalidate.certify(reference_url, token=TOKEN, operations=[OP], max_examples=2)
    finally:
        unregister("house.answers-counted")
    ((label, count),) = seen
    assert label == OP and count == result.cases_sent > 2
    (found,) = [f for r in result.results for f in r.findings if f.violation.check == "house.answers-counted"]
    assert found.violation.title == f"{count} answers" and found.severity == "warning"
    assert result.exchanges[found.case_ids[0]].case.id == found.case_ids[0]  # its case is in the result
