"""A certificate for people: the `certificate show` summary, and a badge (Markdown or HTML) to publish."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

COLOURS = {"conformant": "#2e7d32", "not-conformant": "#c62828", "incomplete": "#9e6a03"}


def summary(statement: Mapping[str, Any]) -> str:
    p = statement["predicate"]
    impl = p["implementation"]
    s = p["settings"]
    apis = ", ".join(f"{a['title']} {a['version']} ({a['contract']})" for a in p["apis"])
    counts = ", ".join(f"{n} {status}" for status, n in p["summary"].items())
    lines = [
        f"implementation: {impl['name']} {impl['version']}" if impl else "implementation: not declared",
        f"base URL:       {p['base_url']}",
        f"APIs:           {apis}",
        f"contracts:      {', '.join(sub['name'] + ' sha256 ' + sub['digest']['sha256'][:12] + '…' for sub in statement['subject'])}",
        f"tools:          fcvalidate {p['tool']['fcvalidate']} · Schemathesis {p['tool']['schemathesis']} · "
        f"Hypothesis {p['tool']['hypothesis']} · Python {p['tool']['python']}",
        f"settings:       seed {s['seed']} · max-examples {s['max_examples']} · timeout {s['timeout_s']:g} s · "
        f"auth {s['auth']} · {len(s['conventions'])} conventions accepted · "
        f"operations {', '.join(s['operations']) or 'all'}",
        f"run:            {p['started']} → {p['finished']} · {p['cases_sent']} requests"
        + ("" if p["complete"] else " · INCOMPLETE"),
        f"verdict:        {p['verdict'].upper()} ({counts})",
        f"evidence:       {p['evidence']['name']} sha256 {p['evidence']['sha256'][:12]}… ({p['evidence']['cases']} cases)",
    ]
    lines += _result_lines(p["results"])
    lines.append("\nThe signature is not checked here: `fcvalidate verify FILE --key PUB.pem` checks it.")
    return "\n".join(lines) + "\n"


def _result_lines(results: list[dict[str, Any]]) -> list[str]:
    """The results under their operation, one line each."""
    width = max((len(r["requirement"]) for r in results), default=0)
    lines, operation = [], None
    for r in results:
        if r["operation"] != operation:
            operation = r["operation"]
            lines.append(f"\n{operation}")
        why = f"  {r['reason']}" if r["status"] == "skipped" else ""
        found = f"  {r['findings']} finding(s)" if r["findings"] else ""
        lines.append(
            f"  {r['requirement']:<{width}}  {r['level']:<6} {r['status']:<8} {r['cases']:>4} cases{found}{why}"
        )
    return lines


def _message(p: Mapping[str, Any]) -> str:
    impl = p["implementation"]
    who = f"{impl['name']} {impl['version']} · " if impl else ""
    versions: dict[str, list[str]] = {}
    for a in p["apis"]:
        versions.setdefault(a["title"], []).append(a["version"])
    apis = "; ".join(f"{title} {', '.join(vs)}" for title, vs in versions.items())
    return f"{who}{p['verdict']} · {apis} · {p['finished'][:10]}"


def badge_markdown(statement: Mapping[str, Any], link: str) -> str:
    """A shields.io badge linking to the published certificate (which anyone verifies with the key)."""
    p = statement["predicate"]

    def segment(text: str) -> str:  # shields.io escapes: - as --, _ as __
        return quote(text.replace("-", "--").replace("_", "__"), safe="")

    colour = COLOURS.get(p["verdict"], "#555").lstrip("#")
    image = f"https://img.shields.io/badge/{segment('fcvalidate')}-{segment(_message(p))}-{colour}"
    return f"[![fcvalidate: {_message(p)}]({image})]({link})\n"


def badge_html(statement: Mapping[str, Any], link: str) -> str:
    """A self-contained badge (inline styles, no image host) linking to the published certificate."""
    p = statement["predicate"]
    colour = COLOURS.get(p["verdict"], "#555")
    font = "font:12px/20px Verdana,DejaVu Sans,sans-serif;color:#fff;padding:0 6px;display:inline-block"
    return (
        f'<a href="{html.escape(link)}" title="fcvalidate certificate: verify it with the supplier\'s key" '
        'style="text-decoration:none;display:inline-flex;border-radius:3px;overflow:hidden">'
        f'<span style="{font};background:#555">fcvalidate</span>'
        f'<span style="{font};background:{colour}">{html.escape(_message(p))}</span></a>\n'
    )
