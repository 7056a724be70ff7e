"""The public surface is exactly what is intended (httpx style)."""

from __future__ import annotations

import fcvalidate
import fcvalidate.server


def test_top_level_exports():
    assert sorted(fcvalidate.__all__) == sorted(
        [
            "Contract",
            "ContractError",
            "CredentialsError",
            "DocumentError",
            "EndpointDocument",
            "FcValidateError",
            "Operation",
            "UnreachableError",
            "UsageError",
            "compile_documents",
            "load_contracts",
            "parse_document",
            "render",
        ]
    )
    for name in fcvalidate.__all__:
        assert getattr(fcvalidate, name) is not None


def test_server_exports():
    assert sorted(fcvalidate.server.__all__) == [
        "FAULTS",
        "Fault",
        "ServerConfig",
        "create_app",
        "serve_in_background",
    ]


def test_error_exit_codes():
    assert (
        fcvalidate.UsageError.exit_code
        == fcvalidate.DocumentError.exit_code
        == fcvalidate.ContractError.exit_code
        == 2
    )
    assert fcvalidate.UnreachableError.exit_code == fcvalidate.CredentialsError.exit_code == 3


def test_bundled_contracts_hold_the_three_operations():
    labels = sorted(op.label for c in fcvalidate.load_contracts() for op in c)
    assert labels == [
        "POST /service-order-amendments",
        "POST /service-orders",
        "POST /service-problem-amendments",
    ]
