"""Certify faulty variants of the independent suppliers: each ships ONE realistic defect (none of
fcvalidate/server/faults.py's) and must fail the requirement it breaks, on the operation it breaks.

A variant fcvalidate misses stays, marked xfail(strict=True) with what it would need to find it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.files import bundled_data_file, compile_to, load_contracts
from fcvalidate.server.background import serve_app
from tests.independent import faulty_shapes, faulty_spa, impl_strict
from tests.independent._kit import TOKEN

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "contract" / "corpus"
SPA = "POST /service-problem-amendments"


def _missed(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"missed: {reason}")


# (variant, requirement it breaks, why; a miss is marked)
SPA_FAULTS = [
    pytest.param(
        "array-item-wrong-type", "invalid-requests", id="array-item-wrong-type"
    ),  # number for characteristics[].name
    pytest.param(
        "secondary-contact-unchecked", "invalid-requests", id="secondary-contact-unchecked"
    ),  # Contact.name required
    pytest.param(
        "null-for-required", "invalid-requests", id="null-for-required"
    ),  # `id: null` is not a number
    pytest.param(
        "nested-number-for-string", "invalid-requests", id="nested-number-for-string"
    ),  # phoneNumber (string)
    pytest.param(
        "minimal-201-without-id", "valid-requests", id="minimal-201-without-id"
    ),  # 201 `id` required
    pytest.param(
        "big-numbers-as-strings", "valid-requests", id="big-numbers-as-strings"
    ),  # 201 `id` is a number
    pytest.param("escalation-200", "valid-requests", id="escalation-200"),  # 200 is not documented
    pytest.param(
        "echo-contact-without-phone", "valid-requests", id="echo-contact-without-phone"
    ),  # 201 Contact.phoneNumber required
    pytest.param("tenant-skipped-by-reference", "tenant-isolation", id="tenant-skipped-by-reference"),
    pytest.param(
        "tenant-prefix",
        "tenant-isolation",
        id="tenant-prefix",
        marks=_missed(
            "the foreign Tenant (TENANT2) is never a prefix of the owner's; no Tenant `TENANT`/`` sent"
        ),
    ),
    pytest.param(
        "messages-empty",
        "error-body",
        id="messages-empty",
        marks=_missed(
            "`messages: []` satisfies the schema (no minItems); 'reason(s) for the rejection' not checked"
        ),
    ),
    pytest.param("uuid-reused", "error-body", id="uuid-reused"),
    pytest.param("errorCode-on-422", "error-body", id="errorCode-on-422"),
    pytest.param("html-400", "error-body", id="html-400"),
    pytest.param("token-prefix", "authorisation", id="token-prefix"),
    pytest.param(
        "any-scheme",
        "authorisation",
        id="any-scheme",
        marks=_missed("the real token is never sent under another scheme (Basic/Token/bare)"),
    ),
    pytest.param("missing-token-403", "authorisation", id="missing-token-403"),
    pytest.param("crash-on-emoji", "no-server-errors", id="crash-on-emoji"),
    pytest.param("crash-over-255", "no-server-errors", id="crash-over-255"),
    pytest.param("crash-on-duplicate-keys", "no-server-errors", id="crash-on-duplicate-keys"),
    pytest.param("crash-on-4-characteristics", "no-server-errors", id="crash-on-4-characteristics"),
    pytest.param("crash-on-bigint", "no-server-errors", id="crash-on-bigint"),
    pytest.param("crash-on-long-header", "no-server-errors", id="crash-on-long-header"),
]

SHAPE_FAULTS = [
    pytest.param(
        "get-unknown-200-empty", "GET /service-problems/{id}", "invalid-requests", id="get-unknown-200-empty"
    ),
    pytest.param(
        "get-id-prefix-match",
        "GET /service-problems/{id}",
        "invalid-requests",
        id="get-id-prefix-match",
        marks=_missed(
            "the unknown id is never the known id + suffix or another case (SP-000123X, sp-000123)"
        ),
    ),
    pytest.param(
        "patch-if-match-ignored",
        "PATCH /Products({key})",
        "invalid-requests",
        id="patch-if-match-ignored",
        marks=_missed("no deliberately stale If-Match is sent expecting the documented 412"),
    ),
    pytest.param(
        "delete-200-with-entity", "DELETE /Products({key})", "valid-requests", id="delete-200-with-entity"
    ),
]


def _status(result: RunResult, operation: str, requirement: str) -> str:
    [status] = [
        r.status for r in result.results if r.operation == operation and r.requirement.id.value == requirement
    ]
    return status


@pytest.mark.parametrize(("name", "requirement"), SPA_FAULTS)
def test_a_faulty_supplier_fails_the_requirement_it_breaks(name: str, requirement: str) -> None:
    impl_strict._seen_request_ids.clear()  # fcvalidate's request ids repeat from run to run
    with serve_app(faulty_spa.APPS[name]) as url:
        result = certify(url, token=TOKEN, data=bundled_data_file(), max_examples=10, cache=False)
    assert _status(result, SPA, requirement) == "failed"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    out = {}
    for api in ("fibre-cafe", "odata-catalogue"):
        folder = tmp_path_factory.mktemp(f"contracts-{api}")
        compile_to([CORPUS / api], folder)
        out[api] = load_contracts([folder])
    return out


@pytest.mark.parametrize(("name", "operation", "requirement"), SHAPE_FAULTS)
def test_a_faulty_supplier_of_other_shapes_fails_the_requirement_it_breaks(
    name: str, operation: str, requirement: str, compiled: dict[str, list]
) -> None:
    result = _certify_shape(name, compiled)
    assert _status(result, operation, requirement) == "failed"


def _certify_shape(name: str, compiled: dict[str, list], conventions: list[str] | None = None) -> RunResult:
    """The faulty supplier of another shape, from a fresh store, certified against its API's contracts."""
    module, api, app = faulty_shapes.APPS[name]
    faulty_shapes.reset()
    with serve_app(app) as url:
        return certify(
            url,
            contracts=compiled[api],
            token=module.TOKEN,
            data=HERE / f"shapes-{api}.yaml",
            max_examples=5,
            max_concurrency=1,
            cache=False,
            conventions=conventions,
        )


@pytest.mark.parametrize(
    ("name", "operation"),
    [
        ("query-enum-any-case", "GET /available-appointments"),
        ("body-enum-any-case", "POST /service-problems"),
    ],
)
def test_an_enum_read_whatever_its_case_warns_and_fails_once_the_convention_is_named(
    name: str, operation: str, compiled: dict[str, list]
) -> None:
    """A member in another letter case (`install`) is outside the enum, but reading enums so is a common
    leniency (three conformant suppliers here do it): a warning until json-schema.enum-not-normalised is
    accepted (--conventions), then a failure."""
    found = {}
    for conventions in (None, ["http", "fibre-cafe", "json-schema"]):
        result = _certify_shape(name, compiled, conventions)
        found[bool(conventions)] = _status(result, operation, "invalid-requests")
    assert found == {False: "warning", True: "failed"}
