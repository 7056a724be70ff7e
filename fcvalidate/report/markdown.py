"""summary.md: the verdict and the failures, short enough for a pull-request comment.

A pull-request comment renders Markdown and some HTML, so nothing a server (or a contract) supplies is
written raw: values go in code spans (nothing inside one renders as a link, an image or HTML) and any
other text has every character that could open a tag, a link, an image, an autolink or emphasis
backslash-escaped (it renders the same).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from fcvalidate.report.data import carried_line

ICONS = {"passed": "✅ passed", "failed": "❌ failed", "warning": "⚠️ warning", "skipped": "➖ skipped"}
MAX_CHARS = 300  # per value: a comment, not a dump (report.html has everything)
_SPECIAL = frozenset("\\`*_[]()<>!|&#~:@.{}")  # ':' '@' '.' break bare-URL, e-mail and www. autolinks


def _line(text: Any) -> str:
    """One line of printable text (a newline would end a table row or a list item), shortened."""
    flat = " ".join(str(text).split())
    flat = "".join(c if c.isprintable() else "\ufffd" for c in flat)
    return flat if len(flat) <= MAX_CHARS else flat[:MAX_CHARS] + "…"


def text(value: Any) -> str:
    """Text that renders exactly as itself: every Markdown or HTML metacharacter escaped."""
    return _escaped(_line(value))


def _escaped(flat: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in flat)


def code(value: Any, in_table: bool = False) -> str:
    """A code span holding `value` verbatim, whatever backticks it contains."""
    flat = _line(value)
    if not flat:
        return ""
    if in_table:  # a table splits cells on `|` even inside a code span
        flat = flat.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat[0] in "` " or flat[-1] in "` " else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _partial(run: dict[str, Any]) -> str:
    if run.get("stopped"):
        return f"{text(run['stopped'])}: the operations after it were not tested"
    return "run interrupted: results are partial"


def prose(value: Any, in_table: bool = False) -> str:
    """fcvalidate's own text (notes, titles, fixes, bases): its `inline code` as code spans, the rest
    escaped, as report.html renders it; an unpaired backtick stays a (escaped) backtick."""
    parts = _line(value).split("`")
    if len(parts) % 2 == 0:
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return "".join(code(p, in_table) if n % 2 else _escaped(p) for n, p in enumerate(parts))


def render_markdown(data: dict[str, Any], report_path: str = "reports/report.json") -> str:
    """`report_path`: where report.json was written, for the `reproduce:` lines."""
    run = data["run"]
    verdict = {
        "conformant": "✅ conformant",
        "not-conformant": "❌ not conformant",
        "incomplete": "⚠️ incomplete",
    }[data["verdict"]]
    lines = [
        f"## fcvalidate: {verdict}",
        "",
        f"{code(run['base_url'])} · seed {run['seed']} · {run['cases_sent']} requests · {run['duration_s']} s"
        + (f" · {run['rate_limited']} answered 429, waited out" if run.get("rate_limited") else "")
        + ("" if run["complete"] else f" · **{_partial(run)}**"),
        *(["", text(carried_line(data))] if carried_line(data) else []),
        "",
        "| operation | requirement | level | result | note |",
        "|---|---|---|---|---|",
    ]
    lines += [_result_line(r) for r in data["results"]]
    failures = [(r, f) for r in data["results"] for f in r["findings"] if f["severity"] == "failure"]
    if failures:
        lines += ["", "### Failures", ""]
        for r, f in failures:
            lines += _failure_lines(r, f, bool(data["cases"].get(f["case"])), report_path)
    return "\n".join(lines) + "\n"


def _result_line(r: dict[str, Any]) -> str:
    carried = " " + text("(carried from " + r["carried_from"] + ")") if r.get("carried_from") else ""
    return (
        f"| {code(r['operation'], True)} | {text(r['requirement'])} | {r['level']} | "
        f"{ICONS[r['status']]}{carried} | {prose(r['note'], True)} |"
    )


def _failure_lines(r: dict[str, Any], f: dict[str, Any], replayable: bool, report_path: str) -> list[str]:
    command = f"fcvalidate replay {shlex.quote(report_path)} --case {shlex.quote(f['case'])}"
    return [
        f"- **{text(r['operation'])} · {text(r['requirement'])}**: {prose(f['title'])} ({f['count']} case(s))",
        f"  - expected {code(f['expected'])}; got {code(f['actual'])} at {code(f['location'])}",
        f"  - clause {code(f['clause']['at'])}: {text(f['clause']['text'])}",
        *([f"  - fix: {prose(f['hint'])}"] if f.get("hint") else []),
        *([f"  - basis: {prose(f['basis'])}"] if f.get("basis") else []),
        *([f"  - reproduce: {code(command)}"] if replayable else []),
    ]
