"""`fcvalidate diff` output: the changes as plain data, rendered as text, JSON, Markdown or JUnit.

The weights come from the rule table (fcvalidate.contract.diff.RULES); nothing here re-derives them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from fcvalidate.contract.diff import RULES, SEVERITIES, Change, Outcome, Severity
from fcvalidate.exchange import Source
from fcvalidate.report.markdown import code, text

SCHEMA_VERSION = 1
SIDES = ("tenants", "suppliers")


def diff_data(
    outcome: Outcome,
    old: Sequence[str],
    new: Sequence[str],
    fail_on: Severity | None = None,
    side: str = "both",
) -> dict[str, Any]:
    """The report every format renders; `failed` says whether `--fail-on` was met."""
    summary = {s: {sev: 0 for sev in SEVERITIES} for s in SIDES}
    for c in outcome.changes:
        for s in SIDES:
            summary[s][getattr(c.rule, s)] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "old": list(old),
        "new": list(new),
        "fail_on": fail_on,
        "side": side,
        "failed": outcome.meets(fail_on, side),
        "summary": {"changes": len(outcome.changes), **summary},
        "changes": [_change(c) for c in outcome.changes],
        "silenced": [{**_change(c), "reason": a.reason} for c, a in outcome.silenced],
        "stale": [
            {
                "fingerprint": a.fingerprint,
                "reason": a.reason,
                "severity": "info",
                "message": "an accepted change that no longer occurs: remove it from the accepted file",
            }
            for a in outcome.stale
        ],
    }


def _source(src: Source | None) -> dict[str, str] | None:
    return None if src is None else {"at": src.at, "clause": src.clause}


def _change(c: Change) -> dict[str, Any]:
    return {
        "rule": c.rule.id,
        "fingerprint": c.fingerprint,
        "operation": c.operation,
        "location": c.location,
        "json_path": c.json_path,
        "tenants": c.rule.tenants,
        "suppliers": c.rule.suppliers,
        "message": c.message,
        "why": c.rule.why,
        "before": c.before,
        "after": c.after,
        "old": _source(c.old),
        "new": _source(c.new),
    }


def _weights(c: dict[str, Any]) -> str:
    return f"tenants: {c['tenants']} · suppliers: {c['suppliers']}"


def _by_operation(changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        grouped.setdefault(c["operation"], []).append(c)
    return grouped


def _totals(data: dict[str, Any]) -> str:
    s = data["summary"]
    parts = [f"{s['changes']} change(s)"]
    for side in SIDES:
        parts.append(f"{side}: {s[side]['breaking']} breaking, {s[side]['warning']} warning(s)")
    if data["silenced"]:
        parts.append(f"{len(data['silenced'])} silenced as accepted")
    if data["stale"]:
        parts.append(f"{len(data['stale'])} stale acceptance(s)")
    return " · ".join(parts)


def render_text(data: dict[str, Any]) -> str:
    lines = [f"fcvalidate diff: {', '.join(data['old'])} → {', '.join(data['new'])}"]
    for operation, changes in _by_operation(data["changes"]).items():
        lines += ["", operation]
        for c in changes:
            lines.append(f"  [{_weights(c)}] {c['rule']} at {c['location']}")
            lines.append(f"    {c['message']} ({c['why']})")
            for side in ("old", "new"):
                if c[side]:
                    lines.append(f"    {side}: {c[side]['at']}: {c[side]['clause']}")
            lines.append(f"    fingerprint {c['fingerprint']} · {c['json_path']}")
    for a in data["stale"]:
        lines += [
            "",
            f"[info] accepted fingerprint {a['fingerprint']} ({a['reason']}) matches no change: remove it",
        ]
    lines += ["", _totals(data)]
    if data["fail_on"]:
        verdict = "met" if data["failed"] else "not met"
        lines.append(f"--fail-on {data['fail_on']} ({data['side']}): {verdict}")
    return "\n".join(lines) + "\n"


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"  # YAML may hold dates


def render_markdown(data: dict[str, Any]) -> str:
    lines = [
        f"## fcvalidate diff: {', '.join(code(n) for n in data['old'])} → {', '.join(code(n) for n in data['new'])}",
        "",
        text(_totals(data)),
        "",
    ]
    if data["changes"]:
        lines += [
            "| operation | change | where | tenants | suppliers | fingerprint |",
            "|---|---|---|---|---|---|",
        ]
        for c in data["changes"]:
            lines.append(
                f"| {code(c['operation'], True)} | {text(c['message'])} | {code(c['location'], True)} | "
                f"{c['tenants']} | {c['suppliers']} | {code(c['fingerprint'], True)} |"
            )
        lines += ["", "### Clauses", ""]
        for c in data["changes"]:
            lines.append(f"- {code(c['fingerprint'])} **{text(c['rule'])}**: {text(c['why'])}")
            for side in ("old", "new"):
                if c[side]:
                    lines.append(f"  - {side} {code(c[side]['at'])}: {text(c[side]['clause'])}")
    for a in data["stale"]:
        lines.append(f"- stale acceptance {code(a['fingerprint'])}: {text(a['reason'])}")
    return "\n".join(lines) + "\n"


def render_junit(data: dict[str, Any]) -> str:
    """One test case per change; a change fails when it meets `--fail-on` (default: breaking) for the side."""
    threshold = data["fail_on"] or "breaking"
    sides = SIDES if data["side"] == "both" else (data["side"],)

    def fails(c: dict[str, Any]) -> bool:
        return any(SEVERITIES.index(c[s]) <= SEVERITIES.index(threshold) for s in sides)

    changes = data["changes"]
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        name="fcvalidate diff",
        tests=str(len(changes) + len(data["stale"])),
        failures=str(sum(fails(c) for c in changes)),
        errors="0",
        skipped="0",
    )
    for c in changes:
        case = ET.SubElement(suite, "testcase", classname=c["operation"], name=f"{c['rule']} {c['location']}")
        body = "\n".join(
            [
                f"{c['message']} [{_weights(c)}]",
                f"why: {c['why']}",
                *(f"{side}: {c[side]['at']}: {c[side]['clause']}" for side in ("old", "new") if c[side]),
                f"fingerprint: {c['fingerprint']}",
            ]
        )
        if fails(c):
            ET.SubElement(
                case, "failure", message=f"{c['message']} ({_weights(c)})", type=c["rule"]
            ).text = body
        else:
            ET.SubElement(case, "system-out").text = body
    for a in data["stale"]:
        case = ET.SubElement(suite, "testcase", classname="accepted", name=f"stale {a['fingerprint']}")
        ET.SubElement(case, "system-out").text = f"{a['message']} ({a['reason']})"
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown, "junit": render_junit}


def rules_markdown() -> str:
    """The rule table as docs/versions.md prints it (a test keeps the page equal to the code)."""
    lines = ["| rule | tenants | suppliers | why |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.tenants} | {r.suppliers} | {r.why} |" for r in RULES.values()]
    return "\n".join(lines) + "\n"
