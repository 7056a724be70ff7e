"""A whole API in one run: the test corpus twice (the copy's paths under /v2, so 52 operations of every
shape), compiled, served by the reference implementation and certified end to end; time and client CPU
per operation. Figures are printed, never asserted."""

from __future__ import annotations

import json
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from fcvalidate import certify
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import serve_in_background

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "contract" / "corpus"
SOURCES = [
    *[f for f in sorted(CORPUS.iterdir()) if f.is_dir() and f.name != "refused"],
    ROOT / "tests" / "server" / "tenant-api",
]
DATA = ROOT / "tests" / "server" / "certify-data.yaml"
TOKEN = "bench-token-0b7e"
BASIC = ("bench-user", "bench-password-5d1")  # the corpus's meter readings are secured by HTTP Basic
ENDPOINT = re.compile(r"(Endpoint:\s*[A-Z]+\s+)/")


def _copy_under_v2(source: Path, target: Path) -> None:
    """The same API again at /v2/…: its own names, its own paths (the reference routes by path)."""
    shutil.copytree(source, target)
    for folder in [target, *(d for d in target.rglob("*") if d.is_dir())]:
        api = folder / "api.json"
        meta = json.loads(api.read_text()) if api.exists() else {"title": folder.name}
        meta["title"] = f"{meta.get('title', folder.name)} v2"
        if "slug" in meta:
            meta["slug"] = f"{meta['slug']}-v2"
        api.write_text(json.dumps(meta))
    for doc in target.rglob("*.md"):
        doc.write_text(ENDPOINT.sub(r"\1/v2/", doc.read_text(encoding="utf-8")), encoding="utf-8")


def _data(folder: Path, v2: bool) -> Path:
    data = yaml.safe_load(DATA.read_text())
    ops = data["operations"]
    if v2:  # labels of operations that are not in the contracts are a usage error: only with the copies
        ops.update({label.replace(" /", " /v2/", 1): dict(values) for label, values in list(ops.items())})
    path = folder / "data.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def run(quick: bool = False) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = []
        for source in SOURCES:
            sources.append(source)
            if not quick:
                _copy_under_v2(source, folder / "v2" / source.name)
                sources.append(folder / "v2" / source.name)
        out = folder / "contracts"
        compile_to(sources, out)
        contracts = load_contracts([out])
        operations = sum(len(c.operations) for c in contracts)
        keys = {s.name: TOKEN for c in contracts for op in c for s in op.security if s.kind == "api-key"}
        data = _data(folder, v2=not quick)
        budget = 3 if quick else 20
        with serve_in_background(
            tokens=(TOKEN,), api_keys=tuple(keys.items()), basic=(BASIC,), contracts_dir=out, data=data
        ) as url:
            cpu, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            result = certify(
                url,
                contracts=contracts,
                token=TOKEN,
                api_keys=keys,
                basic=":".join(BASIC),
                data=data,
                max_examples=budget,
                cache=False,
            )
            seconds = time.perf_counter() - wall
            used = resource.getrusage(resource.RUSAGE_SELF)
    # The server runs in this process too: its CPU is in the figure (pessimistic for the client alone).
    cpu_s = (used.ru_utime + used.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    failed = sorted({r.operation for r in result.results if r.status == "failed"})
    return [
        {
            "benchmark": "a whole API",
            "case": f"{operations} operations ({len(contracts)} contracts), --max-examples {budget}, cold cache",
            "seconds": round(seconds, 2),
            "seconds_per_operation": round(seconds / operations, 3),
            "cpu_s_per_operation_incl_server": round(cpu_s / operations, 3),
            "requests": result.cases_sent,
            "verdict": result.verdict,
            "operations_failed": len(failed),
            "goal": "40+ operations < 30 s",
        }
    ]
