"""Checks: plain functions that look at one exchange (or across one operation's exchanges) and yield
`Violation`s.

Registered by name with `@check`, as Schemathesis registers its own; fcvalidate's built-ins (one module
per check family) use the same decorator a user would, and are registered when this package is imported.
"""

from __future__ import annotations

from fcvalidate.checks import (  # noqa: F401  (registers them)
    challenge,
    error_body,
    outcome,
    paging,
    server_errors,
    success_body,
)
from fcvalidate.checks.registry import (
    CHECKS,
    CheckContext,
    CheckFunction,
    CheckKind,
    OperationCheckFunction,
    RegisteredCheck,
    Registry,
    Violation,
    check,
    run_checks,
    run_operation_checks,
    unregister,
)

__all__ = [
    "CHECKS",
    "CheckContext",
    "CheckFunction",
    "CheckKind",
    "OperationCheckFunction",
    "RegisteredCheck",
    "Registry",
    "Violation",
    "check",
    "run_checks",
    "run_operation_checks",
    "unregister",
]
