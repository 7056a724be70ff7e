"""The mutation score per requirement (`make mutation`): derive behaviour mutants of the reference
implementation from the bundled contracts and the test corpus (fcvalidate/server/mutants.py), certify
each against the in-process reference server with that one mutant, and count it found when its own
requirement fails or warns on an operation it breaks, where the conformant reference did neither.

    python benchmarks/mutation.py                  # every mutant (2 processes)
    python benchmarks/mutation.py --quick          # a sample: at most 3 mutants per requirement and set
    python benchmarks/mutation.py --only 'POST /service-problem-amendments :: no-auth'

A survivor is explained from the run itself: "unobserved" when no answer differed from the conformant
reference's for the same cases (no request of the run reaches the defect, or it has no visible effect:
an equivalent mutant), "masked" when the
conformant reference already failed that requirement there, else "missed" with the first answer that
differed. Prints a table; writes reports/mutation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fcvalidate import events  # noqa: E402
from fcvalidate.contract.operation import Contract  # noqa: E402
from fcvalidate.engine.events import CaseFinished, RunFinished  # noqa: E402
from fcvalidate.files import bundled_contracts_dir, compile_to, load_contracts  # noqa: E402
from fcvalidate.requirements import REQUIREMENT  # noqa: E402
from fcvalidate.requirements import RequirementId as R  # noqa: E402
from fcvalidate.server.background import running_server  # noqa: E402
from fcvalidate.server.faults import Fault, Hooks  # noqa: E402
from fcvalidate.server.hooks import case_sensitive_headers  # noqa: E402
from fcvalidate.server.mutants import mutants  # noqa: E402

TOKEN = "mutation-token-5e2a"
BASIC = ("mutation-user", "mutation-password-9c4")  # for the corpus's operations secured by HTTP Basic
SEED = 1
BUDGET = 5  # examples per operation: the engine's own cases (edges, one-defect mutations) do the rest
BAD = ("failed", "warning")
CORPUS = ROOT / "tests" / "contract" / "corpus"
SERVER_TESTS = ROOT / "tests" / "server"
# breaks no operation: its only job is to make the server keep the raw header names a mutant may read
_RAW_NAMES = Fault("raw-header-names", R.REQUIRED_HEADERS, "", (("headers", case_sensitive_headers),), ("-",))


@dataclass(frozen=True, slots=True)
class ContractSet:
    name: str
    folder: Path
    data: Path

    def contracts(self) -> tuple[Contract, ...]:
        return tuple(load_contracts([self.folder]))

    def api_keys(self) -> dict[str, str]:
        return {
            s.name: TOKEN for c in self.contracts() for op in c for s in op.security if s.kind == "api-key"
        }

    def basic(self) -> bool:
        """Whether an operation is secured by HTTP Basic (the credential is given only then)."""
        return any(s.kind == "basic" for c in self.contracts() for op in c for s in op.security)


def contract_sets(work: Path) -> list[ContractSet]:
    """The bundled contracts with the reference data, and the test corpus (plus tenant-api) with the
    data its tests certify it with."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    apis = [f for f in sorted(CORPUS.iterdir()) if f.is_dir() and f.name != "refused"]
    compile_to([*apis, SERVER_TESTS / "tenant-api"], corpus)
    return [
        ContractSet(
            "bundled", bundled_contracts_dir(), ROOT / "fcvalidate" / "server" / "reference-data.yaml"
        ),
        ContractSet("corpus", corpus, SERVER_TESTS / "certify-data.yaml"),
    ]


def skeleton(body: bytes, media: str) -> Any:
    """What an answer says, without what is fresh each time (ids, uuids, dates): types, keys, codes."""
    try:
        value = json.loads(body) if body else None
    except ValueError:
        return ("text", media)

    def shape(v: Any, key: str = "") -> Any:
        if isinstance(v, dict):
            return {k: shape(x, k) for k, x in sorted(v.items())}
        if isinstance(v, list):
            return [shape(x) for x in v]
        if key in ("code", "status", "type", "title"):
            return v
        return type(v).__name__

    return (media.partition(";")[0], shape(value))


@dataclass
class Run:
    statuses: dict[tuple[str, str], str]  # (operation, requirement) → status
    answers: dict[str, tuple[Any, ...]]  # case id → (case title, status, skeleton)


def certify_once(
    url: str, cset: ContractSet, contracts: tuple[Contract, ...], ops: tuple[str, ...], cache: Path
) -> Run:
    answers: dict[str, tuple[Any, ...]] = {}
    result = None
    for event in events(
        url,
        contracts=contracts,
        data=cset.data,
        token=TOKEN,
        api_keys=cset.api_keys(),
        basic=":".join(BASIC) if cset.basic() else None,
        operations=ops,
        seed=SEED,
        max_examples=BUDGET,
        cache_dir=cache,
    ):
        if isinstance(event, CaseFinished) and event.exchange.response is not None:
            r = event.exchange.response
            answers[event.exchange.case.id] = (
                event.exchange.case.title,
                r.status,
                skeleton(r.body, r.header("content-type") or ""),
            )
        elif isinstance(event, RunFinished):
            result = event.result
    assert result is not None
    return Run({(r.operation, r.requirement.id): r.status for r in result.results}, answers)


def judge(mutant: Fault, baseline: Run, run: Run) -> dict[str, Any]:
    own = [(op, mutant.requirement.value) for op in mutant.operations]
    scorable = [key for key in own if baseline.statuses.get(key) not in BAD]
    row: dict[str, Any] = {
        "id": mutant.id,
        "requirement": mutant.requirement.value,
        "description": mutant.description,
    }
    row["also_failed"] = sorted(
        f"{op} {req}" for (op, req), s in run.statuses.items()
        if s == "failed" and baseline.statuses.get((op, req)) not in BAD and (op, req) not in own
    )  # fmt: skip
    if not scorable:
        return {
            **row,
            "outcome": "masked",
            "why": "the conformant reference already fails this requirement here",
        }
    seen = [run.statuses.get(key) for key in scorable]
    if "failed" in seen or "warning" in seen:  # a warning counts: the finding names the defect
        return {**row, "outcome": "found", "as": "failed" if "failed" in seen else "warning"}
    differed = [
        (answer[0], baseline.answers[cid][1], answer[1])
        for cid, answer in run.answers.items()
        if cid in baseline.answers and answer[1:] != baseline.answers[cid][1:]
    ]
    status = ", ".join(sorted({str(run.statuses.get(key)) for key in scorable}))
    if not differed:
        why = f"no answer differed from the conformant reference's ({len(run.answers)} cases; requirement {status})"
        return {**row, "outcome": "unobserved", "why": why}
    title, before, after = differed[0]
    why = f"{len(differed)} answers differed, the requirement {status}; e.g. '{title}': {before} → {after}"
    return {**row, "outcome": "missed", "why": why}


def _units(cset: ContractSet) -> list[tuple[tuple[str, ...], list[str]]]:
    """The certification units of a set, by path: (operations certified, mutant ids)."""
    units: dict[tuple[str, ...], list[str]] = {}
    for m in mutants(op for c in cset.contracts() for op in c):
        units.setdefault(m.operations, []).append(m.id)
    return list(units.items())


def run_paths(
    cset: ContractSet, units: list[tuple[tuple[str, ...], list[str]]], cache: Path
) -> list[dict[str, Any]]:
    """One worker's share: a server of its own; per unit, a baseline run, then one run per mutant."""
    contracts = cset.contracts()
    by_id = {m.id: m for m in mutants(op for c in contracts for op in c)}
    keys = cset.api_keys()
    rows = []
    with running_server(
        tokens=(TOKEN,),
        api_keys=tuple(keys.items()),
        basic=(BASIC,) if cset.basic() else (),
        contracts_dir=cset.folder,
        data=cset.data,
        mutants=(_RAW_NAMES,),
    ) as server:
        reference = server.app.state.reference
        conformant = reference.hooks
        for ops, ids in units:
            server.reset()
            baseline = certify_once(server.url, cset, contracts, ops, cache)
            for mutant_id in ids:
                mutant = by_id[mutant_id]
                reference.hooks = Hooks((mutant,))
                server.reset()
                try:
                    run = certify_once(server.url, cset, contracts, ops, cache)
                finally:
                    reference.hooks = conformant
                rows.append({"set": cset.name, **judge(mutant, baseline, run)})
            print(f"[{cset.name}] {', '.join(ops)}: {len(ids)} mutants", file=sys.stderr, flush=True)
    return rows


def _share(units: list[Any], n: int) -> Iterator[list[Any]]:
    """Units dealt round-robin, heaviest first, so the workers finish together."""
    ordered = sorted(units, key=lambda u: -len(u[1]))
    for i in range(n):
        if ordered[i::n]:
            yield ordered[i::n]


def _sample(
    units: list[tuple[tuple[str, ...], list[str]]], cset: ContractSet, per_requirement: int
) -> list[Any]:
    by_id = {m.id: m for m in mutants(op for c in cset.contracts() for op in c)}
    taken: Counter[str] = Counter()
    out = []
    for ops, ids in units:
        keep = []
        for i in ids:
            req = by_id[i].requirement.value
            if taken[req] < per_requirement:
                taken[req] += 1
                keep.append(i)
        if keep:
            out.append((ops, keep))
    return out


def run(
    *, quick: bool = False, only: Iterable[str] = (), processes: int = 2, work: Path | None = None
) -> list[dict[str, Any]]:
    with _workdir(work) as folder:
        cache = folder / "cache"
        jobs = []
        for cset in contract_sets(folder):
            units = _units(cset)
            wanted = set(only)
            if wanted:
                units = [(ops, [i for i in ids if i in wanted]) for ops, ids in units]
                units = [u for u in units if u[1]]
            elif quick:
                units = _sample(units, cset, 3)
            jobs += [(cset, share, cache) for share in _share(units, processes)]
        if processes <= 1 or len(jobs) <= 1:
            return [row for job in jobs for row in run_paths(*job)]
        with ProcessPoolExecutor(processes) as pool:
            futures = [pool.submit(run_paths, *job) for job in jobs]
            return [row for f in futures for row in f.result()]


@contextmanager
def _workdir(work: Path | None) -> Iterator[Path]:
    if work is not None:
        yield work
        return
    folder = Path(tempfile.mkdtemp(prefix="fcvalidate-mutation-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per requirement: mutants, found, unobserved, missed, masked, and the scores."""
    per: dict[str, Counter[str]] = {}
    for row in rows:
        counts = per.setdefault(row["requirement"], Counter())
        counts[row["outcome"]] += 1
        counts["warned"] += row.get("as") == "warning"
    total: Counter[str] = Counter()
    out = {}
    for req in [r.value for r in REQUIREMENT]:
        c = per.get(req, Counter())
        total += c
        out[req] = _scores(c)
    out["overall"] = _scores(total)
    return out


def _scores(c: Counter[str]) -> dict[str, Any]:
    n = c["found"] + c["unobserved"] + c["missed"] + c["masked"]
    scored = n - c["masked"]
    observable = scored - c["unobserved"]
    return {
        "mutants": n,
        "found": c["found"],
        "found_as_warning": c["warned"],
        "unobserved": c["unobserved"],
        "missed": c["missed"],
        "masked": c["masked"],
        "score": round(100 * c["found"] / scored, 1) if scored else None,  # of every mutant scored
        # of the mutants some answer of the run showed: how well the checks judge what they see
        "score_observable": round(100 * c["found"] / observable, 1) if observable else None,
    }


def show(rows: list[dict[str, Any]], scores: dict[str, Any], seconds: float) -> str:
    lines = [
        "| requirement | mutants | found | (as warning) | unobserved | missed | masked | score | of observed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for req, s in scores.items():
        score = "–" if s["score"] is None else f"{s['score']}%"
        observable = "–" if s["score_observable"] is None else f"{s['score_observable']}%"
        lines.append(
            f"| {req} | {s['mutants']} | {s['found']} | {s['found_as_warning']} | {s['unobserved']} "
            f"| {s['missed']} | {s['masked']} "
            f"| {score} | {observable} |"
        )
    lines.append(f"\n{len(rows)} mutants in {seconds:.0f} s (seed {SEED}, {BUDGET} examples per operation)")
    survivors = [r for r in rows if r["outcome"] != "found"]
    if survivors:
        lines.append("\nSurvivors:")
        lines += [
            f"- [{r['set']}] {r['id']} ({r['requirement']}, {r['outcome']}): {r['why']}" for r in survivors
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="at most 3 mutants per requirement and set")
    parser.add_argument("--only", action="append", default=[], help="a mutant id (repeatable)")
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "mutation.json")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = run(quick=args.quick, only=args.only, processes=args.processes)
    seconds = time.perf_counter() - start
    scores = table(rows)
    print(show(rows, scores, seconds))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {"quick": args.quick, "seed": SEED, "budget": BUDGET, "seconds": round(seconds, 1)}
    args.output.write_text(json.dumps({**payload, "scores": scores, "mutants": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
