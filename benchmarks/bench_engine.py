"""Time to verdict and engine overhead, against the local reference implementation.

1. Time to verdict: certify every bundled operation with the default budget, generating every request
   (no cache). Goal: under 10 s on 2 cores. (bench_speed.py measures it with the server in its own process.)
2. Engine overhead: requests per second of certify (no cache, then warm cache) vs a plain httpx loop that
   re-sends the very same recorded requests to the same server, one at a time each, in the same run.
   Goal: within 2x.
   Report generation time per case is measured too.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from common import TOKEN, certify_keeping_exchanges

from fcvalidate.engine.transport import build_headers
from fcvalidate.exchange import Exchange
from fcvalidate.report import write_reports
from fcvalidate.server import serve_in_background


def run(quick: bool = False) -> list[dict[str, Any]]:
    budget = 3 if quick else 20
    rows = []
    with serve_in_background(tokens=(TOKEN,)) as url:
        certify_keeping_exchanges(
            url, max_examples=1, cache=False
        )  # warm imports: the first figure is not import time
        result, _, seconds = certify_keeping_exchanges(url, max_examples=budget, cache=False)
        rows.append(
            {
                "benchmark": "time to verdict (in-process server)",
                "case": f"3 operations, --max-examples {budget}, default concurrency, no cache",
                "seconds": round(seconds, 2),
                "requests": result.cases_sent,
                "verdict": result.verdict,
                "goal": "< 10 s",
            }
        )
        with tempfile.TemporaryDirectory() as cache:
            certify_keeping_exchanges(url, max_examples=budget, cache_dir=cache)  # fills the cache
            for label, caching in (("no cache", {"cache": False}), ("warm cache", {"cache_dir": cache})):
                result, exchanges, engine_s = certify_keeping_exchanges(
                    url, max_examples=budget, max_concurrency=1, **caching
                )
                raw_s = raw_loop(exchanges)
                n = len(exchanges)
                rows.append(
                    {
                        "benchmark": "engine overhead",
                        "case": f"{n} identical requests, one at a time, {label}",
                        "certify_rps": round(n / engine_s, 1),
                        "raw_httpx_rps": round(n / raw_s, 1),
                        "ratio": round(engine_s / raw_s, 2),
                        "goal": "ratio <= 2",
                    }
                )
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            write_reports(result, Path(folder))
            report_s = time.perf_counter() - start
        rows.append(
            {
                "benchmark": "report generation",
                "case": f"{len(result.results)} verdicts, {len(result.exchanges)} cases with findings",
                "seconds": round(report_s, 3),
                "ms_per_case_sent": round(report_s / max(n, 1) * 1000, 3),
            }
        )
    return rows


def raw_loop(exchanges: list[Exchange]) -> float:
    """Seconds a plain httpx client takes to send the same requests, one at a time."""
    with httpx.Client() as client:
        start = time.perf_counter()
        for ex in exchanges:
            case = ex.case
            client.request(case.method, ex.url, headers=build_headers(case, TOKEN), content=case.body).read()
        return time.perf_counter() - start
