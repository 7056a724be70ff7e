"""fcvalidate: compile endpoint documents into OpenAPI 3.1 contracts and certify implementations.

The public API is what `__all__` lists; everything else is internal and may change. Names are imported
on first use (PEP 562), so that `fcvalidate` the command starts without the engine, and a Ctrl-C while
it starts is one line, not a traceback from deep inside an import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers read it as True)
if TYPE_CHECKING:
    from fcvalidate.api import certify, events, keygen, make_settings, replay, verify_certificate
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

del TYPE_CHECKING

_EXPORTS = {  # name → the module that defines it (imported on first use)
    "certify": "fcvalidate.api",
    "events": "fcvalidate.api",
    "make_settings": "fcvalidate.api",
    "replay": "fcvalidate.api",
    "keygen": "fcvalidate.api",
    "verify_certificate": "fcvalidate.api",
    "Policy": "fcvalidate.certificate",
    "Verification": "fcvalidate.certificate",
    "CheckContext": "fcvalidate.checks",
    "Violation": "fcvalidate.checks",
    "check": "fcvalidate.checks",
    "compile_documents": "fcvalidate.contract.compiler",
    "render": "fcvalidate.contract.compiler",
    "EndpointDocument": "fcvalidate.contract.model",
    "Contract": "fcvalidate.contract.operation",
    "Operation": "fcvalidate.contract.operation",
    "parse_document": "fcvalidate.contract.parser",
    "CaseFinished": "fcvalidate.engine.events",
    "Event": "fcvalidate.engine.events",
    "OperationFinished": "fcvalidate.engine.events",
    "PhaseStarted": "fcvalidate.engine.events",
    "RunFinished": "fcvalidate.engine.events",
    "RunResult": "fcvalidate.engine.events",
    "RunStarted": "fcvalidate.engine.events",
    "Run": "fcvalidate.engine.runner",
    "Settings": "fcvalidate.engine.settings",
    "ContractError": "fcvalidate.errors",
    "CredentialsError": "fcvalidate.errors",
    "DocumentError": "fcvalidate.errors",
    "FcValidateError": "fcvalidate.errors",
    "ImplementationError": "fcvalidate.errors",
    "UnreachableError": "fcvalidate.errors",
    "UsageError": "fcvalidate.errors",
    "Case": "fcvalidate.exchange",
    "Exchange": "fcvalidate.exchange",
    "Response": "fcvalidate.exchange",
    "Source": "fcvalidate.exchange",
    "load_contracts": "fcvalidate.files",
    "REQUIREMENTS": "fcvalidate.requirements",
    "Requirement": "fcvalidate.requirements",
    "RequirementId": "fcvalidate.requirements",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fcvalidate' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    "replay",
    "verify_certificate",
]
