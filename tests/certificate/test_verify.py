"""`fcvalidate verify`: each tampering refused with its reason; the policy, one line per shortfall."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import shutil

import pytest

import fcvalidate as fc
from fcvalidate import conventions as fc_conventions
from fcvalidate.certificate.dsse import sign
from fcvalidate.certificate.files import read_private_key, write_certificate
from fcvalidate.certificate.statement import encode
from fcvalidate.files import bundled_contracts_dir
from tests.certificate.conftest import fcvalidate, lines, reencode

SPA = "POST /service-problem-amendments"


def test_an_untouched_certificate_is_valid(copy):
    out = fcvalidate("verify", copy.certificate, "--key", copy.public, "--contracts", bundled_contracts_dir())
    assert out.exit_code == 0, out.output
    assert out.output.startswith("valid: reference 0.1.0 is conformant, certified ")


def edit_statement(copy, change):
    statement = copy.statement()
    change(statement)
    copy.certificate.write_text(json.dumps(reencode(copy.envelope(), statement)))


CHANGED_CONTENT = (
    "refused: signature: does not match the content: the certificate was changed after it was signed"
)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["predicate"].update(verdict="not-conformant"),
        lambda s: s["predicate"]["results"][0].update(status="failed"),
        lambda s: s["subject"][0]["digest"].update(sha256="0" * 64),
        lambda s: s["predicate"]["settings"].update(max_examples=500),
        lambda s: s["predicate"]["implementation"].update(version="9.9.9"),
    ],
    ids=["verdict", "a-requirement", "subject", "budget", "implementation"],
)
def test_a_changed_statement_is_refused(copy, change):
    edit_statement(copy, change)
    out = fcvalidate("verify", copy.certificate, "--key", copy.public)
    assert out.exit_code == 1
    assert lines(out) == [CHANGED_CONTENT]


def test_a_changed_signature_is_refused(copy):
    envelope = copy.envelope()
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[10] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    copy.certificate.write_text(json.dumps(envelope))
    out = fcvalidate("verify", copy.certificate, "--key", copy.public)
    assert (out.exit_code, lines(out)) == (1, [CHANGED_CONTENT])


def test_a_changed_payload_type_is_refused(copy):
    envelope = copy.envelope()
    envelope["payloadType"] = "application/json"
    copy.certificate.write_text(json.dumps(envelope))
    assert lines(fcvalidate("verify", copy.certificate, "--key", copy.public)) == [CHANGED_CONTENT]


def test_the_wrong_key_is_refused(copy, tmp_path):
    fcvalidate("keygen", tmp_path / "other.pem")
    out = fcvalidate("verify", copy.certificate, "--key", tmp_path / "other.pub.pem")
    assert out.exit_code == 1
    [line] = lines(out)
    assert line.startswith("refused: signature: signed by another key (sha256:")


def test_a_changed_evidence_file_is_refused(copy, tmp_path):
    report = json.loads(copy.evidence.read_text())
    first = next(iter(report["cases"].values()))
    first["response"]["status"] = 201
    copy.evidence.write_text(json.dumps(report, indent=2))
    out = fcvalidate("verify", copy.certificate, "--key", copy.public)
    assert out.exit_code == 1
    [line] = lines(out)
    assert line.startswith("refused: evidence: report.json is not the evidence certified (sha256 ")
    # given elsewhere with --evidence: the same check; the untouched one passes
    moved = tmp_path / "elsewhere.json"
    shutil.copy(copy.evidence, moved)
    copy.evidence.unlink()
    assert fcvalidate("verify", copy.certificate, "--key", copy.public, "--evidence", moved).exit_code == 1
    unchecked = fcvalidate("verify", copy.certificate, "--key", copy.public)
    assert (
        unchecked.exit_code == 0 and "note: evidence: not checked (no report.json given)" in unchecked.output
    )


def test_an_expired_certificate_is_refused_by_the_policy(signed, tmp_path):
    forty_days = 40 * 86400
    old = dataclasses.replace(
        signed.result,
        started=signed.result.started - forty_days,
        finished=signed.result.finished - forty_days,
    )
    write_certificate(old, tmp_path / "cert.json", read_private_key(signed.key))
    policy = tmp_path / "policy.yaml"
    policy.write_text("must_pass: false\nmax_age: 30d\n")
    out = fcvalidate("verify", tmp_path / "cert.json", "--key", signed.public, "--policy", policy)
    assert out.exit_code == 1
    [line] = lines(out)
    assert line.startswith("refused: policy: expired: certified 20")
    assert line.endswith(", 40d ago; max_age is 30d")
    policy.write_text("must_pass: false\nmax_age: 41d\n")
    assert (
        fcvalidate("verify", tmp_path / "cert.json", "--key", signed.public, "--policy", policy).exit_code
        == 0
    )


def test_a_contract_changed_since_names_each_operation_it_changed(copy, tmp_path):
    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts_dir(), contracts)
    target = next(f for f in sorted(contracts.glob("*.json")) if SPA.split()[1] in f.read_text())
    spec = json.loads(target.read_text())
    spec["paths"]["/service-problem-amendments"]["post"]["parameters"][0]["required"] = False
    spec["info"]["description"] += " (edited)"
    target.write_text(json.dumps(spec, indent=2))
    out = fcvalidate("verify", copy.certificate, "--key", copy.public, "--contracts", contracts)
    assert out.exit_code == 1
    assert lines(out) == [
        f"refused: stale: {SPA} ({target.name}): its contract changed since the certificate"
    ]
    # a contract the certificate does not cover, and one it covers that is gone
    shutil.copy(target, contracts / "extra.openapi.json")
    (contracts / target.name).unlink()
    out = fcvalidate("verify", copy.certificate, "--key", copy.public, "--contracts", contracts)
    assert lines(out) == [
        f"refused: contract {target.name}: certified, but not among the operator's contracts",
        "refused: contract extra.openapi.json: not covered by the certificate",
    ]


def test_a_signed_predicate_that_breaks_its_schema_is_refused(signed, tmp_path):
    statement = signed.statement()
    statement["predicate"]["verdict"] = "great"
    del statement["predicate"]["settings"]["seed"]
    envelope = sign(encode(statement), read_private_key(signed.key))
    (tmp_path / "c.json").write_text(json.dumps(envelope))
    out = fcvalidate("verify", tmp_path / "c.json", "--key", signed.public)
    assert lines(out) == [
        "refused: predicate: $.settings: 'seed' is a required property",
        "refused: predicate: $.verdict: 'great' is not one of ['conformant', 'not-conformant', 'incomplete']",
    ]


POLICY_ALL_MUSTS = "must_pass: true\n"


def test_the_policy_names_every_must_not_passed_and_its_allowances(copy, tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY_ALL_MUSTS)
    out = fcvalidate("verify", copy.certificate, "--key", copy.public, "--policy", policy)
    assert out.exit_code == 1
    p = copy.statement()["predicate"]
    short = [r for r in p["results"] if r["level"] == "MUST" and r["status"] != "passed"]
    assert short and len(lines(out)) == len(short)
    skipped = next(r for r in short if r["status"] == "skipped")
    assert (
        f"refused: policy: MUST {skipped['operation']}::{skipped['requirement']} skipped ({skipped['reason']}); "
        "may_skip does not allow it"
    ) in lines(out)
    allowances = sorted({f"{r['operation']}::{r['requirement']}" for r in short})
    skips = [
        a
        for a in allowances
        if any(f"{r['operation']}::{r['requirement']}" == a and r["status"] == "skipped" for r in short)
    ]
    warns = [a for a in allowances if a not in skips]
    policy.write_text(POLICY_ALL_MUSTS + f"may_skip: {json.dumps(skips)}\nmay_warn: {json.dumps(warns)}\n")
    assert fcvalidate("verify", copy.certificate, "--key", copy.public, "--policy", policy).exit_code == 0


def test_budget_version_and_conventions(signed, tmp_path):
    """One line per shortfall, from the API: a budget below the minimum, an old fcvalidate, a required
    convention the supplier did not accept."""
    narrow = dataclasses.replace(
        signed.result,
        settings=dataclasses.replace(signed.result.settings, conventions=frozenset({"http.no-content"})),
    )
    write_certificate(narrow, tmp_path / "cert.json", read_private_key(signed.key))
    policy = fc.Policy.from_mapping(
        {
            "must_pass": False,
            "min_max_examples": 20,
            "min_fcvalidate_version": "99.0",
            "required_conventions": ["fibre-cafe"],
        }
    )
    outcome = fc.verify_certificate(tmp_path / "cert.json", signed.public, policy=policy)
    assert not outcome.valid
    assert outcome.reasons == (
        "policy: budget --max-examples 5 is below the minimum 20",
        f"policy: made with fcvalidate {outcome.predicate['tool']['fcvalidate']}, older than 99.0",
        "policy: the run did not accept the required convention(s) "
        + ", ".join(sorted(fc_conventions.accepted(["fibre-cafe"]))),
    )


def test_a_failed_run_is_refused_naming_what_failed(signed, tmp_path):
    from fcvalidate.engine.verdict import RequirementResult

    results = tuple(
        dataclasses.replace(r, status="failed") if r.id == f"{SPA}::tenant-isolation" else r
        for r in signed.result.results
    )
    assert any(isinstance(r, RequirementResult) and r.status == "failed" for r in results)
    write_certificate(
        dataclasses.replace(signed.result, results=results), tmp_path / "c.json", read_private_key(signed.key)
    )
    out = fcvalidate("verify", tmp_path / "c.json", "--key", signed.public)
    assert lines(out) == [f"refused: policy: MUST {SPA}::tenant-isolation failed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key", "{d}/missing.pem"], "cannot read the public key"),
        (["--key", "{d}/supplier.pem"], "is a private key; give its public key"),
        (["--key", "{d}/supplier.pub.pem", "--policy", "{d}/p.yaml"], "p.yaml: unknown key(s) max_ages"),
        (["--key", "{d}/supplier.pub.pem", "--policy", "{d}/missing.yaml"], "cannot read the policy file"),
        (["--key", "{d}/supplier.pub.pem", "--evidence", "{d}/missing.json"], "cannot read the evidence"),
    ],
    ids=["no-key", "private-key", "bad-policy", "no-policy", "no-evidence"],
)
def test_unreadable_input_is_a_usage_error(copy, args, message):
    (copy.folder / "p.yaml").write_text("max_ages: 3d\n")
    out = fcvalidate("verify", copy.certificate, *[a.format(d=copy.folder) for a in args])
    assert out.exit_code == 2, out.output
    assert message in out.output and "Traceback" not in out.output


def test_a_file_that_is_not_a_certificate_is_a_usage_error(copy):
    copy.certificate.write_text("{not json")
    out = fcvalidate("verify", copy.certificate, "--key", copy.public)
    assert out.exit_code == 2 and "not a certificate: not JSON" in out.output


def test_the_date_is_checked_against_now(signed):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    policy = fc.Policy.from_mapping({"must_pass": False, "max_age": "1d"})
    assert fc.verify_certificate(signed.certificate, signed.public, policy=policy).valid
    outcome = fc.verify_certificate(signed.certificate, signed.public, policy=policy, now=later)
    assert [r.split(":")[1] for r in outcome.reasons] == [" expired"]


def test_must_pass_names_each_operation_the_run_left_out(signed, tmp_path):
    only = tuple(r for r in signed.result.results if r.operation == SPA)
    write_certificate(
        dataclasses.replace(signed.result, results=only), tmp_path / "c.json", read_private_key(signed.key)
    )
    policy = fc.Policy.from_mapping({"must_pass": True})
    outcome = fc.verify_certificate(tmp_path / "c.json", signed.public, policy=policy)
    others = sorted({r.operation for r in signed.result.results} - {SPA})
    assert sorted(outcome.reasons) == sorted(
        f"policy: {op} ({c}) was not certified: the run left it out"
        for o in outcome.predicate["operations"]
        for op, c in [(o["operation"], o["contract"])]
        if op in others
    )
    assert len(outcome.reasons) == len(others) == 2
