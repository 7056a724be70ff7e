"""Certificates: a run's verdicts signed by the supplier (a DSSE envelope over an in-toto Statement v1),
and their verification by the operator (signature, subjects, evidence, policy, re-check).

Pure modules (statement, dsse, keys, policy, compare, verify, summary) and one file edge (files).
"""

from __future__ import annotations

from fcvalidate.certificate.policy import Policy
from fcvalidate.certificate.statement import PREDICATE_TYPE, Implementation
from fcvalidate.certificate.verify import Verification

__all__ = ["PREDICATE_TYPE", "Implementation", "Policy", "Verification"]
