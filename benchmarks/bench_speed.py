"""Speed where users feel it: time to verdict, client CPU per request and peak memory of `certify`, against
the reference implementation in its own process (`fcvalidate serve --delay`), at 0 and 40 ms per response,
next to plain Schemathesis (`st run`) on the same contracts and server; plus where the CPU goes.

Every fcvalidate figure is one run in a fresh process (benchmarks/certify_child.py): "cold" with an empty
cache folder, "warm" with the folder the cold run filled; "before" (when FCVALIDATE_BENCH_BASELINE names an
earlier checkout) is that version with its own defaults, in the same run. The server's CPU is never counted.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_schemathesis import merged_spec, st_run
from common import TOKEN, options

from fcvalidate import certify
from fcvalidate.engine import runner
from fcvalidate.engine.supply import DrawSupply

HERE = Path(__file__).resolve().parent
# A checkout of an earlier fcvalidate to compare with, run with its own defaults ("before" columns):
#   git archive a9a268c | tar -x -C /tmp/before && FCVALIDATE_BENCH_BASELINE=/tmp/before make bench
BASELINE = os.environ.get("FCVALIDATE_BENCH_BASELINE")
FCVALIDATE = str(Path(sys.executable).with_name("fcvalidate"))


@contextmanager
def reference(delay: float) -> Iterator[str]:
    """The reference implementation in its own process, answering `delay` seconds late."""
    proc = subprocess.Popen(
        [FCVALIDATE, "serve", "--port", "0", "--token", TOKEN, "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        match = re.search(r"http://\S+", proc.stdout.readline())
        assert match, "the reference implementation did not start"
        yield match.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def certify_process(url: str, baseline: str | None = None, **overrides: Any) -> dict[str, Any]:
    """One run in a fresh process; with `baseline`, of the fcvalidate checkout in that folder instead."""
    overrides = {k: str(v) if isinstance(v, Path) else v for k, v in overrides.items()}
    env = {**os.environ, "PYTHONPATH": baseline} if baseline else None
    out = subprocess.run(
        [sys.executable, str(HERE / "certify_child.py"), url, json.dumps(overrides)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median client CPU (its other figures with it), and the range seen."""
    ranked = sorted(runs, key=lambda r: r["run_cpu_s"])
    return {**ranked[len(ranked) // 2], "runs": len(runs), "cpu_range": (ranked[0], ranked[-1])}


def per_request_ms(figures: dict[str, Any], key: str) -> float:
    return round(figures[key] / max(figures["requests"], 1) * 1000, 2)


def run(quick: bool = False) -> list[dict[str, Any]]:
    budget = 3 if quick else 20
    repeats = 1 if quick else 5
    delays = (0.01,) if quick else (0.0, 0.04)
    sweep = (1, 16) if quick else (1, 2, 4, 8, 16, 32)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        spec = merged_spec(Path(folder))
        for delay in delays:
            cache = Path(folder) / f"cache-{delay}"
            with reference(delay) as url:
                # one cold run varies by ±15% on this machine: each figure is the median of `repeats`
                # runs, interleaved (before, cold, warm, before, cold, warm…), each cold one on an empty cache
                runs: dict[str, list[dict[str, Any]]] = {"before": [], "cold": [], "warm": []}
                for n in range(repeats):
                    if BASELINE:
                        runs["before"].append(certify_process(url, BASELINE, max_examples=budget))
                    fresh = Path(folder) / f"cache-{delay}-{n}"
                    runs["cold"].append(certify_process(url, max_examples=budget, cache_dir=fresh))
                    runs["warm"].append(certify_process(url, max_examples=budget, cache_dir=fresh))
                before = _median(runs["before"]) if BASELINE else None
                cold, warm = _median(runs["cold"]), _median(runs["warm"])
                shutil.copytree(fresh, cache, dirs_exist_ok=True)  # the sweep below runs warm
                st = {w: st_run(spec, url, budget, workers=w) for w in ((2,) if quick else (2, 16))}
                sweep_rows = (
                    [
                        (c, certify_process(url, max_examples=budget, cache_dir=cache, max_concurrency=c))
                        for c in sweep
                    ]
                    if delay
                    else []
                )
            st_best = min(seconds for _, _, seconds in st.values())
            rows.append(
                {
                    "benchmark": "time to verdict",
                    "case": f"{delay * 1000:g} ms per response, --max-examples {budget}, default concurrency",
                    **({"before_s": round(before["wall_s"], 2)} if before else {}),
                    "fcvalidate_cold_s": round(cold["wall_s"], 2),
                    "fcvalidate_warm_s": round(warm["wall_s"], 2),
                    "requests": cold["requests"],
                    "verdict": cold["verdict"],
                    **{f"st_w{w}_s": round(s, 2) for w, (_, _, s) in st.items()},
                    "st_requests": next(iter(st.values()))[1],
                    "st_best_over_fc_cold": round(st_best / cold["wall_s"], 2),
                    "st_best_over_fc_warm": round(st_best / warm["wall_s"], 2),
                    "goal": "fcvalidate not slower than st",
                }
            )
            rows.append(
                {
                    "benchmark": "client CPU",
                    "case": f"{delay * 1000:g} ms per response (run only / whole process incl. imports)",
                    **({"before_ms_per_request": per_request_ms(before, "run_cpu_s")} if before else {}),
                    "cold_ms_per_request": per_request_ms(cold, "run_cpu_s"),
                    "cold_range_ms": "–".join(str(per_request_ms(r, "run_cpu_s")) for r in cold["cpu_range"]),
                    "runs_each": cold["runs"],
                    "warm_ms_per_request": per_request_ms(warm, "run_cpu_s"),
                    **(
                        {"before_process_ms_per_request": per_request_ms(before, "process_cpu_s")}
                        if before
                        else {}
                    ),
                    "cold_process_ms_per_request": per_request_ms(cold, "process_cpu_s"),
                    "warm_process_ms_per_request": per_request_ms(warm, "process_cpu_s"),
                    "peak_rss_cold_mb": round(cold["peak_rss_mb"], 1),
                    "peak_rss_warm_mb": round(warm["peak_rss_mb"], 1),
                    "cache_hits_warm": warm["cache_hits"],
                    "goal": "<= 4 ms cold, <= 2 ms warm",
                }
            )
            for concurrency, figures in sweep_rows:
                rows.append(
                    {
                        "benchmark": "concurrency (warm cache)",
                        "case": f"{delay * 1000:g} ms per response, --max-concurrency {concurrency}",
                        "seconds": round(figures["wall_s"], 2),
                        "cpu_ms_per_request": per_request_ms(figures, "run_cpu_s"),
                        "goal": "CPU flat: no busy waiting",
                    }
                )
        for delay in delays:
            with reference(delay) as url:
                rows.append(overlap(url, budget, delay, repeats=1 if quick else 3))
        with reference(0.0) as url:
            rows.extend(profile(url, budget, Path(folder) / "profile-cache", top=8 if quick else 15))
    return rows


class _NoLookahead(DrawSupply):
    """Draws only when the runner asks: generation never overlaps sending."""

    def plan(self, op: Any, mode: str, count: int, seed: int) -> None:
        pass

    def draw(self, op: Any, mode: str, count: int, seed: int) -> list[Any]:
        DrawSupply.plan(self, op, mode, count, seed)
        return super().draw(op, mode, count, seed)


def overlap(url: str, budget: int, delay: float, repeats: int) -> dict[str, Any]:
    """Does drawing ahead (the next operation while this one's requests are in flight) pay? Cold runs,
    in this process, alternating with and without it; medians."""
    certify(url, **options(max_examples=1, cache=False))
    figures: dict[str, list[tuple[float, float]]] = {"ahead": [], "on demand": []}
    try:
        for _ in range(repeats):
            for label, supply in (("ahead", DrawSupply), ("on demand", _NoLookahead)):
                runner.DrawSupply = supply  # type: ignore[misc]
                wall, cpu = time.perf_counter(), time.process_time()
                certify(url, **options(max_examples=budget, cache=False))
                figures[label].append((time.perf_counter() - wall, time.process_time() - cpu))
    finally:
        runner.DrawSupply = DrawSupply  # type: ignore[misc]
    wall = {k: statistics.median(w for w, _ in v) for k, v in figures.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in figures.items()}
    return {
        "benchmark": "generation drawn ahead (cold, in-process)",
        "case": f"{delay * 1000:g} ms per response, median of {repeats}",
        "ahead_s": round(wall["ahead"], 2),
        "on_demand_s": round(wall["on demand"], 2),
        "ahead_cpu_s": round(cpu["ahead"], 2),
        "on_demand_cpu_s": round(cpu["on demand"], 2),
        "goal": "keep it only if it helps",
    }


def profile(url: str, budget: int, cache: Path, top: int) -> list[dict[str, Any]]:
    """Where the client's CPU goes: cProfile on every thread, timed by each thread's own CPU clock."""
    certify(url, **options(max_examples=1, cache=False))  # imports and one-off setup are not the run
    rows = []
    for label in ("cold", "warm"):
        result, stats, cpu = profiled(lambda: certify(url, **options(max_examples=budget, cache_dir=cache)))
        rows.append(
            {
                "benchmark": f"profile ({label} cache, every thread, CPU time)",
                "function": "certify (whole run)",
                "cumulative_ms": round(cpu * 1000),
                "share": 1.0,
                "requests": result.cases_sent,
            }
        )
        entries = stats.stats  # type: ignore[attr-defined]
        ranked = sorted(entries.items(), key=lambda kv: kv[1][3], reverse=True)
        shown = 0
        for (file, line, name), (_, _, _, cumulative, _) in ranked:
            where = _short(file)
            if where in ("threading.py", "thread.py", "~") or name == "certify":
                continue  # thread plumbing (a worker's whole life), builtins, and the run itself
            rows.append(
                {
                    "benchmark": f"profile ({label} cache, every thread, CPU time)",
                    "function": f"{where}:{line}({name})",
                    "cumulative_ms": round(cumulative * 1000),
                    "share": round(cumulative / cpu, 2) if cpu else 0,
                }
            )
            shown += 1
            if shown == top:
                break
    return rows


def profiled(call: Callable[[], Any]) -> tuple[Any, pstats.Stats, float]:
    """`call()` under cProfile on every thread (each timed by its own CPU clock); the process CPU it took."""
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()

    def start_thread(*_: Any) -> None:
        p = cProfile.Profile(time.thread_time)
        with lock:
            profiles.append(p)
        sys.setprofile(None)
        p.enable()

    main = cProfile.Profile(time.thread_time)
    threading.setprofile(start_thread)
    cpu = time.process_time()
    main.enable()
    try:
        result = call()
    finally:
        main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]
    cpu = time.process_time() - cpu
    stats = pstats.Stats(main)
    for p in profiles:
        p.disable()
        stats.add(p)
    return result, stats, cpu


def _short(file: str) -> str:
    for prefix in (str(HERE.parent) + os.sep, "site-packages" + os.sep):
        if prefix in file:
            return file.rpartition(prefix)[2]
    return os.path.basename(file) or file
