"""`verify --base-url`: the certified seed, budget and settings re-run; every verdict that differs named."""

from __future__ import annotations

import pytest

from fcvalidate.server import FAULTS, serve_in_background
from tests.certificate.conftest import fcvalidate, lines
from tests.conftest import DATA_FILE, TOKEN

SPA = "POST /service-problem-amendments"


def recheck(signed, url, *extra):
    return fcvalidate(
        "verify",
        signed.certificate,
        "--key",
        signed.public,
        "--base-url",
        url,
        "--token",
        TOKEN,
        "--data",
        DATA_FILE,
        *extra,
    )


def test_the_same_implementation_agrees(signed, reference_url):
    out = recheck(signed, reference_url)
    assert out.exit_code == 0, out.output
    assert out.output.rstrip().endswith(f"re-checked at {reference_url}")
    assert "note:" not in out.output


@pytest.mark.parametrize("fault", ["cross-tenant", "error-missing-uuid"])
def test_a_fault_introduced_since_names_the_requirement_that_changed(signed, fault):
    requirement = next(f.requirement for f in FAULTS if f.id == fault)
    with serve_in_background(tokens=(TOKEN,), faults=(fault,)) as url:
        out = recheck(signed, url)
    assert out.exit_code == 1
    assert lines(out)  # and every line names that requirement, passed then, failed now
    assert all(line.endswith(f"::{requirement} was passed, is failed now") for line in lines(out)), out.output
    if fault == "cross-tenant":
        assert lines(out) == [f"refused: re-check: {SPA}::tenant-isolation was passed, is failed now"]


def test_other_known_values_are_noted(signed, reference_url, tmp_path):
    (tmp_path / "data.yaml").write_text(DATA_FILE.read_text() + "\n# a copy\n")
    same = recheck(signed, reference_url, "--data", tmp_path / "data.yaml")
    assert same.exit_code == 0  # the same values, another file: nothing to say
    (tmp_path / "none.yaml").write_text("values: {}\n")
    other = recheck(signed, reference_url, "--data", tmp_path / "none.yaml")
    assert "note: re-check: the known values (--data) are not those certified" in other.output


def test_nothing_listening_exits_3(signed):
    out = recheck(signed, "http://127.0.0.1:9")
    assert out.exit_code == 3 and "Traceback" not in out.output


def test_a_refused_signature_is_not_re_checked(copy, tmp_path):
    fcvalidate("keygen", tmp_path / "o.pem")
    out = fcvalidate(
        "verify", copy.certificate, "--key", tmp_path / "o.pub.pem", "--base-url", "http://127.0.0.1:9"
    )
    assert out.exit_code == 1  # not 3: nothing was sent to an implementation on an untrusted certificate
