"""Verify an fcvalidate certificate without fcvalidate: only `cryptography` and the standard library.

    python verify_certificate.py CERTIFICATE.json SUPPLIER.pub.pem

Checks the Ed25519 signature over the DSSE pre-authentication encoding, then prints the verdicts.
Exit 0 when the signature is the key's, 1 when it is not.
"""

import base64
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def pae(payload_type: bytes, payload: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(payload), payload)


def main(certificate: str, public_key: str) -> int:
    with open(certificate, "rb") as fh:
        envelope = json.load(fh)
    with open(public_key, "rb") as fh:
        key = load_pem_public_key(fh.read())
    payload = base64.b64decode(envelope["payload"])
    message = pae(envelope["payloadType"].encode(), payload)
    for signature in envelope["signatures"]:
        try:
            key.verify(base64.b64decode(signature["sig"]), message)
            break
        except InvalidSignature:
            continue
    else:
        print("signature: NOT VALID for this key")
        return 1
    statement = json.loads(payload)
    predicate = statement["predicate"]
    print(f"signature: valid ({statement['predicateType']})")
    for subject in statement["subject"]:
        print(f"subject: {subject['name']} sha256:{subject['digest']['sha256']}")
    print(f"verdict: {predicate['verdict']} (finished {predicate['finished']})")
    for result in predicate["results"]:
        print(f"{result['operation']}::{result['requirement']}: {result['status']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
