"""What a certificate holds, read without fcvalidate, and signed with keys openssl makes or reads."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from fcvalidate.certificate.dsse import pae
from fcvalidate.certificate.files import read_private_key, write_certificate
from fcvalidate.certificate.statement import PREDICATE_TYPE, Implementation, predicate_schema
from fcvalidate.files import bundled_contracts_dir
from tests.certificate.conftest import fcvalidate
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "verify_certificate.py"


def standalone(certificate: Path, key: Path) -> subprocess.CompletedProcess[str]:
    """docs/verify_certificate.py with fcvalidate made unimportable: it must need only cryptography."""
    code = (
        "import runpy, sys; sys.modules['fcvalidate'] = None; "
        f"sys.argv = ['verify_certificate.py', {str(certificate)!r}, {str(key)!r}]; "
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_the_standalone_script_verifies_and_reads_the_verdicts(signed, tmp_path):
    done = standalone(signed.certificate, signed.public)
    assert done.returncode == 0, done.stderr
    predicate = signed.statement()["predicate"]
    assert f"verdict: {predicate['verdict']} (finished {predicate['finished']})" in done.stdout
    for r in predicate["results"]:
        assert f"{r['operation']}::{r['requirement']}: {r['status']}\n" in done.stdout
    fcvalidate("keygen", tmp_path / "other.pem")
    refused = standalone(signed.certificate, tmp_path / "other.pub.pem")
    assert refused.returncode == 1 and "NOT VALID" in refused.stdout


def test_a_dsse_envelope_over_an_in_toto_statement(signed):
    envelope = signed.envelope()
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    assert [s["keyid"][:7] for s in envelope["signatures"]] == ["sha256:"]
    statement = signed.statement()
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == PREDICATE_TYPE == "https://fcvalidate.dev/certificate/v1"
    files = sorted(bundled_contracts_dir().glob("*.openapi.json"))
    assert statement["subject"] == [
        {"name": f.name, "digest": {"sha256": hashlib.sha256(f.read_bytes()).hexdigest()}} for f in files
    ]
    jsonschema.validate(statement["predicate"], predicate_schema())


def test_the_predicate_records_what_decides_the_verdict(signed):
    p = signed.statement()["predicate"]
    result = signed.result
    assert p["implementation"] == {"name": "reference", "version": "0.1.0"}
    assert p["base_url"] == result.settings.base_url
    assert [(a["title"], a["version"]) for a in p["apis"]] == [
        ("Fibre Cafe gateway API", "1.15"),
        ("Fibre Cafe gateway API", "1.17"),
    ]
    assert set(p["tool"]) == {"fcvalidate", "schemathesis", "hypothesis", "python"}
    s = p["settings"]
    assert (s["seed"], s["max_examples"], s["auth"], s["operations"]) == (0, 5, "token", [])
    assert set(s["conventions"]) == set(result.settings.conventions)
    assert p["verdict"] == result.verdict == "conformant"
    statuses = {(r.operation, r.requirement.id): (r.status, r.cases) for r in result.results}
    assert {(r["operation"], r["requirement"]): (r["status"], r["cases"]) for r in p["results"]} == statuses
    skipped = [r for r in p["results"] if r["status"] == "skipped"]
    assert skipped and all(r["reason"].startswith("not tested") for r in skipped)  # and why
    assert p["started"] <= p["finished"]
    # the operations and their contracts' digests, for naming what went stale
    assert sorted(o["operation"] for o in p["operations"]) == sorted({r.operation for r in result.results})


def test_the_evidence_holds_every_case_with_secrets_redacted(signed):
    raw = signed.evidence.read_bytes()
    p = signed.statement()["predicate"]
    assert p["evidence"]["sha256"] == hashlib.sha256(raw).hexdigest()
    report = json.loads(raw)
    assert len(report["cases"]) == p["evidence"]["cases"] == p["cases_sent"] == signed.result.cases_sent
    assert all("request" in c and ("response" in c or "error" in c) for c in report["cases"].values())
    assert report["verdict"] == p["verdict"]
    for path in (signed.certificate, signed.evidence):
        assert TOKEN not in path.read_text()
    headers = [c["request"]["headers"].get("Authorization") for c in report["cases"].values()]
    assert "Bearer ***" in headers


def test_openssl_keys_sign_and_openssl_verifies(signed, tmp_path):
    """Keys as `openssl genpkey -algorithm ed25519` writes them sign; openssl itself checks the signature
    over the DSSE pre-authentication encoding; and openssl reads the keys `fcvalidate keygen` writes."""
    key, public = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", public], check=True)
    certificate = tmp_path / "cert.json"
    write_certificate(signed.result, certificate, read_private_key(key), Implementation("ref", "1"))
    verified = fcvalidate("verify", certificate, "--key", public)
    assert verified.exit_code == 0, verified.output
    envelope = json.loads(certificate.read_text())
    (tmp_path / "pae.bin").write_bytes(pae(envelope["payloadType"], base64.b64decode(envelope["payload"])))
    (tmp_path / "sig.bin").write_bytes(base64.b64decode(envelope["signatures"][0]["sig"]))
    openssl = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public, "-rawin"]
    ok = subprocess.run(
        [*openssl, "-in", tmp_path / "pae.bin", "-sigfile", tmp_path / "sig.bin"], capture_output=True
    )
    assert ok.returncode == 0 and b"Signature Verified Successfully" in ok.stdout
    (tmp_path / "pae.bin").write_bytes(b"x" + (tmp_path / "pae.bin").read_bytes())
    bad = subprocess.run(
        [*openssl, "-in", tmp_path / "pae.bin", "-sigfile", tmp_path / "sig.bin"], capture_output=True
    )
    assert bad.returncode != 0
    derived = subprocess.run(
        ["openssl", "pkey", "-in", signed.key, "-pubout"], check=True, capture_output=True
    ).stdout
    assert derived == signed.public.read_bytes()


def test_keygen_never_overwrites_and_keeps_the_signing_key_private(tmp_path):
    first = fcvalidate("keygen", tmp_path / "s.pem")
    assert first.exit_code == 0
    assert (tmp_path / "s.pem").stat().st_mode & 0o777 == 0o600
    assert "BEGIN PRIVATE KEY" in (tmp_path / "s.pem").read_text()
    assert "BEGIN PUBLIC KEY" in (tmp_path / "s.pub.pem").read_text()
    again = fcvalidate("keygen", tmp_path / "s.pem")
    assert again.exit_code == 2 and "exists: not overwriting a key" in again.output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.pem", "cannot read the signing key"),
        (lambda d: d / "s.pub.pem", "is a public key; signing needs the private key"),
        (lambda d: (d / "x.pem").write_text("not a key") and d / "x.pem", "is not a PEM private key"),
    ],
    ids=["missing", "public", "garbage"],
)
def test_a_bad_signing_key_is_a_usage_error_before_the_run(tmp_path, make, message):
    fcvalidate("keygen", tmp_path / "s.pem")
    # No implementation listens here: the key is read (and refused) before anything is sent.
    out = fcvalidate(
        "certify",
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        "t",
        "--report-dir",
        tmp_path / "r",
        "--certificate",
        tmp_path / "c.json",
        "--signing-key",
        make(tmp_path),
    )
    assert out.exit_code == 2, out.output
    assert out.output.startswith("--signing-key: ") and message in out.output
    assert "Traceback" not in out.output


def test_rsa_keys_are_refused_by_name(tmp_path):
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "rsa", "-out", tmp_path / "r.pem"],
        check=True,
        capture_output=True,
    )
    out = fcvalidate(
        "certify",
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        "t",
        "--certificate",
        tmp_path / "c.json",
        "--signing-key",
        tmp_path / "r.pem",
    )
    assert out.exit_code == 2 and "not an Ed25519 key" in out.output


def test_show_and_badges(signed):
    shown = fcvalidate("certificate", "show", signed.certificate)
    assert shown.exit_code == 0
    assert "implementation: reference 0.1.0" in shown.output
    assert "verdict:        CONFORMANT" in shown.output
    assert "not tested: the document lists no request fields (gap: request-body)" in shown.output
    markdown = fcvalidate("certificate", "badge", signed.certificate, "--link", "https://example.org/c.json")
    assert markdown.output.startswith(
        "[![fcvalidate: reference 0.1.0 · conformant · Fibre Cafe gateway API 1.15, 1.17"
    )
    assert markdown.output.rstrip().endswith("](https://example.org/c.json)")
    html = fcvalidate("certificate", "badge", signed.certificate, "--format", "html")
    assert html.output.startswith('<a href="cert.json"') and ">reference 0.1.0 · conformant" in html.output


def test_show_refuses_what_is_not_a_certificate(tmp_path):
    (tmp_path / "c.json").write_text('{"hello": 1}')
    out = fcvalidate("certificate", "show", tmp_path / "c.json")
    assert out.exit_code == 2 and "not a certificate: not a DSSE envelope" in out.output
