"""fcvalidate: compile endpoint documents into OpenAPI 3.1 contracts and certify implementations.

The public API is what `__all__` lists; everything else is internal and may change.
"""

from __future__ import annotations

from fcvalidate.api import certify, events, keygen, make_settings, verify_certificate
from fcvalidate.certificate import Policy, Verification
from fcvalidate.checks import CheckContext, Violation, check
from fcvalidate.contract.compiler import compile_documents, render
from fcvalidate.contract.model import EndpointDocument
from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.contract.parser import parse_document
from fcvalidate.engine.events import (
    CaseFinished,
    Event,
    OperationFinished,
    PhaseStarted,
    RunFinished,
    RunResult,
    RunStarted,
)
from fcvalidate.engine.runner import Run
from fcvalidate.engine.settings import Settings
from fcvalidate.errors import (
    ContractError,
    CredentialsError,
    DocumentError,
    FcValidateError,
    ImplementationError,
    UnreachableError,
    UsageError,
)
from fcvalidate.exchange import Case, Exchange, Response, Source
from fcvalidate.files import load_contracts
from fcvalidate.requirements import REQUIREMENTS, Requirement, RequirementId

__all__ = [
    "REQUIREMENTS",
    "Case",
    "CaseFinished",
    "CheckContext",
    "Contract",
    "ContractError",
    "CredentialsError",
    "DocumentError",
    "EndpointDocument",
    "Event",
    "Exchange",
    "FcValidateError",
    "ImplementationError",
    "Operation",
    "OperationFinished",
    "PhaseStarted",
    "Policy",
    "Requirement",
    "RequirementId",
    "Response",
    "Run",
    "RunFinished",
    "RunResult",
    "RunStarted",
    "Settings",
    "Source",
    "UnreachableError",
    "UsageError",
    "Verification",
    "Violation",
    "certify",
    "check",
    "compile_documents",
    "events",
    "keygen",
    "load_contracts",
    "make_settings",
    "parse_document",
    "render",
    "verify_certificate",
]
