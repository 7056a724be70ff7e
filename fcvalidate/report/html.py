"""report.html: one self-contained page (no external assets, no script); all server text escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from fcvalidate.report.data import carried_line, status_text

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.5rem}.verdict{padding:.8rem 1rem;border-radius:6px;font-weight:600;font-size:1.2rem}
.conformant{background:#e3f6e8}.not-conformant{background:#fde4e1}.incomplete{background:#fff4d6}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.passed{color:#137333}.failed{color:#b3261e;font-weight:600}.warning{color:#9a6700}.skipped{color:#666}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
details{margin:.4rem 0 1rem}.clause{color:#555;font-style:italic}code{font-size:12px}
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _prose(value: Any) -> str:
    """fcvalidate's own text (notes, titles, fixes, bases), escaped, its `inline code` as <code>, as
    summary.md renders it; an unpaired backtick stays a backtick."""
    parts = str(value).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return "".join(f"<code>{_e(p)}</code>" if n % 2 else _e(p) for n, p in enumerate(parts))


def render_html(data: dict[str, Any]) -> str:
    run = data["run"]
    verdict = data["verdict"]
    rows = [_result_row(r) for r in data["results"]]
    findings = [_finding(r, f, data["cases"].get(f["case"])) for r in data["results"] for f in r["findings"]]
    partial = _partial(run)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fcvalidate report: {_e(verdict)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>{CSS}</style></head><body>
<h1>fcvalidate conformance report</h1>
<p class="verdict {_e(verdict)}" id="verdict">Verdict: {_e(verdict.replace("-", " "))}{_e(partial)}</p>
<p>Implementation <code>{_e(run["base_url"])}</code> · seed {_e(run["seed"])} · {_e(run["cases_sent"])} requests ·
{_e(run["duration_s"])} s · started {_e(run["started"])} · fcvalidate {_e(data["tool"]["version"])}</p>
{f'<p id="carried">{_e(carried_line(data))}</p>' if carried_line(data) else ""}
<p>Contracts: {", ".join(f"<code>{_e(c['name'])}</code> (sha256 {_e(c['sha256'][:12])}…)" for c in data["contracts"])}</p>
<table id="results"><thead><tr><th>operation</th><th>requirement</th><th>level</th><th>result</th><th>cases</th><th>note</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Findings</h2>
<div id="findings">{"".join(findings) or "<p>None.</p>"}</div>
</body></html>
"""


def _result_row(r: dict[str, Any]) -> str:
    return (
        f"<tr><td><code>{_e(r['operation'])}</code></td><td>{_e(r['requirement'])}</td><td>{_e(r['level'])}</td>"
        f'<td class="{_e(r["status"])}">{_e(status_text(r))}</td><td>{_e(r["cases"])}</td><td>{_prose(r["note"])}</td></tr>'
    )


def _finding(r: dict[str, Any], f: dict[str, Any], case: dict[str, Any] | None) -> str:
    return (
        f'<h3 class="{_e(f["severity"] if f["severity"] == "warning" else "failed")}">{_e(r["operation"])} · '
        f"{_e(r['requirement'])}: {_prose(f['title'])}</h3>"
        f"<p>{_e(f['count'])} case(s) · at <code>{_e(f['location'])}</code><br>expected: {_e(f['expected'])}<br>"
        f"actual: {_e(f['actual'])}"
        + (f"<br>fix: {_prose(f['hint'])}" if f["hint"] else "")
        + (f"<br>basis: {_prose(f['basis'])}" if f["basis"] else "")
        + f'</p><p class="clause">{_e(f["clause"]["at"])}: “{_e(f["clause"]["text"])}”</p>'
        + (_exchange_detail(f["case"], case) if case else "")
    )


def _exchange_detail(case_id: str, case: dict[str, Any]) -> str:
    """The request, the response and the reproducer of a finding's case, folded."""
    req = case["request"]
    headers = "\n".join(f"{k}: {v}" for k, v in req["headers"].items())
    response = case.get("response")
    got = (
        f"HTTP {response['status']}\n"
        + "\n".join(f"{k}: {v}" for k, v in response["headers"].items())
        + "\n\n"
        + (response["body"] or "")
        if response
        else f"no response: {case.get('error', '')}"
    )
    return (
        f"<details><summary>Request, response and reproducer ({_e(case_id)})</summary>"
        f"<pre>{_e(req['method'])} {_e(req['url'])}\n{_e(headers)}\n\n{_e(req['body'] or '')}</pre>"
        f"<pre>{_e(got)}</pre><pre>{_e(case['curl'])}</pre></details>"
    )


def _partial(run: dict[str, Any]) -> str:
    if run["complete"]:
        return ""
    if run.get("stopped"):
        return f" ({run['stopped']}: the operations after it were not tested)"
    return " (run interrupted: results are partial)"
