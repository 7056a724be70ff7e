"""Whether a write the run made was kept as documented, judged from the read of the same resource that
followed it (engine/stateful.py sends the sequences): values sent read back, a PATCH leaves what it did not
send alone, a deleted resource is gone. Plain functions of exchanges; a finding is a valid-requests one."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from fcvalidate.checks.registry import Basis, Violation
from fcvalidate.contract.operation import Operation
from fcvalidate.exchange import Exchange, Response, Source
from fcvalidate.requirements import RequirementId as R

# Fields a server may rightly set itself on every write: timestamps, versions, tags (RFC 9110 §8.8).
_SERVER_SET = re.compile(r"updated|modified|version|revision|etag|timestamp", re.IGNORECASE)
_NORMALISED_FORMATS = frozenset({"date", "date-time", "time", "email", "uri", "hostname", "ipv6"})

PERSISTED = (
    "the document's read of the same resource documents these fields, and RFC 9110 §9.3.1/§9.3.3/§9.3.4 "
    "say a GET transfers the resource's current state, which a successful POST or PUT has just set; only "
    "fields both sent and documented by the read are compared, an optional one only where the read "
    "carries it (a server may assign or normalise others: "
    "ids, read-only fields, timestamps, versions and formatted values are left out, and text is compared "
    "without its surrounding white space, in Unicode NFC)"
)
UNCHANGED = (
    "RFC 5789 §2: a PATCH applies the changes it describes to the resource, so a field it does not name "
    "keeps its value"
)
MERGE_PATCH = "; RFC 7396 §2 (application/merge-patch+json): a member not in the patch is left as it was"
DELETED = (
    "RFC 9110 §9.3.5: after a successful DELETE the origin server no longer associates the resource with "
    "its URI, so a read of it is answered 404 Not Found (or 410 Gone)"
)


def comparable(read: Operation, sent: Mapping[str, Any]) -> dict[str, Any]:
    """The sent fields the read documents, leaving out those a server may assign or normalise."""
    props = _read_properties(read)
    named = {p.name for p in read.in_("path")} | {"id"}
    out = {}
    for name, value in sent.items():
        schema = props.get(name)
        if not isinstance(schema, Mapping) or name in named or schema.get("readOnly"):
            continue
        if _SERVER_SET.search(name) or schema.get("format") in _NORMALISED_FORMATS:
            continue
        out[name] = value
    return out


def read_back(
    write: Operation, read: Operation, sent: Any, exchange: Exchange, after: str
) -> Iterator[Violation]:
    """The read after a POST, PUT or PATCH (`after`: the write's case id) shows the values it sent."""
    body = _object(exchange.response)
    if body is None:
        yield from _not_read(write, read, exchange, after)
        return
    required = _read_required(read)
    for name, value in comparable(read, sent if isinstance(sent, Mapping) else {}).items():
        if name not in body and name not in required:
            continue  # the read may leave out an optional field: absence shows nothing about the write
        if value is None and _merge_patch(write):
            if body.get(name) is not None:  # RFC 7396: null removes the member
                yield _violation(
                    write,
                    read,
                    f"A field the {write.method} removed (null) still reads back",
                    name,
                    "absent or null",
                    _text(body.get(name)),
                    exchange,
                    after,
                    MERGE_PATCH.lstrip("; "),
                )
        elif value is not None and _differs(value, body.get(name, _ABSENT)):
            title = f"What the {write.method} sent does not read back"
            note = PERSISTED if write.method != "PATCH" else PERSISTED.replace("POST or PUT", "PATCH")
            yield _violation(
                write, read, title, name, _text(value), _text(body.get(name, _ABSENT)), exchange, after, note
            )


def left_alone(
    write: Operation, read: Operation, before: Exchange, sent: Any, exchange: Exchange, after: str
) -> Iterator[Violation]:
    """The read after a PATCH shows every field it did not send as the read before it did."""
    old, new = _object(before.response), _object(exchange.response)
    if old is None or new is None:
        return  # read_back reports an unreadable read; an unreadable earlier one proves nothing
    sent = sent if isinstance(sent, Mapping) else {}
    kept = comparable(read, {k: v for k, v in old.items() if k not in sent})
    for name, value in kept.items():
        if _differs(value, new.get(name, _ABSENT)):
            yield _violation(
                write,
                read,
                "A PATCH changed a field it did not send",
                name,
                f"{_text(value)}, as before the PATCH",
                _text(new.get(name, _ABSENT)),
                exchange,
                after,
                UNCHANGED + (MERGE_PATCH if _merge_patch(write) else ""),
                before.case.id,
            )


def gone(
    write: Operation, read: Operation, exchange: Exchange, after: str, control: Exchange | None = None
) -> Iterator[Violation]:
    """The read after a successful DELETE answers 404 or 410. `control`: the same read of an id naming
    nothing; answered 2xx too, the read finds anything, and shows nothing about the DELETE."""
    response = exchange.response
    if response is None or response.status in (404, 410):
        return
    if response.ok and control is not None and control.response is not None and control.response.ok:
        yield _violation(
            write,
            read,
            "Inconclusive: the read answers 2xx for an id that names nothing too",
            "",
            "404 or 410",
            _answer(response),
            exchange,
            after,
            DELETED + "; the read found an id that names nothing as well, so its 2xx says nothing here",
            control.case.id,
            severity="warning",
        )
        return
    title = (
        "A deleted resource is still there"
        if response.ok
        else "A deleted resource is not answered 404 or 410"
    )
    yield _violation(
        write,
        read,
        title,
        "",
        "404 or 410",
        _answer(response),
        exchange,
        after,
        DELETED,
        severity="failure" if response.ok else "warning",
    )


def _not_read(write: Operation, read: Operation, exchange: Exchange, after: str) -> Iterator[Violation]:
    response = exchange.response
    if response is None:
        return  # no answer: the transport said so on the exchange, and a read proves nothing either way
    if response.status >= 500:
        yield _violation(
            write,
            read,
            f"The resource the {write.method} wrote fails to be read: a server error",
            "",
            "a documented 2xx with the resource",
            _answer(response),
            exchange,
            after,
            PERSISTED + "; RFC 9110 §15.6: a 5xx says the server failed to answer a request it should have",
        )
    elif response.status in (404, 410):
        yield _violation(
            write,
            read,
            f"What the {write.method} wrote is not found when read",
            "",
            "a documented 2xx with the resource",
            _answer(response),
            exchange,
            after,
            PERSISTED,
        )
    elif response.ok:
        return  # a 2xx with no JSON object: the read's own checks judge its body
    else:
        yield _violation(
            write,
            read,
            f"Inconclusive: the resource the {write.method} wrote could not be read",
            "",
            "a documented 2xx",
            _answer(response),
            exchange,
            after,
            PERSISTED,
            severity="warning",
        )


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT: Any = _Absent()


def _differs(sent: Any, read: Any) -> bool:
    """Whether the read contradicts what was sent: objects compare on the members both have (a server may
    add its own), lists item by item, anything else as JSON values (1 and 1.0 are one number, true is not 1)."""
    if isinstance(sent, Mapping) and isinstance(read, Mapping):
        return any(_differs(v, read[k]) for k, v in sent.items() if k in read)
    if isinstance(sent, list) and isinstance(read, list):
        return len(sent) != len(read) or any(_differs(a, b) for a, b in zip(sent, read, strict=True))
    if isinstance(sent, bool) or isinstance(read, bool):
        return sent is not read
    if isinstance(sent, str) and isinstance(read, str):  # a server may trim or normalise text (NFC)
        return unicodedata.normalize("NFC", sent).strip() != unicodedata.normalize("NFC", read).strip()
    return bool(sent != read)


def _read_properties(read: Operation) -> Mapping[str, Any]:
    for status in read.success_statuses:
        schema = read.responses[status].schema
        if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping):
            return schema["properties"]  # type: ignore[no-any-return]
    return {}


def _read_required(read: Operation) -> frozenset[str]:
    for status in read.success_statuses:
        schema = read.responses[status].schema
        if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping):
            return frozenset(schema.get("required") or ())
    return frozenset()


def _read_source(read: Operation) -> Source:
    for status in read.success_statuses:
        if read.responses[status].source.at:
            return read.responses[status].source
    return read.source


def _merge_patch(write: Operation) -> bool:
    media = (write.request_media_type or "").split(";")[0].strip().lower()
    return write.method == "PATCH" and media == "application/merge-patch+json"


def _object(response: Response | None) -> dict[str, Any] | None:
    if response is None or not response.ok:
        return None
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _answer(response: Response) -> str:
    text = response.body[:120].decode("utf-8", "replace")
    return f"{response.status} {text}".strip()


def _text(value: Any) -> str:
    return "absent" if value is _ABSENT else json.dumps(value)[:120]


def _violation(
    write: Operation,
    read: Operation,
    title: str,
    field: str,
    expected: str,
    actual: str,
    exchange: Exchange,
    after: str,
    note: str,
    *also: str,
    severity: Any = "failure",
) -> Violation:
    return Violation(
        R.VALID_REQUESTS,
        title,
        f"response.body.$.{field}" if field else "response.status",
        expected,
        f"{actual} (read by {read.label} after {write.label})",
        _read_source(read),
        severity,
        case_id=exchange.case.id,
        basis=Basis(note=note),
        judged_with=(after, *also),
    )
