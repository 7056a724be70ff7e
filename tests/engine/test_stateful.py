"""Stateful semantics (#22 item 1): a write the run made is read back with the contract's GET of the same
resource. The conformant reference shows no finding; each stateful fault of the catalogue is found under
its requirement; the sequences touch only what the run was given or created, and none runs read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from fcvalidate import events
from fcvalidate.engine.events import CaseFinished, RunFinished, RunResult
from fcvalidate.exchange import Case
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import FAULTS, serve_in_background
from tests.conftest import TOKEN

HERE = Path(__file__).resolve().parent
DATA = HERE / "stateful-data.yaml"
STATE_FAULTS = [f for f in FAULTS if f.contract in ("tenant-api", "widgets")]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple]:
    out = tmp_path_factory.mktemp("stateful")
    compile_to([HERE.parent / "server" / "tenant-api", HERE / "widgets"], out)
    return out, tuple(load_contracts([out]))


def run(served: tuple[Path, tuple], *faults: str, **options: object) -> tuple[list[Case], RunResult]:
    out, contracts = served
    sent: list[Case] = []
    result = None
    with serve_in_background(tokens=(TOKEN,), contracts_dir=out, data=DATA, faults=faults) as url:
        for event in events(url, contracts=contracts, token=TOKEN, data=DATA, max_examples=5, **options):
            if isinstance(event, CaseFinished) and event.exchange.sent:
                sent.append(event.exchange.case)
            elif isinstance(event, RunFinished):
                result = event.result
    assert result is not None
    return sent, result


@pytest.fixture(scope="module")
def conformant(served):
    return run(served)


def test_the_reference_reads_back_every_write_with_no_finding(conformant):
    sent, result = conformant
    assert result.verdict == "conformant"
    assert not [f for r in result.results for f in r.findings], [
        (r.id, f.violation.title) for r in result.results for f in r.findings
    ]
    reads = {(c.operation, c.method) for c in sent if c.kind == "read-back"}
    assert {
        ("POST /tickets", "GET"),
        ("PATCH /tickets/{ticketId}", "GET"),
        ("PATCH /tickets/{ticketId}", "PATCH"),
        ("DELETE /tickets/{ticketId}", "GET"),
        ("PUT /widgets/{id}", "PUT"),
        ("PUT /widgets/{id}", "GET"),
        ("PATCH /widgets/{id}", "GET"),
        ("DELETE /widgets/{id}", "GET"),
    } <= reads, reads


def test_the_sequences_name_only_what_the_run_was_given_or_created(conformant):
    sent, _ = conformant
    given = {"T-3", "T-4", "W-1002", "W-1003", "W-1004"}
    for case in sent:
        if case.kind == "read-back" and case.method != "GET":
            assert case.path.rsplit("/", 1)[-1] in given, case
        elif case.kind == "read-back" and case.operation == "POST /tickets":
            assert case.path.rsplit("/", 1)[-1] not in {"T-1", "T-2", *given}, case  # the created one


def test_a_read_only_run_reads_nothing_back(served):
    sent, _ = run(served, read_only=True)
    assert not [c for c in sent if c.kind == "read-back"]


@pytest.mark.parametrize("fault", STATE_FAULTS, ids=[f.id for f in STATE_FAULTS])
def test_each_stateful_fault_is_found_under_its_requirement(served, fault):
    # an upsert makes the id that names nothing exist for the operations certified after it: only its own
    options = {"operations": list(fault.operations)} if fault.operations else {}
    _, result = run(served, fault.id, **options)
    judged = {(r.operation, r.requirement.id): r for r in result.results if r.findings}
    titles = {k: [f.violation.title for f in r.findings] for k, r in judged.items()}
    assert {req for _, req in judged} == {fault.requirement}, titles
    assert {r.status for r in judged.values()} == {"warning" if fault.warns else "failed"}


def test_no_sequence_when_the_read_needs_a_credential_the_run_was_not_given(corpus_contracts_dir):
    # POST /pets takes a bearer token or an API key; GET /pets/{petId} an API key only, and none is given
    contracts = [c for c in load_contracts([corpus_contracts_dir]) if "pet-shop" in c.name]
    with serve_in_background(tokens=(TOKEN,), contracts_dir=corpus_contracts_dir) as url:
        result = None
        for event in events(
            url, contracts=contracts, token=TOKEN, operations=["POST /pets"], max_examples=2, cache=False
        ):
            assert not (isinstance(event, CaseFinished) and event.exchange.case.kind == "read-back")
            result = event.result if isinstance(event, RunFinished) else result
    assert result is not None and result.verdict == "conformant"


def test_replay_never_calls_a_read_back_fixed_it_cannot_re_judge(served, tmp_path):
    """A read-back is judged against the write before it, on a resource that run created: `replay` leaves
    such a finding out of "the failing cases" and refuses it by name (exit 2), never "passes now"."""
    import fcvalidate
    from fcvalidate.errors import UsageError

    out, contracts = served
    with serve_in_background(
        tokens=(TOKEN,), contracts_dir=out, data=DATA, faults=("patch-replaces",)
    ) as url:
        result = fcvalidate.certify(
            url, contracts=contracts, token=TOKEN, data=DATA, max_examples=5, report_dir=tmp_path
        )
        failing = [f.violation.case_id for r in result.results for f in r.findings if f.severity == "failure"]
        read_backs = [c for c in failing if ".read-back." in c]
        assert read_backs, failing  # the fault is found by a read-back
        replayed = fcvalidate.replay(tmp_path / "report.json", token=TOKEN, contracts=out)
        assert not {o.case_id for o in replayed} & set(read_backs)
        with pytest.raises(UsageError, match="replay cannot re-judge it alone"):
            fcvalidate.replay(tmp_path / "report.json", cases=read_backs[:1], token=TOKEN, contracts=out)
