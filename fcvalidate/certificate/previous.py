"""An earlier certificate as the source of the verdicts a change-scoped run carries (`certify
--changed-from OLD --previous-certificate CERT`): signed by the key given, and issued for OLD's contracts.

Anything else is a usage error (exit 2) saying what is wrong: carrying verdicts nobody can vouch for, or
verdicts about other contracts, would certify what was never checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fcvalidate.certificate.files import read_envelope
from fcvalidate.certificate.statement import operation_digests
from fcvalidate.certificate.verify import verify
from fcvalidate.contract.operation import Contract
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
