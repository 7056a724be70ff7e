"""Writers: the report data rendered as JSON, JUnit, HTML and Markdown, written atomically."""

from __future__ import annotations

from pathlib import Path

from fcvalidate.engine.events import RunResult
from fcvalidate.files import atomic_write, display_path
from fcvalidate.report.data import report_data
from fcvalidate.report.html import render_html
from fcvalidate.report.json import render_json
from fcvalidate.report.junit import render_junit
from fcvalidate.report.markdown import render_markdown

WRITERS = {
    "report.json": render_json,
    "junit.xml": render_junit,
    "report.html": render_html,
    "summary.md": render_markdown,
}


def write_reports(result: RunResult, folder: Path) -> list[Path]:
    data = report_data(result)
    written = []
    for name, render in WRITERS.items():
        text = (
            render(data)
            if name != "summary.md"
            else render_markdown(data, display_path(folder / "report.json"))
        )
        atomic_write(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written
