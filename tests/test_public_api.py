"""The public surface is exactly what is intended (httpx style)."""

from __future__ import annotations
import __future__

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fcvalidate
import fcvalidate.server


def test_all_is_exactly_the_public_names():
    """Every public name of the package is in `__all__` and nothing else is (httpx's test): a name
    imported into fcvalidate/__init__.py without being exported, or exported without existing, fails."""
    public = {
        name
        for name in dir(fcvalidate)  # the names are imported on first use: dir() lists them all
        for value in [getattr(fcvalidate, name)]
        if not name.startswith("_") and not inspect.ismodule(value) and value is not __future__.annotations
    }
    assert sorted(fcvalidate.__all__) == sorted(public)
    with pytest.raises(AttributeError):
        fcvalidate.no_such_name  # noqa: B018


def test_importing_the_package_does_not_load_the_engine():
    """`fcvalidate` the command starts fast, and a Ctrl-C while it starts is one line: the package
    imports its public names on first use."""
    code = "import sys, fcvalidate; print(sorted(m for m in sys.modules if m.startswith('fcvalidate')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['fcvalidate']"


def test_every_export_is_documented_in_the_api_page():
    """The public-names table lives in docs/python-api.md (the README links to it): every export is
    named there, and the page renders the package's reference from the docstrings (`::: fcvalidate`)."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "python-api.md").read_text(encoding="utf-8")
    assert [name for name in fcvalidate.__all__ if f"`{name}`" not in page] == []
    assert re.search(r"^::: fcvalidate$", page, re.M)


def test_server_exports():
    assert sorted(fcvalidate.server.__all__) == [
        "FAULTS",
        "Fault",
        "ServerConfig",
        "create_app",
        "serve_in_background",
    ]


def test_error_exit_codes():
    assert (
        fcvalidate.UsageError.exit_code
        == fcvalidate.DocumentError.exit_code
        == fcvalidate.ContractError.exit_code
        == 2
    )
    assert fcvalidate.UnreachableError.exit_code == fcvalidate.CredentialsError.exit_code == 3


def test_bundled_contracts_hold_the_three_operations():
    labels = sorted(op.label for c in fcvalidate.load_contracts() for op in c)
    assert labels == [
        "POST /service-order-amendments",
        "POST /service-orders",
        "POST /service-problem-amendments",
    ]


def test_a_check_that_raises_is_a_warning_and_the_run_goes_on(reference_url):
    from tests.conftest import TOKEN

    @fcvalidate.check
    def broken(ctx, exchange):
        raise RuntimeError("bug in a user check")
        yield

    try:
        result = fcvalidate.certify(
            reference_url, token=TOKEN, operations=["POST /service-orders"], max_examples=2
        )
    finally:
        fcvalidate.checks.unregister("tests.test_public_api.broken")
    assert result.verdict == "conformant"
    titles = {f.violation.title for r in result.results for f in r.findings}
    assert any("broken raised RuntimeError" in t for t in titles)
