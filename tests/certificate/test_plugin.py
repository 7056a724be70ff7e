"""The pytest plugin signs the run it made, as `fcvalidate certify --certificate` does."""

from __future__ import annotations

from fcvalidate.files import bundled_contracts_dir
from tests.certificate.conftest import fcvalidate
from tests.conftest import DATA_FILE, TOKEN

pytest_plugins = ["pytester"]


def test_the_plugin_writes_a_certificate_that_verifies(pytester, reference_url, monkeypatch, tmp_path):
    monkeypatch.setenv("FCVALIDATE_TOKEN", TOKEN)
    fcvalidate("keygen", tmp_path / "k.pem")
    certificate = tmp_path / "out" / "cert.json"
    result = pytester.runpytest(
        "--fc-base-url",
        reference_url,
        f"--fc-data={DATA_FILE}",
        "--fc-max-examples",
        "3",
        "--fc-certificate",
        certificate,
        "--fc-signing-key",
        tmp_path / "k.pem",
        "--fc-implementation",
        "plugin-ref@1.0",
    )
    result.assert_outcomes(passed=23, skipped=4)
    assert (tmp_path / "out" / "report.json").is_file()
    out = fcvalidate(
        "verify", certificate, "--key", tmp_path / "k.pub.pem", "--contracts", bundled_contracts_dir()
    )
    assert out.exit_code == 0, out.output
    assert out.output.startswith("valid: plugin-ref 1.0 is conformant")


def test_a_bad_signing_key_fails_once_naming_the_option(pytester, reference_url, monkeypatch, tmp_path):
    monkeypatch.setenv("FCVALIDATE_TOKEN", TOKEN)
    result = pytester.runpytest(
        "--fc-base-url",
        reference_url,
        "--fc-certificate",
        tmp_path / "c.json",
        "--fc-signing-key",
        tmp_path / "missing.pem",
    )
    result.assert_outcomes(failed=1, skipped=26)
    result.stdout.fnmatch_lines(["*--fc-signing-key: *missing.pem: cannot read the signing key*"])
