"""junit.xml: one test case per requirement per operation (warnings pass, with their text)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from fcvalidate.report.data import carried_line


def render_junit(data: dict[str, Any]) -> str:
    results = data["results"]
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        name="fcvalidate",
        tests=str(len(results)),
        failures=str(sum(r["status"] == "failed" for r in results)),
        skipped=str(sum(r["status"] == "skipped" for r in results)),
        errors="0",
        time=str(data["run"]["duration_s"]),
        timestamp=data["run"]["started"],
    )
    _run_properties(ET.SubElement(suite, "properties"), data)
    for r in results:
        _testcase(suite, r, data)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _run_properties(props: ET.Element, data: dict[str, Any]) -> None:
    run = data["run"]
    pairs = [
        ("base_url", run["base_url"]),
        ("seed", run["seed"]),
        ("verdict", data["verdict"]),
        ("carried", carried_line(data) or "none"),
    ]
    if run.get("stopped"):
        pairs.append(("stopped", run["stopped"]))
    for name, value in pairs:
        ET.SubElement(props, "property", name=name, value=str(value))


def _testcase(suite: ET.Element, r: dict[str, Any], data: dict[str, Any]) -> None:
    case = ET.SubElement(suite, "testcase", classname=r["operation"], name=r["requirement"], time="0")
    text = "\n\n".join(finding_text(f, data) for f in r["findings"])
    if r.get("carried_from"):  # not re-checked: say so wherever the verdict shows
        said = r.get("scope") or f"carried from the run of {r['carried_from']}"
        text = f"{said} (not re-checked)\n\n{text}"
        ET.SubElement(case, "properties").append(
            ET.Element("property", name="carried_from", value=r["carried_from"])
        )
    if r["status"] == "failed":
        first = next(f for f in r["findings"] if f["severity"] == "failure")
        carried = f" [carried from {r['carried_from']}]" if r.get("carried_from") else ""
        ET.SubElement(case, "failure", message=first["title"] + carried, type=r["level"]).text = text
    elif r["status"] == "skipped":
        ET.SubElement(case, "skipped", message=r["reason"])
    elif r["status"] == "warning":
        ET.SubElement(case, "system-out").text = "warning\n\n" + text
    elif r.get("carried_from"):
        ET.SubElement(case, "system-out").text = text


def finding_text(f: dict[str, Any], data: dict[str, Any]) -> str:
    lines = [
        f"[{f['severity']}] {f['title']} ({f['count']} case(s))",
        f"  cases:    {', '.join(f['cases'])}",
        f"  where:    {f['location']}",
        f"  expected: {f['expected']}",
        f"  actual:   {f['actual']}",
        *([f"  fix:      {f['hint']}"] if f["hint"] else []),
        *([f"  basis:    {f['basis']}"] if f["basis"] else []),
        f"  clause:   {f['clause']['at']}: {f['clause']['text']}",
    ]
    case = data["cases"].get(f["case"])
    if case:
        lines.append(f"  reproduce: {case['curl']}")
    return "\n".join(lines)
