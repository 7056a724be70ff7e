"""What changed between two versions of an API's contracts, and whom each change breaks.

Pure: compiled OpenAPI dicts in, `Change`s out. Every change has a rule (the `RULES` table says, once, how
it weighs on tenants — the API's clients — and on suppliers — its implementations — and why), a stable
fingerprint, the field it is about and the clauses of both documents it rests on.

How the severities are decided, once for every rule: a tenant sends requests and reads responses; a
supplier accepts requests and sends responses. A change *breaks* a side when something that side did
conformantly under the old contract is wrong under the new one; it is a *warning* when such a party may be
affected (a strict parser, a new input to honour); otherwise it is *info*. So a request that may carry less
(narrowed) breaks tenants, one that may carry more (widened) breaks suppliers, and the other way round for
responses. A supplier that still accepts a value the new contract forbids harms nobody: not breaking.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from fcvalidate.contract.operation import deref
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Source, source_of

Severity = Literal["breaking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")
B: Severity = "breaking"
W: Severity = "warning"
I: Severity = "info"  # noqa: E741  (the table below reads better with one-letter severities)


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of change and its weight for each side, with the reason written once."""

    id: str
    title: str
    tenants: Severity
    suppliers: Severity
    why: str
    recheck: bool = True  # False: no implementation can behave differently (the version line)


# Changes to a value slot, on the request side (parameters, request fields) and on the response side
# (response fields): (request tenants, request suppliers, why) and (response tenants, response suppliers, why).
_SLOT_CHANGES: dict[str, tuple[str, tuple[Severity, Severity, str], tuple[Severity, Severity, str]]] = {
    "added-required": (
        "added, required",
        (B, W, "tenants' requests lack it and are refused; suppliers have a new input to honour"),
        (I, B, "tenants get one more field; suppliers must now always send it"),
    ),
    "added-optional": (
        "added, optional",
        (I, W, "tenants may leave it out; suppliers have a new input to honour"),
        (I, I, "tenants ignore a field they do not know; suppliers need not send it"),
    ),
    "removed-required": (
        "removed (was required)",
        (
            W,
            B,
            "tenants still sending it are ignored or refused; a supplier still requiring it refuses the new requests",
        ),
        (B, I, "tenants reading it find nothing; suppliers may go on sending it"),
    ),
    "removed-optional": (
        "removed (was optional)",
        (W, I, "tenants still sending it are ignored or refused; suppliers may ignore it"),
        (W, I, "tenants reading it lose the value; suppliers may go on sending it"),
    ),
    "became-required": (
        "now required",
        (B, I, "tenants leaving it out are refused; suppliers already handled it present"),
        (I, B, "tenants already handled it present; suppliers must now always send it"),
    ),
    "became-optional": (
        "now optional",
        (I, B, "tenants may keep sending it; a supplier requiring it refuses tenants that leave it out"),
        (B, I, "tenants relying on it may not get it; suppliers may keep sending it"),
    ),
    "type-narrowed": (
        "type narrowed",
        (B, I, "tenants sending the dropped type are refused; suppliers accepting it harm nobody"),
        (I, B, "tenants get a subset of what they handled; suppliers must stop sending the dropped type"),
    ),
    "type-widened": (
        "type widened",
        (I, B, "tenants may keep sending the old type; suppliers must accept the new one"),
        (B, I, "tenants get a type they do not parse; suppliers may keep sending the old one"),
    ),
    "type-changed": (
        "type changed",
        (B, B, "tenants must send, and suppliers accept, another type"),
        (B, B, "suppliers must send, and tenants parse, another type"),
    ),
    "format-added": (
        "format added",
        (B, I, "tenants' free text may be refused; suppliers accepting any text harm nobody"),
        (I, B, "tenants get a subset of what they handled; suppliers must send the format"),
    ),
    "format-removed": (
        "format removed",
        (I, B, "tenants may keep sending the format; suppliers must accept any text"),
        (B, I, "tenants parsing the format get any text; suppliers may keep sending it"),
    ),
    "format-changed": (
        "format changed",
        (B, B, "tenants must send, and suppliers accept, another format"),
        (B, B, "suppliers must send, and tenants parse, another format"),
    ),
    "enum-value-added": (
        "enum value added",
        (I, B, "tenants may ignore the value; suppliers must accept it"),
        (W, I, "strict tenants may refuse a value they do not know; suppliers need not send it"),
    ),
    "enum-value-removed": (
        "enum value removed",
        (B, I, "tenants sending the value are refused; suppliers accepting it harm nobody"),
        (I, B, "tenants handled it and will not see it; suppliers must stop sending it"),
    ),
    "enum-added": (
        "now limited to an enum",
        (B, I, "tenants' other values are refused; suppliers accepting them harm nobody"),
        (I, B, "tenants get a subset of what they handled; suppliers must keep to the enum"),
    ),
    "enum-removed": (
        "no longer limited to an enum",
        (I, B, "tenants may keep to the old values; suppliers must accept any value"),
        (W, I, "strict tenants may refuse a value they do not know; suppliers may keep to the old values"),
    ),
    "nullable-added": (
        "now nullable",
        (I, B, "tenants need not send null; suppliers must accept it"),
        (B, I, "tenants get null where a value was promised; suppliers need not send it"),
    ),
    "nullable-removed": (
        "no longer nullable",
        (B, I, "tenants sending null are refused; suppliers accepting it harm nobody"),
        (I, B, "tenants handled null and will not see it; suppliers must stop sending it"),
    ),
}
_SLOTS = {
    "parameter": "parameter",
    "request-property": "request field",
    "response-property": "response field",
}


def _slot_rules() -> Iterator[Rule]:
    for prefix, noun in _SLOTS.items():
        for kind, (title, request, response) in _SLOT_CHANGES.items():
            tenants, suppliers, why = response if prefix == "response-property" else request
            yield Rule(f"{prefix}-{kind}", f"{noun} {title}", tenants, suppliers, why)


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "operation-added",
            "operation added",
            I,
            B,
            "tenants gain an operation; suppliers must implement it",
        ),
        Rule(
            "operation-removed",
            "operation removed",
            B,
            I,
            "tenants calling it lose it; suppliers may keep serving it",
        ),
        Rule(
            "operation-version-changed",
            "version line changed",
            I,
            I,
            "the version names the contract; what is sent and answered changes only through the other rules",
            recheck=False,
        ),
        *_slot_rules(),
        Rule(
            "parameter-location-changed",
            "parameter moved",
            B,
            B,
            "tenants must send it, and suppliers read it, somewhere else",
        ),
        Rule(
            "request-body-added",
            "request body added",
            B,
            W,
            "tenants' requests have no body and are refused; suppliers have a new input to honour",
        ),
        Rule(
            "request-body-removed",
            "request body removed",
            W,
            B,
            "tenants still sending one are ignored or refused; a supplier still requiring one refuses the new requests",
        ),
        Rule(
            "request-media-type-added",
            "request media type added",
            I,
            B,
            "tenants may keep the old one; suppliers must accept the new one",
        ),
        Rule(
            "request-media-type-removed",
            "request media type removed",
            B,
            I,
            "tenants sending it are refused; suppliers accepting it harm nobody",
        ),
        Rule(
            "response-status-added",
            "response status added",
            W,
            I,
            "tenants must handle one more answer; suppliers may use it",
        ),
        Rule(
            "response-status-removed",
            "response status removed",
            I,
            B,
            "tenants will not see it; suppliers must stop answering with it",
        ),
        Rule(
            "response-media-type-added",
            "response media type added",
            W,
            I,
            "tenants must parse one more media type; suppliers may use it",
        ),
        Rule(
            "response-media-type-removed",
            "response media type removed",
            I,
            B,
            "tenants will not see it; suppliers must stop sending it",
        ),
        Rule(
            "security-added",
            "security required",
            B,
            B,
            "tenants calling without a credential are refused; suppliers must refuse requests without one",
        ),
        Rule(
            "security-removed",
            "security no longer required",
            I,
            B,
            "tenants may keep sending a credential; suppliers must accept requests without one",
        ),
        Rule(
            "security-scheme-added",
            "security scheme added",
            I,
            B,
            "schemes are alternatives: tenants may keep theirs; suppliers must accept the new one",
        ),
        Rule(
            "security-scheme-removed",
            "security scheme removed",
            B,
            I,
            "tenants using it are refused; suppliers accepting it harm nobody (another scheme remains)",
        ),
        Rule(
            "security-scheme-changed",
            "security scheme changed",
            B,
            B,
            "tenants must send, and suppliers check, the credential another way",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class ContractDocument:
    """One compiled contract as the diff reads it; `base` is the folder its `x-fc-source` paths are
    relative to, so quoted clauses name files the reader can open."""

    name: str
    spec: Mapping[str, Any]
    base: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    rule: Rule
    operation: str  # "POST /service-orders"
    location: str  # request.body.$.contacts[*].name, response.201.body.$.id, request.header.Tenant
    json_path: str  # where in the contract (the new one; the old one for what was removed), $refs followed
    before: Any
    after: Any
    old: Source | None  # the clause of the old document, None where it says nothing
    new: Source | None

    @property
    def fingerprint(self) -> str:
        """The same change gets the same fingerprint on every run and machine (no index, no file name)."""
        key = json.dumps(
            [self.rule.id, self.operation, self.location, self.before, self.after],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    @property
    def message(self) -> str:
        values = ""
        if self.before is not None and self.after is not None:
            values = f": {_show(self.before)} → {_show(self.after)}"
        elif self.rule.id.endswith("-value-added") or self.rule.id.endswith("-value-removed"):
            values = f": {_show(self.after if self.after is not None else self.before)}"
        return f"{self.rule.title}{values}"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value


def diff_contracts(old: Sequence[ContractDocument], new: Sequence[ContractDocument]) -> list[Change]:
    """Every change from `old` to `new`, operation by operation (in path order), then by location.

    Operations are paired by method and path, path parameters matched by position (`/a/{id}` is
    `/a/{key}`). One side holding an operation twice (two versions of it) is refused: which to compare?
    """
    before, after = _operations(old, "OLD"), _operations(new, "NEW")
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[1], k[0])):
        o, n = before.get(key), after.get(key)
        if o is None and n is not None:
            changes.append(_change("operation-added", n.label, "operation", n.jp, None, None, None, n.source))
        elif n is None and o is not None:
            changes.append(
                _change("operation-removed", o.label, "operation", o.jp, None, None, o.source, None)
            )
        elif o is not None and n is not None:
            changes.extend(_operation_changes(o, n))
    return changes


@dataclass(frozen=True, slots=True)
class _Op:
    label: str
    jp: str
    node: Mapping[str, Any]
    spec: Mapping[str, Any]
    version: str
    base: str

    @property
    def source(self) -> Source | None:
        return _src(self.node, self.base)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operations(docs: Sequence[ContractDocument], side: str) -> dict[tuple[str, str], _Op]:
    out: dict[tuple[str, str], _Op] = {}
    where: dict[tuple[str, str], str] = {}
    for doc in docs:
        version = str((doc.spec.get("info") or {}).get("version", ""))
        for path, method, item in _path_methods(doc.spec):
            key = (method.upper(), re.sub(r"\{[^{}]*\}", "{}", path))
            label = f"{method.upper()} {path}"
            if key in out:
                raise UsageError(
                    f"{side} holds {label} twice ({where[key]} and {doc.name}): "
                    "give the one contract (file) to compare"
                )
            node = _operation_node(doc, path, item, method)
            out[key] = _Op(label, f"$.paths[{_q(path)}].{method}", node, doc.spec, version, doc.base)
            where[key] = doc.name
    return out


def _path_methods(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, Mapping):
            yield from ((path, method, item) for method in _METHODS if method in item)


def _operation_node(
    doc: ContractDocument, path: str, item: Mapping[str, Any], method: str
) -> Mapping[str, Any]:
    """The operation with its `$ref`s followed and the path's parameters it does not declare itself."""
    node = deref(item[method], doc.spec, f"{doc.name}: {method.upper()} {path}")
    shared = deref(item.get("parameters") or [], doc.spec, f"{doc.name}: {path}")
    if not shared:
        return node
    own = {(p.get("in"), p.get("name")) for p in node.get("parameters") or ()}
    extra = [p for p in shared if (p.get("in"), p.get("name")) not in own]
    return {**node, "parameters": [*(node.get("parameters") or ()), *extra]}


def _q(name: str) -> str:
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _jp(base: str, name: str) -> str:
    return f"{base}.{name}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f"{base}[{_q(name)}]"


def _src(node: Mapping[str, Any] | None, base: str) -> Source | None:
    src = source_of(node)
    if not src.at:
        return None
    if base and not posixpath.isabs(src.at):
        return Source(posixpath.normpath(posixpath.join(base, src.at)), src.clause)
    return src


def _change(
    rule: str,
    operation: str,
    location: str,
    json_path: str,
    before: Any,
    after: Any,
    old: Source | None,
    new: Source | None,
) -> Change:
    return Change(RULES[rule], operation, location, json_path, before, after, old, new)


class _Pair:
    """One operation in both versions: collects its changes."""

    def __init__(self, old: _Op, new: _Op) -> None:
        self.o, self.n = old, new
        self.changes: list[Change] = []

    def add(
        self,
        rule: str,
        location: str,
        jp: str,
        before: Any = None,
        after: Any = None,
        old: Mapping[str, Any] | Source | None = None,
        new: Mapping[str, Any] | Source | None = None,
    ) -> None:
        def quote(node: Mapping[str, Any] | Source | None, base: str) -> Source | None:
            return node if isinstance(node, Source) or node is None else _src(node, base)

        self.changes.append(
            _change(
                rule,
                self.n.label,
                location,
                jp,
                before,
                after,
                quote(old, self.o.base),
                quote(new, self.n.base),
            )
        )


def _operation_changes(o: _Op, n: _Op) -> list[Change]:
    pair = _Pair(o, n)
    if o.version != n.version:
        pair.add(
            "operation-version-changed", "version", "$.info.version", o.version, n.version, o.node, n.node
        )
    _parameters(pair)
    _request_body(pair)
    _responses(pair)
    _security(pair)
    return pair.changes


# -- parameters -----------------------------------------------------------------------------------------
def _param_key(p: Mapping[str, Any]) -> str:
    name = str(p.get("name", ""))
    where = str(p.get("in", ""))
    return f"{where}:{name.lower() if where == 'header' else name}"  # header names are case-insensitive


def _param_schema(p: Mapping[str, Any]) -> Mapping[str, Any]:
    content = p.get("content") or {}
    media = next(iter(content), None)
    return (content[media].get("schema") or {}) if media else (p.get("schema") or {})


def _parameters(pair: _Pair) -> None:
    before, after = _parameter_index(pair.o), _parameter_index(pair.n)
    # A parameter gone from one place and come to another under the same name has moved.
    gone = {k.partition(":")[2].lower(): k for k in before.keys() - after.keys()}
    for key in sorted(after.keys() - before.keys()):
        moved = gone.pop(key.partition(":")[2].lower(), None)
        if moved is not None:
            before[key] = before.pop(moved)
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None:
            _parameter_changes(pair, old[1], *new)
        elif new is not None:
            i, p = new
            jp = f"{pair.n.jp}.parameters[{i}]"
            pair.add(f"parameter-added-{_requirement(p)}", _param_loc(p), jp, None, _param_summary(p), new=p)
        elif old is not None:
            i, p = old
            jp = f"{pair.o.jp}.parameters[{i}]"
            pair.add(
                f"parameter-removed-{_requirement(p)}", _param_loc(p), jp, _param_summary(p), None, old=p
            )


def _parameter_index(op: _Op) -> dict[str, tuple[int, Mapping[str, Any]]]:
    """The operation's parameters by key, with their places in its list."""
    # A path parameter is known by its place in the path: renaming `{id}` to `{key}` sends the same URL.
    places = {name: f"path:#{n}" for n, name in enumerate(re.findall(r"\{([^{}]*)\}", op.label))}
    params = op.node.get("parameters") or ()
    return {
        (places.get(p.get("name"), "") if p.get("in") == "path" else "") or _param_key(p): (i, p)
        for i, p in enumerate(params)
    }


def _parameter_changes(pair: _Pair, po: Mapping[str, Any], i: int, pn: Mapping[str, Any]) -> None:
    loc = _param_loc(pn)
    jp = f"{pair.n.jp}.parameters[{i}]"
    if po.get("in") != pn.get("in"):
        pair.add("parameter-location-changed", loc, jp, po.get("in"), pn.get("in"), po, pn)
    if _requirement(po) != _requirement(pn):
        pair.add(f"parameter-became-{_requirement(pn)}", loc, jp, old=po, new=pn)
    slot = _Slot(pair, "parameter", loc, jp, _src(po, pair.o.base), _src(pn, pair.n.base))
    _schema(slot, _param_schema(po), _param_schema(pn))


_REQUIRED = {True: "required", False: "optional"}


def _requirement(p: Mapping[str, Any]) -> str:
    return _REQUIRED[bool(p.get("required")) or p.get("in") == "path"]


def _param_loc(p: Mapping[str, Any]) -> str:
    return f"request.{p.get('in')}.{p.get('name')}"


def _param_summary(p: Mapping[str, Any]) -> Any:
    return _summary(_param_schema(p))


# -- bodies ---------------------------------------------------------------------------------------------
def _request_body(pair: _Pair) -> None:
    bo, bn = pair.o.node.get("requestBody"), pair.n.node.get("requestBody")
    jp = f"{pair.n.jp}.requestBody"
    if bo is not None and bn is not None:
        _content(pair, "request", "request.body", jp, bo, bn)
    elif bn is not None:
        pair.add("request-body-added", "request.body", jp, None, sorted(bn.get("content") or {}), new=bn)
    elif bo is not None:
        pair.add(
            "request-body-removed",
            "request.body",
            f"{pair.o.jp}.requestBody",
            sorted(bo.get("content") or {}),
            None,
            old=bo,
        )


def _content(pair: _Pair, side: str, loc: str, jp: str, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    co, cn = o.get("content") or {}, n.get("content") or {}
    for media in sorted(co.keys() | cn.keys()):
        mjp = f"{jp}.content[{_q(media)}]"
        if media not in co:
            pair.add(f"{side}-media-type-added", f"{loc}.{media}", mjp, None, media, new=n)
        elif media not in cn:
            pair.add(f"{side}-media-type-removed", f"{loc}.{media}", mjp, media, None, old=o)
        else:
            slot = _Slot(
                pair,
                f"{side}-property",
                f"{loc}.$",
                f"{mjp}.schema",
                _src(o, pair.o.base),
                _src(n, pair.n.base),
            )
            _schema(slot, co[media].get("schema") or {}, cn[media].get("schema") or {})


def _responses(pair: _Pair) -> None:
    # YAML reads an unquoted 200 as a number: a status is its text
    ro = {str(k): v for k, v in (pair.o.node.get("responses") or {}).items()}
    rn = {str(k): v for k, v in (pair.n.node.get("responses") or {}).items()}
    for status in sorted(ro.keys() | rn.keys(), key=str):
        jp = f"{pair.n.jp}.responses[{_q(str(status))}]"
        loc = f"response.{status}"
        if status not in ro:
            pair.add("response-status-added", loc, jp, None, str(status), new=rn[status])
        elif status not in rn:
            pair.add(
                "response-status-removed",
                loc,
                f"{pair.o.jp}.responses[{_q(str(status))}]",
                str(status),
                None,
                old=ro[status],
            )
        else:
            _content(pair, "response", f"{loc}.body", jp, ro[status], rn[status])


# -- schemas --------------------------------------------------------------------------------------------
_ANY = frozenset({"any"})


def _types(schema: Mapping[str, Any]) -> frozenset[str]:
    t = schema.get("type")
    if t is None:
        return _ANY
    types = frozenset([t] if isinstance(t, str) else t) - {"null"}
    return types or _ANY


def _covers(types: frozenset[str], t: str) -> bool:
    return types == _ANY or t in types or (t == "integer" and "number" in types)


def _nullable(schema: Mapping[str, Any]) -> bool:
    t = schema.get("type")
    in_type = t == "null" or (isinstance(t, list) and "null" in t)
    # `nullable: true` is OpenAPI 3.0's way, still met in hand-written contracts
    return in_type or schema.get("nullable") is True or None in (schema.get("enum") or ())


def _enum(schema: Mapping[str, Any]) -> list[Any] | None:
    enum = schema.get("enum")
    return None if enum is None else [v for v in enum if v is not None]


def _summary(schema: Mapping[str, Any]) -> Any:
    """What an added or removed slot was: its type(s), as the fingerprint and the message show it."""
    types = sorted(_types(schema))
    return types[0] if len(types) == 1 else types


@dataclass(frozen=True, slots=True)
class _Slot:
    """A value slot compared in both versions: its rule prefix, where it is, and the clauses quoted
    for it (None on the side where it does not exist)."""

    pair: _Pair
    prefix: str  # parameter, request-property or response-property
    loc: str
    jp: str
    src_o: Source | None
    src_n: Source | None

    def add(self, kind: str, before: Any = None, after: Any = None, jp: str | None = None) -> None:
        self.pair.add(f"{self.prefix}-{kind}", self.loc, jp or self.jp, before, after, self.src_o, self.src_n)

    def under(self, loc: str, jp: str) -> _Slot:
        """The slot's items (`[*]`, `.items`) or map values (`.*`, `.additionalProperties`)."""
        return replace(self, loc=self.loc + loc, jp=self.jp + jp)

    def child(self, name: str, o: Mapping[str, Any], n: Mapping[str, Any]) -> _Slot:
        """The property `name` of the slot, quoting its own clause where it has one."""
        return _Slot(
            self.pair,
            self.prefix,
            f"{self.loc}.{name}",
            _jp(f"{self.jp}.properties", name),
            (_src(o[name], self.pair.o.base) or self.src_o) if name in o else None,
            (_src(n[name], self.pair.n.base) or self.src_n) if name in n else None,
        )


def _schema(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    """Compare one value slot (a parameter, a field, an item) and everything under it."""
    slot = replace(
        slot, src_o=_src(o, slot.pair.o.base) or slot.src_o, src_n=_src(n, slot.pair.n.base) or slot.src_n
    )
    for compare in (_type_change, _format_change, _enum_changes, _nullable_change, _inside):
        compare(slot, o, n)


def _inside(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    """The slot's properties, items and map values."""
    to, tn = _types(o), _types(n)
    if to == {"object"} and tn == {"array"}:
        # one object became a list of them: its fields are the items' fields now, not removed and re-added
        _properties(slot.under("[*]", ".items"), o, n.get("items") or {})
    elif to == {"array"} and tn == {"object"}:
        _properties(slot, o.get("items") or {}, n)
    else:
        _properties(slot, o, n)
        _items_and_values(slot, o, n)


def _items_and_values(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    if "items" in o or "items" in n:
        _schema(slot.under("[*]", ".items"), o.get("items") or {}, n.get("items") or {})
    ao, an = _mapping(o.get("additionalProperties")), _mapping(n.get("additionalProperties"))
    if ao is not None or an is not None:
        _schema(slot.under(".*", ".additionalProperties"), ao or {}, an or {})


def _mapping(value: Any) -> Mapping[str, Any] | None:
    """A schema, or None (`additionalProperties: false` is not one)."""
    return value if isinstance(value, Mapping) else None


def _type_change(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    to, tn = _types(o), _types(n)
    if to != tn:
        narrower = tn != _ANY and all(_covers(to, t) for t in tn)
        wider = to != _ANY and all(_covers(tn, t) for t in to)
        slot.add(
            "type-narrowed" if narrower else "type-widened" if wider else "type-changed",
            _summary(o),
            _summary(n),
        )


def _format_change(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    fo, fn = o.get("format"), n.get("format")
    if fo != fn:
        slot.add(
            "format-added" if fo is None else "format-removed" if fn is None else "format-changed", fo, fn
        )


def _enum_changes(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    eo, en = _enum(o), _enum(n)
    if eo is None or en is None:
        if eo != en:
            slot.add("enum-added" if eo is None else "enum-removed", eo, en)
        return
    for value in _missing(en, eo):
        slot.add("enum-value-added", None, value, f"{slot.jp}.enum")
    for value in _missing(eo, en):
        slot.add("enum-value-removed", value, None, f"{slot.jp}.enum")


def _missing(values: list[Any], other: list[Any]) -> list[Any]:
    """The values not in `other`, in order (a list, not a set: enum values may be unhashable)."""
    return [v for v in values if v not in other]


def _nullable_change(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    if _nullable(o) != _nullable(n):
        slot.add("nullable-added" if _nullable(n) else "nullable-removed")


def _properties(slot: _Slot, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
    po, pn = o.get("properties") or {}, n.get("properties") or {}
    ro, rn = set(o.get("required") or ()), set(n.get("required") or ())
    for name in _ordered(pn, po):
        child = slot.child(name, po, pn)
        if name not in po:
            child.add(f"added-{_REQUIRED[name in rn]}", None, _summary(pn[name]))
        elif name not in pn:
            old_jp = _jp(f"{slot.jp.replace(slot.pair.n.jp, slot.pair.o.jp, 1)}.properties", name)
            child.add(f"removed-{_REQUIRED[name in ro]}", _summary(po[name]), None, old_jp)
        else:
            if (name in ro) != (name in rn):
                child.add(f"became-{_REQUIRED[name in rn]}")
            _schema(child, po[name], pn[name])


def _ordered(first: Iterable[str], second: Iterable[str]) -> list[str]:
    """The new document's order, then what only the old one had."""
    return list(dict.fromkeys([*first, *second]))


# -- security -------------------------------------------------------------------------------------------
def _schemes(op: _Op) -> dict[str, Any]:
    """The operation's schemes (alternatives) and how each delivers its credential."""
    defined = (op.spec.get("components") or {}).get("securitySchemes") or {}
    names = [
        name for requirement in op.node.get("security", op.spec.get("security", [])) for name in requirement
    ]
    return {
        name: {k: v for k, v in (defined.get(name) or {}).items() if not str(k).startswith("x-")}
        for name in names
    }


def _security(pair: _Pair) -> None:
    so, sn = _schemes(pair.o), _schemes(pair.n)
    jp = f"{pair.n.jp}.security"
    old, new = pair.o.node, pair.n.node
    if not so and sn:
        pair.add("security-added", "security", jp, None, sorted(sn), old, new)
        return
    if so and not sn:
        pair.add("security-removed", "security", jp, sorted(so), None, old, new)
        return
    for name in sorted(sn.keys() - so.keys()):
        pair.add("security-scheme-added", f"security.{name}", jp, None, name, old, new)
    for name in sorted(so.keys() - sn.keys()):
        pair.add("security-scheme-removed", f"security.{name}", jp, name, None, old, new)
    for name in sorted(so.keys() & sn.keys()):
        if so[name] != sn[name]:
            pair.add(
                "security-scheme-changed",
                f"security.{name}",
                f"$.components.securitySchemes[{_q(name)}]",
                so[name],
                sn[name],
                old,
                new,
            )


# -- acceptance -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Accepted:
    """A change the operator approved: its fingerprint and why."""

    fingerprint: str
    reason: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The changes still to act on, those the accepted list silenced, and acceptances matching nothing."""

    changes: tuple[Change, ...]
    silenced: tuple[tuple[Change, Accepted], ...] = ()
    stale: tuple[Accepted, ...] = ()

    def worst(self, side: str) -> Severity | None:
        """The most severe weight among the changes for `side` (tenants, suppliers or both)."""
        found = {
            getattr(c.rule, s)
            for c in self.changes
            for s in (("tenants", "suppliers") if side == "both" else (side,))
        }
        return next((s for s in SEVERITIES if s in found), None)

    def meets(self, threshold: Severity | None, side: str = "both") -> bool:
        worst = self.worst(side)
        if threshold is None or worst is None:
            return False
        return SEVERITIES.index(worst) <= SEVERITIES.index(threshold)


def apply_accepted(changes: Iterable[Change], accepted: Iterable[Accepted] = ()) -> Outcome:
    by_fp = {a.fingerprint: a for a in accepted}
    kept, silenced, used = [], [], set()
    for change in changes:
        approval = by_fp.get(change.fingerprint)
        if approval is None:
            kept.append(change)
        else:
            silenced.append((change, approval))
            used.add(change.fingerprint)
    stale = tuple(a for fp, a in by_fp.items() if fp not in used)
    return Outcome(tuple(kept), tuple(silenced), stale)


def touched_operations(changes: Iterable[Change]) -> set[str]:
    """Operations (of the new contract) whose implementation may now behave differently: re-check them."""
    return {c.operation for c in changes if c.rule.recheck and c.rule.id != "operation-removed"}
