"""The in-toto Statement v1 a certificate signs: the contract files as subjects, the run as predicate.

Built from a `RunResult` and its report data (already scrubbed of secrets); the predicate's JSON Schema is
predicate.schema.json beside this module, and every certificate is checked against it on verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jsonschema

from fcvalidate.contract.operation import Contract, deref
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.settings import Settings
from fcvalidate.report.data import report_data

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://fcvalidate.dev/certificate/v1"
EVIDENCE_NAME = "report.json"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Implementation:
    """What the supplier declares it certified (`--implementation NAME@VERSION`)."""

    name: str
    version: str

    @classmethod
    def parse(cls, text: str) -> Implementation:
        name, sep, version = text.rpartition("@")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(f"expected NAME@VERSION, got {text!r}")
        return cls(name.strip(), version.strip())


def evidence(result: RunResult) -> bytes:
    """report.json as the certificate's evidence: the run's report with every case sent (request and
    response, secrets redacted), as `fcvalidate.report` writes it."""
    from fcvalidate.report.json import render_json

    return render_json(report_data(result)).encode("utf-8")


def statement(
    result: RunResult,
    evidence_digest: str,
    implementation: Implementation | None = None,
    evidence_name: str = EVIDENCE_NAME,
) -> dict[str, Any]:
    """The Statement for a finished run whose evidence file has SHA-256 `evidence_digest`."""
    data = report_data(result)
    contracts = result.settings.contracts
    run = data["run"]
    predicate = {
        "implementation": None
        if implementation is None
        else {"name": implementation.name, "version": implementation.version},
        "base_url": run["base_url"],
        "apis": [_api(c) for c in contracts],
        "tool": _tool(data["tool"]),
        "settings": _settings(result.settings, result.checks),
        "started": run["started"],
        "finished": run["finished"],
        "complete": result.complete,
        "cases_sent": result.cases_sent,
        "verdict": data["verdict"],
        "summary": data["summary"],
        "operations": [
            {"operation": label, "contract": c.name, "sha256": digest}
            for c in contracts
            for label, digest in operation_digests(c).items()
        ],
        "results": [_result(r) for r in data["results"]],
        "evidence": {"name": evidence_name, "sha256": evidence_digest, "cases": len(data["cases"])},
    }
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": c.name, "digest": {"sha256": c.sha256}} for c in contracts],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def _api(c: Contract) -> dict[str, str]:
    info = c.spec.get("info", {})
    return {"contract": c.name, "title": str(info.get("title", "")), "version": str(info.get("version", ""))}


def _tool(tool: Mapping[str, Any]) -> dict[str, str]:
    versions = tool["dependencies"]
    return {
        "fcvalidate": tool["version"],
        "schemathesis": versions["schemathesis"],
        "hypothesis": versions["hypothesis"],
        "python": tool["python"],
    }


def _settings(s: Settings, checks: Sequence[str]) -> dict[str, Any]:
    """Every setting that can change a verdict; credentials only by kind, known values by digest."""
    return {
        "seed": s.seed,
        "max_examples": s.max_examples,
        "operations": list(s.operations),
        "conventions": sorted(s.conventions),
        "timeout_s": s.timeout,
        "max_concurrency": s.max_concurrency,
        "rate_limit_rps": s.rate_limit,
        "read_only": s.read_only,
        "auth": s.credentials.kind,
        "api_keys": sorted(name for name, _ in s.credentials.api_keys),
        "known_values_sha256": known_values_digest(s.known),
        "checks": list(checks),
    }


def _result(r: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("operation", "requirement", "level", "status", "cases")
    # not re-checked by this run (certify --changed-from): when it was reached, from what, why
    carried = {"carried": {"date": r["carried_from"], "note": r["scope"] or ""}} if r["carried_from"] else {}
    return {**{k: r[k] for k in keys}, "findings": len(r["findings"]), "reason": r["reason"], **carried}


def known_values_digest(known: Any) -> str:
    """SHA-256 of the known values (the data file's content): they decide which cases can be built."""
    content = {"values": known.values, "foreign": known.foreign, "operations": known.operations}
    return sha256(canonical(content))


def operation_digests(contract: Contract) -> dict[str, str]:
    """Per operation, SHA-256 of everything in its contract that decides its cases and verdicts (the
    operation with every `$ref` inlined, its path's parameters, its security schemes): a changed contract
    names the operations it changed, not just the file."""
    spec = contract.spec
    schemes = spec.get("components", {}).get("securitySchemes", {})
    out = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                node = {
                    "path_parameters": item.get("parameters", []),
                    "operation": op,
                    "security": op.get("security", spec.get("security", [])),
                    "security_schemes": schemes,
                }
                out[f"{method.upper()} {path}"] = sha256(canonical(deref(node, spec, contract.name)))
    return out


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(statement: Mapping[str, Any]) -> bytes:
    """The signed payload: readable JSON (the signature covers these exact bytes, whatever their layout)."""
    return (json.dumps(statement, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def predicate_schema() -> dict[str, Any]:
    text = (resources.files("fcvalidate.certificate") / "predicate.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def schema_problems(predicate: Any) -> Iterable[str]:
    """Where a predicate departs from its schema, one line each (`$.results[3].status: ...`)."""
    validator = jsonschema.Draft202012Validator(predicate_schema())
    for error in sorted(validator.iter_errors(predicate), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        yield f"${where}: {error.message}"
