"""fcvalidate: compile the Fibre Cafe endpoint documents into OpenAPI 3.1 contracts and certify
implementations against them."""

from __future__ import annotations

from fcvalidate.contract.bundle import Contract, Operation
from fcvalidate.contract.compiler import compile_documents, render
from fcvalidate.contract.model import EndpointDocument
from fcvalidate.contract.parser import parse_document
from fcvalidate.errors import (
    ContractError,
    CredentialsError,
    DocumentError,
    FcValidateError,
    UnreachableError,
    UsageError,
)
from fcvalidate.files import load_contracts

__all__ = [
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
