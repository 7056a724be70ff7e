"""An earlier certificate as the source of the verdicts a change-scoped run carries (`certify
--changed-from OLD --previous-certificate CERT`): signed by the key given, and issued for OLD's contracts.

Anything else is a usage error (exit 2) saying what is wrong: carrying verdicts nobody can vouch for, or
verdicts about other contracts, would certify what was never checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fcvalidate.certificate.files import read_envelope, read_private_key, read_public_key
from fcvalidate.certificate.statement import operation_digests
from fcvalidate.certificate.verify import verify
from fcvalidate.contract.diff import ContractDocument
from fcvalidate.contract.operation import Contract
from fcvalidate.engine.carry import Earlier
from fcvalidate.errors import UsageError
from fcvalidate.files import display_path


def read_previous_certificate(
    path: Path, key: Ed25519PublicKey, old: Iterable[tuple[str, Mapping[str, Any]]], old_name: str
) -> tuple[Mapping[str, Any], str]:
    """The predicate of the certificate at `path` and how reports name it (`certificate sha256:…`), once
    its signature holds for `key` and its operations are those of `old` ((name, spec) of each contract)."""
    raw = read_envelope(path)
    where = display_path(Path(path))
    checked = verify(raw, key)
    # The policy is the operator's business, not the carrying's: a failed verdict is carried as failed.
    wrong = [r for r in checked.reasons if not r.startswith("policy:")]
    if wrong:
        raise UsageError(f"{where}: cannot carry its verdicts: {'; '.join(wrong)}", "previous_certificate")
    predicate = checked.predicate
    ours: dict[str, str] = {}
    for name, spec in old:
        ours.update(operation_digests(Contract(name, "", spec)))
    theirs = {op["operation"]: op["sha256"] for op in predicate["operations"]}
    differ = sorted(label for label in theirs.keys() | ours.keys() if theirs.get(label) != ours.get(label))
    if differ:
        raise UsageError(
            f"{where} was not issued for the contracts of {old_name}: {', '.join(differ[:3])}"
            f"{' …' if len(differ) > 3 else ''} differ; give as --changed-from the contracts it certified",
            "previous_certificate",
        )
    return predicate, f"certificate sha256:{hashlib.sha256(raw).hexdigest()[:12]}"


def earlier_verdicts(
    old: Iterable[ContractDocument],
    old_name: str,
    report: Path | None = None,
    certificate: Path | None = None,
    key: Path | None = None,
    signing_key: Path | None = None,
    report_dir: Path = Path("reports"),
) -> Earlier:
    """The earlier verdicts a change-scoped run carries: from `report` (default report.json in
    `report_dir`), or from `certificate`, verified with `key` (default: `signing_key`'s public half) and
    issued for `old`'s contracts."""
    if certificate is None:
        if key is not None:
            raise UsageError("--previous-key goes with --previous-certificate", "previous_key")
        return _from_report(report or report_dir / "report.json")
    if report is not None:
        raise UsageError("give --previous-report or --previous-certificate, not both", "previous_report")
    if key is not None:
        public = read_public_key(key)
    elif signing_key is not None:
        public = read_private_key(signing_key).public_key()
    else:
        raise UsageError(
            "--previous-certificate needs the public key that signed it: give --previous-key", "previous_key"
        )
    predicate, source = read_previous_certificate(
        certificate, public, [(c.name, c.spec) for c in old], old_name
    )
    return Earlier.from_certificate(predicate, source)


def _from_report(path: Path) -> Earlier:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"{display_path(path)}: no earlier report to carry verdicts from "
            f"({getattr(exc, 'strerror', None) or exc}); give --previous-report, or certify in full",
            "previous_report",
        ) from None
    return Earlier.from_report(data, display_path(path))
