"""The cases of one operation: valid requests first, then the probes derived from a valid request.

Each probe kind is one unit (one module here): the cases it builds, each with its expectation and the
clause it enforces, or a `Skip` saying why it cannot test its requirement on this operation, and beside
them the judge of their answers, registered by name (`register`). `probe_cases` builds every registered
kind in order; the outcome oracle judges each case with its kind's judge. A new probe kind is one module
that registers itself (see `ProbeKind`).
"""

from __future__ import annotations

import importlib
import pkgutil

from fcvalidate.engine.probes.auth import auth_cases
from fcvalidate.engine.probes.foreign import tenant_scoped
from fcvalidate.engine.probes.fuzz import fuzz_cases
from fcvalidate.engine.probes.invalid import not_found_status
from fcvalidate.engine.probes.methods import method_cases
from fcvalidate.engine.probes.parts import (
    RequestParts,
    _is_uuid,
    changes_state,
    created_values,
    fresh_like,
    in_run_order,
    is_request_identifier,
    record_created,
    request_parts,
    untargeted_reason,
)
from fcvalidate.engine.probes.registry import (
    ProbeInput,
    ProbeKind,
    Probes,
    Skip,
    probe_cases,
    probe_kind,
    probe_kinds,
    register,
    unregister,
)
from fcvalidate.engine.probes.valid import valid_cases

__all__ = [
    "ProbeInput",
    "ProbeKind",
    "Probes",
    "RequestParts",
    "Skip",
    "_is_uuid",
    "auth_cases",
    "changes_state",
    "created_values",
    "fresh_like",
    "fuzz_cases",
    "in_run_order",
    "is_request_identifier",
    "method_cases",
    "not_found_status",
    "probe_cases",
    "probe_kind",
    "probe_kinds",
    "record_created",
    "register",
    "request_parts",
    "tenant_scoped",
    "unregister",
    "untargeted_reason",
    "valid_cases",
]

# The built-in kinds register themselves when imported: every module here but the shared ones is one, so a
# new kind is its module alone (its `order` says where it is built among the others).
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("registry", "derive", "parts"):
        importlib.import_module(f"{__name__}.{_module.name}")
