"""Peak memory (RSS) of `fcvalidate certify --max-examples 1000 --no-cache`, against a small-budget run as
baseline.

Each run is its own process, so the peak is that run's alone. Goal: under 300 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import DATA_FILE, TOKEN

from fcvalidate.server import serve_in_background

HERE = Path(__file__).resolve().parent


def peak_rss_mb(url: str, budget: int) -> tuple[float, int]:
    script = (
        "import sys; from common import own_peak_rss_mb; from fcvalidate.cli import main; "
        "sys.argv = ['fcvalidate'] + sys.argv[1:]; "
        "code = 0\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "print('PEAK', own_peak_rss_mb(), code)"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "certify",
                "--base-url",
                url,
                "--token",
                TOKEN,
                "--data",
                str(DATA_FILE),
                "--max-examples",
                str(budget),
                "--report-dir",
                folder,
                "--no-cache",  # the worst case (every request generated), and the user's cache untouched
            ],
            capture_output=True,
            text=True,
            check=False,
            env={"CI": "true", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(HERE)},
        ).stdout
    line = next(line for line in out.splitlines() if line.startswith("PEAK"))
    _, mb, code = line.split()
    return float(mb), int(code)


def run(quick: bool = False) -> list[dict[str, Any]]:
    budget = 30 if quick else 1000
    with serve_in_background(tokens=(TOKEN,)) as url:
        base, _ = peak_rss_mb(url, 5)
        peak, code = peak_rss_mb(url, budget)
    return [
        {
            "benchmark": "memory",
            "case": f"certify --max-examples {budget} (baseline: --max-examples 5)",
            "peak_rss_mb": round(peak, 1),
            "baseline_mb": round(base, 1),
            "ratio": round(peak / base, 2),
            "exit": code,
            "goal": "< 300 MB",
        }
    ]
