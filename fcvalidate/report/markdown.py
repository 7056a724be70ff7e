"""summary.md: the verdict and the failures, short enough for a pull-request comment."""

from __future__ import annotations

from typing import Any

ICONS = {"passed": "✅ passed", "failed": "❌ failed", "warning": "⚠️ warning", "skipped": "➖ skipped"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(data: dict[str, Any]) -> str:
    run = data["run"]
    verdict = {
        "conformant": "✅ conformant",
        "not-conformant": "❌ not conformant",
        "incomplete": "⚠️ incomplete",
    }[data["verdict"]]
    lines = [
        f"## fcvalidate: {verdict}",
        "",
        f"`{_cell(run['base_url'])}` · seed {run['seed']} · {run['cases_sent']} requests · {run['duration_s']} s"
        + (f" · {run['rate_limited']} answered 429, waited out" if run.get("rate_limited") else "")
        + ("" if run["complete"] else " · **run interrupted: results are partial**"),
        "",
        "| operation | requirement | level | result | note |",
        "|---|---|---|---|---|",
    ]
    for r in data["results"]:
        note = r["findings"][0]["title"] if r["findings"] else r["reason"]
        lines.append(
            f"| `{r['operation']}` | {r['requirement']} | {r['level']} | {ICONS[r['status']]} | {_cell(note)} |"
        )
    failures = [(r, f) for r in data["results"] for f in r["findings"] if f["severity"] == "failure"]
    if failures:
        lines += ["", "### Failures", ""]
        for r, f in failures:
            case = data["cases"].get(f["case"], {})
            lines += [
                f"- **{_cell(r['operation'])} · {r['requirement']}**: {_cell(f['title'])} ({f['count']} case(s))",
                f"  - expected {_cell(f['expected'])}; got {_cell(f['actual'])} at `{f['location']}`",
                f"  - clause `{f['clause']['at']}`: {_cell(f['clause']['text'])}",
            ]
            if case:
                lines.append(f"  - reproduce: `fcvalidate replay reports/report.json --case {f['case']}`")
    return "\n".join(lines) + "\n"
