"""Ed25519 keys in PEM, as `openssl genpkey -algorithm ed25519` (PKCS#8) and `openssl pkey -pubout`
(SubjectPublicKeyInfo) write them. Bytes in, keys out: reading the files is the caller's business."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class KeyFileError(ValueError):
    """A key file that is not the Ed25519 PEM key asked for; the message says why."""


def private_key(pem: bytes) -> Ed25519PrivateKey:
    if b"PUBLIC KEY" in pem and b"PRIVATE KEY" not in pem:
        raise KeyFileError("is a public key; signing needs the private key")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError:
        raise KeyFileError(
            "is encrypted; give an unencrypted key (openssl genpkey -algorithm ed25519)"
        ) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"is not a PEM private key ({_first_line(exc)})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"is a {type(key).__name__.removeprefix('_')}, not an Ed25519 key")
    return key


def public_key(pem: bytes) -> Ed25519PublicKey:
    if b"PRIVATE KEY" in pem:
        raise KeyFileError("is a private key; give its public key (`openssl pkey -in KEY.pem -pubout`)")
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"is not a PEM public key ({_first_line(exc)})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"is a {type(key).__name__.removeprefix('_')}, not an Ed25519 key")
    return key


def new_pair() -> tuple[bytes, bytes]:
    """A fresh key pair as PEM: (private PKCS#8, public SubjectPublicKeyInfo), openssl's formats."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private, public_pem(key.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key: a hint for which key signed, never trusted on its own."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
