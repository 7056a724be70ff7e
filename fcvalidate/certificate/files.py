"""The file edge of certificates: key files, the envelope and its evidence, the policy file.

Every unreadable or wrong file is a `UsageError` (exit 2) naming the file and the option it came from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fcvalidate.certificate import dsse, keys
from fcvalidate.certificate.policy import Policy, PolicyError
from fcvalidate.certificate.statement import (
    EVIDENCE_NAME,
    Implementation,
    encode,
    evidence,
    sha256,
    statement,
)
from fcvalidate.engine.events import RunResult
from fcvalidate.errors import UsageError
from fcvalidate.files import atomic_write, display_path, load_data_file


def read_bytes(path: Path, what: str, setting: str | None = None) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(
            f"{display_path(Path(path))}: cannot read the {what}: {exc.strerror}", setting
        ) from None


def read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        return keys.private_key(read_bytes(path, "signing key", "signing_key"))
    except keys.KeyFileError as exc:
        raise UsageError(f"{display_path(Path(path))} {exc}", "signing_key") from None


def read_public_key(path: Path) -> Ed25519PublicKey:
    try:
        return keys.public_key(read_bytes(path, "public key", "key"))
    except keys.KeyFileError as exc:
        raise UsageError(f"{display_path(Path(path))} {exc}", "key") from None


def write_key_pair(private: Path, public: Path) -> None:
    """A new Ed25519 pair; never overwrites a key (a lost signing key cannot be recovered)."""
    for path in (private, public):
        if path.exists():
            raise UsageError(f"{display_path(path)} exists: not overwriting a key")
    private_pem, public_pem = keys.new_pair()
    private.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by its owner only
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    atomic_write(public, public_pem)


def evidence_path(certificate: Path) -> Path:
    return certificate.parent / EVIDENCE_NAME


def write_certificate(
    result: RunResult, certificate: Path, key: Ed25519PrivateKey, implementation: Implementation | None = None
) -> tuple[Path, Path]:
    """Write the evidence (report.json beside the certificate) and the signed certificate; return both."""
    data = evidence(result)
    envelope = dsse.sign(encode(statement(result, sha256(data), implementation)), key)
    beside = evidence_path(certificate)
    atomic_write(beside, data)
    atomic_write(certificate, (json.dumps(envelope, indent=2) + "\n").encode("utf-8"))
    return certificate, beside


def read_envelope(path: Path) -> bytes:
    raw = read_bytes(path, "certificate")
    try:
        dsse.parse(raw)
    except dsse.EnvelopeError as exc:
        raise UsageError(f"{display_path(Path(path))}: not a certificate: {exc}") from None
    return raw


def read_policy(path: Path) -> Policy:
    data = load_data_file(Path(path), what="policy file", setting="policy")
    try:
        return Policy.from_mapping(data)
    except PolicyError as exc:
        raise UsageError(f"{display_path(Path(path))}: {exc}", "policy") from None
