"""One certification in its own process, as a user runs it; prints its figures as one JSON line.

    python benchmarks/certify_child.py URL [make_settings options as JSON]

`run_cpu_s` is the CPU time (every thread) of the run alone, imports excluded; `process_cpu_s` is the whole
process (interpreter start and imports too); `peak_rss_mb` is the process's peak resident memory. The implementation runs in another
process, so none of its CPU is counted here.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from common import options, own_peak_rss_mb

from fcvalidate import certify


def main() -> None:
    url, overrides = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    wall, cpu = time.perf_counter(), time.process_time()
    result = certify(url, **options(**overrides))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "wall_s": wall,
                "run_cpu_s": cpu,
                "process_cpu_s": usage.ru_utime + usage.ru_stime,
                "peak_rss_mb": own_peak_rss_mb(),
                "requests": result.cases_sent,
                "verdict": result.verdict,
                "cache_hits": getattr(result, "cache_hits", 0),  # older revisions, for before/after runs
                "cache_misses": getattr(result, "cache_misses", 0),
            }
        )
    )


if __name__ == "__main__":
    main()
