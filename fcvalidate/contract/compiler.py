"""Compiler: endpoint documents → OpenAPI 3.1 contracts, one contract per API and version.

Pure: documents in, `{file name: OpenAPI dict}` out; `render` makes the JSON text. Every parameter,
property and response carries `x-fc-source` (the clause it came from), every deduction `x-fc-inferred`
and every hole in the documents `x-fc-gaps`, so a reader can tell what was read from what was deduced.

Security schemes. The export writes only a scheme's *name* (`Security: oauth2, ApiKeyAuth`), never its
type, so the type is deduced from the name, and every deduction says so in `x-fc-inferred`:

* `oauth2…`/`oauth…` → OAuth 2 client credentials with the API's token URL (machine-to-machine);
* `bearer…`, `…Bearer…`, `jwt…`/`…JWT…` → HTTP bearer (`bearerFormat: JWT` for the JWT names);
* `basic…`, `…Basic…` (`HTTPBasic`, `http_basic`) → HTTP basic;
* a name shaped like a header (`X-Api-Key`, `Api-Key`) → an API key sent in that header;
* `none` → no security;
* a name saying API key but not where (`ApiKeyAuth`, `api_key`) → an API key in a header *of the same
  name*, marked with the gap `security-scheme` so lint warns: where it goes is not known;
* anything else (`customAuth`, `magic`) → the same, and the note says the type itself is unknown.

Several names are taken as alternatives (any one suffices): the export writes AND and OR the same way,
and the looser reading never fails a conformant implementation. The operation records that choice.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fcvalidate.contract.model import Clause, EndpointDocument, Field, Section
from fcvalidate.contract.paging import LIMIT_RULE, MARKER_RULE, limit_sentence, marker_sentence
from fcvalidate.errors import DocumentError, Problem
from fcvalidate.jsonpath import json_type

TITLE = "Fibre Cafe gateway API"
TOKEN_URL = "/oauth2/token"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
GAP_REQUEST_BODY = "request-body"
GAP_SUCCESS_RESPONSE = "success-response"
GAP_PATH_PARAMETER = "path-parameter"
GAP_SECURITY_SCHEME = "security-scheme"
GAP_VERSION = "version"
UNVERSIONED = "unversioned"
MAP_VALUES = "additionalProperties"

# The deliberate rules of inference, written once: the note each `x-fc-inferred` carries.
INFERENCE_NOTES = {
    "same-schema-as": (
        "documented as an object with no fields and the same description as `{model}`; the export writes a "
        "repeated schema only once, so it is taken to be the same schema"
    ),
    "items-from-example": "the item type is not documented; taken from the example, whose items are all {type}",
    "items-from-enum": "the Enum of an array lists its items' values; the item type is taken from them ({type})",
    "oauth2-flow": (
        "the documents say only 'oauth2'; the client-credentials flow and token URL are assumed "
        "(machine-to-machine gateway)"
    ),
    "scheme-from-name": "the documents give only the scheme's name `{name}`; its type is taken from the name",
    "unknown-scheme": (
        "the documents give only the scheme's name `{name}`, which says nothing reliable about its type; "
        "taken to be an API key in a header of that name"
    ),
    "api-key-location": (
        "the name `{name}` says API key but not where it is sent; taken to be a header of that name"
    ),
    "security-alternatives": (
        "the document lists several schemes; the export writes 'all of' and 'any of' alike, so they are "
        "taken as alternatives (any one suffices)"
    ),
    "undocumented-request-body": (
        "the document lists no request fields (the export drops them); the body is kept an open JSON object "
        "and no field is invented"
    ),
    "inputs-as-parameters": (
        "the document lists no request fields and documents the operation's inputs as query parameters "
        "(or, for a POST, as path parameters): it is taken to have no body"
    ),
    "body-without-fields": "the document names the media type but lists no fields; the body is left unconstrained",
    "path-parameter-required": "documented as optional, but a path parameter is always required in OpenAPI",
    "undocumented-path-parameter": (
        "`{{{name}}}` is in the path but not documented; it is kept a required string and nothing else is assumed"
    ),
    "json-query-parameter": (
        "an object-valued query parameter whose example is JSON: it is sent as JSON text "
        "(name={{...}} URL-encoded), so its schema is given as application/json content"
    ),
    "query-object-style": "how the object is put in the query is not documented; OpenAPI's default (form, exploded) is kept",
    "query-array-style": "how the array is put in the query is not documented; OpenAPI's default (form, exploded: a=1&a=2) is kept",
    "query-array-comma": "the example is comma-separated text, so the array is sent as one form value a=1,2 (not exploded)",
    "map-values": "`additionalProperties` is the export's name for the values of a map, not a property",
    "nullable-enum": "documented as nullable with an Enum that does not list null; null is added so both statements hold",
    "null-in-enum": (
        "the Enum lists null but the type words do not; the export prints a nullable enum that "
        "way, so null is allowed"
    ),
    LIMIT_RULE: (
        "the document says this parameter is the most {items} one answer holds: a page never holds more "
        "(the sentence is quoted)"
    ),
    MARKER_RULE: "the document says how this field marks the last page (the sentence is quoted)",
    "marker-in-prose": "{words}: {where}; read as words of the description, as the export means them",
    "example-as-text": (
        "the example {value} is printed as a bare number, but the parameter is a string (its value is text "
        "in the request either way); taken as the text {text}"
    ),
    "format-from-example": (
        "{why} and every example is a UUID (8-4-4-4-12 hex digits), so the value is taken to be a UUID "
        "(format: uuid); no other format is inferred from examples: a date, e-mail or URL example may stand "
        "for looser text"
    ),
}
GAP_NOTES = {
    GAP_REQUEST_BODY: "the document lists no request fields; absence is not 'no body'",
    GAP_SUCCESS_RESPONSE: "the document lists no 2xx response; the success status and body are unknown",
    GAP_PATH_PARAMETER: "a parameter of the path template is not documented",
    GAP_SECURITY_SCHEME: "the scheme's type and where its credentials go are unknown (only its name is documented)",
    GAP_VERSION: "the documents give no 'Version:'",
}


@dataclass(frozen=True, slots=True)
class Api:
    """Which API a set of documents belongs to: it names the contracts and their `info.title`."""

    title: str = TITLE
    slug: str = "fibre-cafe"  # contracts are <slug>-<version>.openapi.json, or <slug>.openapi.json
    token_url: str = TOKEN_URL  # the OAuth 2 token URL assumed for `oauth2` schemes

    @classmethod
    def named(cls, name: str) -> Api:
        """An API with no configuration: titled with its folder's name, `billing` → billing-*.json."""
        return cls(title=name or "API", slug=slug(name) or "api")

    def contract_file_name(self, version: str | None) -> str:
        return f"{self.slug}-{version}.openapi.json" if version is not None else f"{self.slug}.openapi.json"


def slug(text: str) -> str:
    return "-".join(w.lower() for w in re.split(r"[^A-Za-z0-9]+", text) if w)


def contract_file_name(version: str | None, api: Api | None = None) -> str:
    return (api or Api()).contract_file_name(version)


def operation_id(method: str, path: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w]
    return method.lower() + "".join(w[:1].upper() + w[1:] for w in words)


def compile_documents(
    documents: Sequence[EndpointDocument],
    source_names: Mapping[str, str] | None = None,
    api: Api | None = None,
) -> dict[str, dict[str, Any]]:
    """Compile one API's documents into contracts keyed by file name, operations of one version together.

    `source_names` maps a document's file to the name its `x-fc-source` uses (relative to the contract).
    """
    api = api or Api()
    seen: dict[tuple[str | None, str, str], EndpointDocument] = {}
    problems: list[Problem] = []
    by_version: dict[str | None, list[EndpointDocument]] = defaultdict(list)
    for doc in documents:
        key = (doc.version, doc.method, doc.path)
        if key in seen:
            version = f"version {doc.version}" if doc.version is not None else "no version"
            problems.append(
                Problem(doc.head.location, f"{doc.label} ({version}) is also documented in {seen[key].file}")
            )
            continue
        seen[key] = doc
        by_version[doc.version].append(doc)
    if problems:
        raise DocumentError(problems)
    return {
        api.contract_file_name(version): _ContractBuilder(version, source_names or {}, api).build(docs)
        for version, docs in sorted(by_version.items(), key=lambda kv: _version_key(kv[0]))
    }


def compile_apis(
    groups: Sequence[tuple[Api, Sequence[EndpointDocument]]], source_names: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Compile several APIs into one folder; two APIs that would write the same file are refused."""
    out: dict[str, dict[str, Any]] = {}
    owner: dict[str, Api] = {}
    problems: list[Problem] = []
    for api, docs in groups:
        for name, spec in compile_documents(docs, source_names, api).items():
            if name in out:
                first = next(d for d in docs if api.contract_file_name(d.version) == name)
                problems.append(
                    Problem(
                        first.head.location,
                        f"API {api.title!r} would write {name}, which API {owner[name].title!r} writes too "
                        "(give one of them another slug in its api.json)",
                    )
                )
                continue
            out[name], owner[name] = spec, api
    if problems:
        raise DocumentError(problems)
    return out


GENERATED = (
    "Generated by `fcvalidate compile` from the endpoint documents in source/. Do not edit: change the "
    "documents (or the compiler) and compile again."
)


def render(spec: dict[str, Any]) -> str:
    """The text of a contract: JSON, so it is byte-identical on every machine (YAML emitters differ)."""
    return json.dumps({"x-fc-generated": GENERATED, **spec}, indent=2, ensure_ascii=False) + "\n"


def _version_key(version: str | None) -> tuple[Any, ...]:
    if version is None:
        return ()
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


def _camel_words(name: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)


def _strip_sources(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_sources(v) for k, v in node.items() if k not in ("x-fc-source", "x-fc-inferred")}
    if isinstance(node, list):
        return [_strip_sources(v) for v in node]
    return node


def _inputs_as_parameters(doc: EndpointDocument) -> bool:
    """Inputs documented as query parameters (or a POST's path parameters, an action on a resource)."""
    return bool(doc.parameters("query")) or (doc.method == "POST" and bool(doc.parameters("path")))


def _inferred(rule: str, **values: str) -> dict[str, Any]:
    return {"rule": rule, "note": INFERENCE_NOTES[rule].format(**values)}


def _add_inferred(node: dict[str, Any], note: dict[str, Any]) -> None:
    """One deduction is a mapping; several are a list of them, in the order they were made."""
    current = node.get("x-fc-inferred")
    if current is None:
        node["x-fc-inferred"] = note
    else:
        node["x-fc-inferred"] = [*(current if isinstance(current, list) else [current]), note]


def security_scheme(name: str, token_url: str = TOKEN_URL) -> dict[str, Any] | None:
    """The OpenAPI scheme a `Security:` name stands for (None for `none`); see the module docstring."""
    low = name.lower()
    if low == "none":
        return None
    if low.startswith("oauth"):
        return {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": {}}},
            "x-fc-inferred": _inferred("oauth2-flow"),
        }
    if low == "bearer":
        return {"type": "http", "scheme": "bearer"}
    if "bearer" in low or "jwt" in low:
        scheme: dict[str, Any] = {"type": "http", "scheme": "bearer"}
        if "jwt" in low:
            scheme["bearerFormat"] = "JWT"
        return {**scheme, "x-fc-inferred": _inferred("scheme-from-name", name=name)}
    if "basic" in low:  # basicAuth, BasicAuth, HTTPBasic (FastAPI's default name), http_basic
        return {"type": "http", "scheme": "basic", "x-fc-inferred": _inferred("scheme-from-name", name=name)}
    if re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", name) and "auth" not in low:
        return {
            "type": "apiKey",
            "in": "header",
            "name": name,
            "x-fc-inferred": _inferred("scheme-from-name", name=name),
        }
    rule = "api-key-location" if re.search(r"api[-_]?key", low) else "unknown-scheme"
    return {
        "type": "apiKey",
        "in": "header",
        "name": name,
        "x-fc-inferred": _inferred(rule, name=name),
        "x-fc-gaps": [GAP_SECURITY_SCHEME],
    }


def _response_order(section: Section) -> tuple[int, str]:
    code = section.code or ""
    if section.status is not None:
        return (section.status, "")
    return (int(code[0]) * 100 + 99, code) if code[:1].isdigit() else (1000, code)


def _is_success(section: Section) -> bool:
    return (section.status is not None and 200 <= section.status < 300) or section.code == "2XX"


class _ContractBuilder:
    """Builds one contract; owns the shared components of that contract."""

    def __init__(self, version: str | None, source_names: Mapping[str, str], api: Api | None = None) -> None:
        self.version = version
        self.api = api or Api()
        self._names = source_names
        self.schemas: dict[str, dict[str, Any]] = {}
        self._component_by_shape: dict[str, str] = {}
        self.security_schemes: dict[str, dict[str, Any]] = {}
        self._ids: set[str] = set()

    def _unique_id(self, base: str) -> str:
        """`/Things({key})` and `/Things/{key}` both read getThingsKey; OpenAPI wants ids unique."""
        name, n = base, 1
        while name in self._ids:
            n += 1
            name = f"{base}{n}"
        self._ids.add(name)
        return name

    def build(self, docs: Iterable[EndpointDocument]) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        sources = []
        for doc in sorted(docs, key=lambda d: (d.path, d.method)):
            paths.setdefault(doc.path, {})[doc.method.lower()] = self._operation(doc)
            sources.append(self._names.get(doc.file, doc.file))
        components: dict[str, Any] = {}
        if self.schemas:
            components["schemas"] = dict(sorted(self.schemas.items()))
        if self.security_schemes:
            components["securitySchemes"] = dict(sorted(self.security_schemes.items()))
        title = self.api.title
        if self.version is not None:
            info = {
                "title": title,
                "version": self.version,
                "description": f"Operations of version {self.version} of the {title}, compiled by fcvalidate.",
            }
        else:
            info = {
                "title": title,
                "version": UNVERSIONED,
                "description": f"Operations of the {title} (the documents give no version), compiled by fcvalidate.",
            }
        spec: dict[str, Any] = {"openapi": "3.1.0", "info": info}
        if self.version is None:
            spec["x-fc-gaps"] = [GAP_VERSION]
        spec["x-fc-sources"] = sources
        spec["paths"] = paths
        if components:
            spec["components"] = components
        return spec

    def _source(self, clause: Clause) -> dict[str, Any]:
        loc = clause.location
        return {"at": f"{self._names.get(loc.file, loc.file)}:{loc.line}:{loc.column}", "clause": clause.text}

    # -- operations -------------------------------------------------------------------------------
    def _operation(self, doc: EndpointDocument) -> dict[str, Any]:
        op: dict[str, Any] = {
            "operationId": self._unique_id(operation_id(doc.method, doc.path)),
            "summary": doc.summary,
            "description": doc.description,
        }
        gaps = self._all_parameters(op, doc)
        self._security(op, doc)
        if doc.prose_markers:
            where = "in the description, before the line where the export writes 'Endpoint: METHOD /path'"
            _add_inferred(op, self._prose_words(doc.prose_markers, where))
        models = self._shared_models(doc)
        gaps += self._request_body(op, doc, models)
        gaps += self._responses(op, doc, models)
        op["x-fc-source"] = self._source(doc.head)
        if gaps:
            op["x-fc-gaps"] = gaps
        if doc.notes:
            op["x-fc-notes"] = [
                {"at": self._source(Clause(n.location, "")).get("at"), "note": n.message} for n in doc.notes
            ]
        return op

    def _all_parameters(self, op: dict[str, Any], doc: EndpointDocument) -> list[str]:
        """Path parameters in path order, then query, header and cookie; the gap when one is undocumented."""
        params, undocumented = self._path_parameters(doc)
        for kind in ("query", "header", "cookie"):
            params.extend(self._parameters(doc, kind))  # type: ignore[arg-type]
        if params:
            op["parameters"] = params
        return [GAP_PATH_PARAMETER] if undocumented else []

    def _responses(
        self, op: dict[str, Any], doc: EndpointDocument, models: dict[str, _SharedModel]
    ) -> list[str]:
        if doc.responses:  # none listed: no `responses` at all (optional in 3.1; `{}` is invalid), a gap
            op["responses"] = {
                s.code or str(s.status): self._response(s, models)
                for s in sorted(doc.responses, key=_response_order)
            }
        return [] if any(_is_success(s) for s in doc.responses) else [GAP_SUCCESS_RESPONSE]

    def _security(self, op: dict[str, Any], doc: EndpointDocument) -> None:
        names = [n for n in doc.security if n.lower() != "none"]
        if names:
            op["security"] = [{self._security_scheme(n): []} for n in names]
        if len(names) > 1:
            _add_inferred(op, _inferred("security-alternatives"))

    def _request_body(
        self, op: dict[str, Any], doc: EndpointDocument, models: dict[str, _SharedModel]
    ) -> list[str]:
        """The request body, as documented or as the method implies; the gap when it is unknown."""
        if doc.request is not None:
            op["requestBody"] = {
                "required": True,
                "content": {doc.request.media_type: {"schema": self._body(doc.request, models)}},
                "x-fc-source": self._source(doc.request.clause),
            }
            return []
        if doc.method not in BODY_METHODS:
            return []
        if _inputs_as_parameters(doc):
            # no field listed, and the inputs documented elsewhere: no body to guess, nothing to probe
            _add_inferred(op, _inferred("inputs-as-parameters"))
            return []
        op["requestBody"] = {
            "required": True,
            "description": "Not documented.",
            "content": {"application/json": {"schema": {"type": "object"}}},
            "x-fc-source": self._source(doc.head),
            "x-fc-inferred": _inferred("undocumented-request-body"),
        }
        return [GAP_REQUEST_BODY]

    def _prose_words(self, words: Sequence[Clause], where: str) -> dict[str, Any]:
        listed = ", ".join(f"'{w.text}' at {self._source(w)['at']}" for w in words)
        return _inferred("marker-in-prose", words=listed, where=where)

    def _security_scheme(self, name: str) -> str:
        scheme = security_scheme(name, self.api.token_url)
        if scheme is not None:
            self.security_schemes[name] = scheme
        return name

    def _path_parameters(self, doc: EndpointDocument) -> tuple[list[dict[str, Any]], bool]:
        """One parameter per template name, in path order; True when one of them is not documented."""
        fields = doc.parameters("path")
        documented = {f.name: f for f in fields if f.parent is None}
        children = _children(fields)
        out, undocumented = [], False
        for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", doc.path)):
            f = documented.get(name)
            if f is None:
                out.append(
                    {
                        "name": name,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "x-fc-source": self._source(doc.head),
                        "x-fc-inferred": _inferred("undocumented-path-parameter", name=name),
                    }
                )
                undocumented = True
                continue
            out.append(self._parameter(f, "path", children))
        return out, undocumented

    def _parameters(self, doc: EndpointDocument, kind: str) -> list[dict[str, Any]]:
        fields = doc.parameters(kind)  # type: ignore[arg-type]
        children = _children(fields)
        return [self._parameter(f, kind, children) for f in children[None]]

    def _parameter(self, f: Field, kind: str, children: dict[str | None, list[Field]]) -> dict[str, Any]:
        param: dict[str, Any] = {"name": f.name, "in": kind, "required": f.required or kind == "path"}
        if f.description:
            param["description"] = f.description
        schema = {
            k: v
            for k, v in self._field(f, children, {}).items()
            if k not in ("description", "examples", "x-fc-source")
        }
        notes = _as_list(schema.pop("x-fc-inferred", None))
        notes += _parameter_value(param, f, kind, schema)
        notes += _serialisation(param, f, kind)
        if kind == "path" and not f.required:
            notes.append(_inferred("path-parameter-required"))
        limit = limit_sentence(f.description) if kind == "query" else None
        if limit is not None and {"integer", "number"} & set(f.types):
            notes.append({**_inferred(LIMIT_RULE, items=limit[1]), "sentence": limit[0], "items": limit[1]})
        for note in notes:
            _add_inferred(param, note)
        param["x-fc-source"] = self._source(f.clause)
        return param

    def _response(self, section: Section, models: dict[str, _SharedModel]) -> dict[str, Any]:
        code = section.code or str(section.status)
        if section.status is not None:
            try:
                phrase = HTTPStatus(section.status).phrase
            except ValueError:
                phrase = f"Status {section.status}"
        elif code == "default":
            phrase = "Any other status"
        else:
            phrase = f"Any {code} status"
        out: dict[str, Any] = {"description": phrase}
        if section.media_type is not None:
            out["content"] = {section.media_type: {"schema": self._body(section, models)}}
        out["x-fc-source"] = self._source(section.clause)
        return out

    # -- schemas ----------------------------------------------------------------------------------
    @staticmethod
    @staticmethod
    def _shared_models(doc: EndpointDocument) -> dict[str, _SharedModel]:
        """Objects with fields whose description a field-less object repeats, keyed by that description."""
        with_fields: dict[str, list[tuple[Field, Section]]] = defaultdict(list)
        bare: dict[str, list[Field]] = defaultdict(list)
        for section in doc.sections:
            parents = {f.parent for f in section.fields}
            for f in _described_objects(section):
                if f.name in parents:
                    with_fields[f.description].append((f, section))
                else:
                    bare[f.description].append(f)
        shared = {}
        for description, twins in bare.items():
            if description in with_fields:
                models = with_fields[description]
                leaves = {m.leaf for m, _ in models} | {t.leaf for t in twins}
                shared[description] = _SharedModel(models, _component_name(sorted(leaves)))
        return shared

    def _body(self, section: Section, models: dict[str, _SharedModel]) -> dict[str, Any]:
        if not section.fields:
            return {"x-fc-inferred": _inferred("body-without-fields")}
        return self._object(section, models)

    def _object(self, section: Section, models: dict[str, _SharedModel]) -> dict[str, Any]:
        children: dict[str | None, list[Field]] = defaultdict(list)
        for f in section.fields:
            children[f.parent].append(f)
        return {"type": "object", **self._properties(children[None], children, models)}

    def _properties(
        self, fields: list[Field], children: dict[str | None, list[Field]], models: dict[str, _SharedModel]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        # `additionalProperties` is the export's name for the values of a map, never a property
        values = [f for f in fields if f.leaf == MAP_VALUES]
        fields = [f for f in fields if f.leaf != MAP_VALUES]
        if fields:
            out["properties"] = {f.leaf: self._field(f, children, models) for f in fields}
        required = [f.leaf for f in fields if f.required]
        if required:
            out["required"] = required
        if values:
            out["additionalProperties"] = self._map_values(values[0], children, models)
        return out

    def _map_values(
        self, f: Field, children: dict[str | None, list[Field]], models: dict[str, _SharedModel]
    ) -> dict[str, Any]:
        schema = self._field(f, children, models)
        _add_inferred(schema, _inferred("map-values"))
        schema["x-fc-source"] = schema.pop("x-fc-source")
        return schema

    def _field(
        self, f: Field, children: dict[str | None, list[Field]], models: dict[str, _SharedModel]
    ) -> dict[str, Any]:
        kids = children.get(f.name, [])
        shared = models.get(f.description) if "object" in f.types else None
        if shared is not None:
            return self._shared_ref(f, kids, children, models, shared)
        schema = self._scalar(f)
        if ("object" in f.types or "any" in f.types) and kids and "array" not in f.types:
            schema.update(self._properties(kids, children, models))
        if "array" in f.types:
            items, note = self._items(f, kids, children, models)
            if f.enum is not None:
                items["enum"] = schema.pop("enum")
            if items:
                schema["items"] = items
            if note is not None:
                _add_inferred(schema, note)
        if (last := marker_sentence(f.description)) is not None:
            _add_inferred(schema, {**_inferred(MARKER_RULE), "sentence": last})
        schema["x-fc-source"] = self._source(f.clause)
        return schema

    def _shared_ref(
        self,
        f: Field,
        kids: list[Field],
        children: dict[str | None, list[Field]],
        models: dict[str, _SharedModel],
        shared: _SharedModel,
    ) -> dict[str, Any]:
        """A `$ref` to the one component of a shared model: with the field's own fields, else the model's."""
        if kids:
            shape = {"type": "object", **self._properties(kids, children, models)}
            return self._component_ref(f, shape, shared.name, inferred_from=None)
        model, model_children = shared.model_near(f)
        shape = {"type": "object", **self._properties(model_children[model.name], model_children, models)}
        return self._component_ref(f, shape, shared.name, inferred_from=model)

    def _items(
        self,
        f: Field,
        kids: list[Field],
        children: dict[str | None, list[Field]],
        models: dict[str, _SharedModel],
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """An array's item schema: its documented fields, else the type its Enum or example shows (and the
        deduction that says so)."""
        if kids:
            return {"type": "object", **self._properties(kids, children, models)}, None
        if f.enum is not None:
            item_type = _common_type(list(f.enum))
            return (
                ({"type": item_type}, _inferred("items-from-enum", type=item_type))
                if item_type
                else ({}, None)
            )
        item_schema = _items_from_example(f)
        if item_schema:
            return item_schema, _inferred("items-from-example", type=str(item_schema["type"]))
        return {}, None

    def _scalar(self, f: Field) -> dict[str, Any]:
        types = [t for t in f.types if t != "any"]
        schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types} if types else {}
        if f.description:
            schema["description"] = f.description
        if f.enum is not None:
            schema.update(_enum_values(schema, f, types))
        if f.defaults:
            schema["default"] = f.defaults[0]
        if f.examples:
            schema["examples"] = list(f.examples)
        if (why := _uuid_reason(f)) is not None:
            schema["format"] = "uuid"
            _add_inferred(schema, _inferred("format-from-example", why=why))
        if f.prose_markers:
            where = (
                "inside the description; the export writes each marker once, on a line of its own, after it"
            )
            _add_inferred(schema, self._prose_words(f.prose_markers, where))
        if "x-fc-inferred" in schema:  # keep the deduction after the facts it is about
            schema["x-fc-inferred"] = schema.pop("x-fc-inferred")
        return schema

    def _component_ref(
        self, f: Field, shape: dict[str, Any], base: str, inferred_from: Field | None
    ) -> dict[str, Any]:
        key = json.dumps(_strip_sources(shape), sort_keys=True)
        name = self._component_by_shape.get(key)
        if name is None:
            name, n = base, 1
            while name in self.schemas:
                n += 1
                name = f"{base}{n}"
            self._component_by_shape[key] = name
            self.schemas[name] = shape
        ref: dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
        if f.description:
            ref["description"] = f.description
        if inferred_from is not None:
            ref["x-fc-inferred"] = {
                "rule": "same-schema-as",
                "from": inferred_from.name,
                "note": INFERENCE_NOTES["same-schema-as"].format(model=inferred_from.name),
            }
        ref["x-fc-source"] = self._source(f.clause)
        return ref


@dataclass(frozen=True, slots=True)
class _SharedModel:
    """An object schema written out once and repeated by field-less twins with the same description."""

    models: list[tuple[Field, Section]]
    name: str

    def model_near(self, twin: Field) -> tuple[Field, dict[str | None, list[Field]]]:
        """The model in the twin's own section when there is one, else the first documented."""
        model, section = next(((m, s) for m, s in self.models if twin in s.fields), self.models[0])
        children: dict[str | None, list[Field]] = defaultdict(list)
        for g in section.fields:
            children[g.parent].append(g)
        return model, children


def _enum_values(schema: dict[str, Any], f: Field, types: list[str]) -> dict[str, Any]:
    """The `enum` of a field with an Enum (and its type made nullable when the Enum lists null); an
    array's Enum lists its items' values, so null is never added there."""
    enum = list(f.enum or ())
    if "array" not in f.types and "null" in f.types and None not in enum:
        enum.append(None)
        _add_inferred(schema, _inferred("nullable-enum"))
    if "array" not in f.types and None in enum and types and "null" not in types:
        schema["type"] = [*types, "null"]
        _add_inferred(schema, _inferred("null-in-enum"))
    return {"enum": enum}


def _as_list(inferred: Any) -> list[dict[str, Any]]:
    """`x-fc-inferred` as a list: one deduction is a mapping, several a list."""
    return [] if inferred is None else inferred if isinstance(inferred, list) else [inferred]


def _parameter_value(
    param: dict[str, Any], f: Field, kind: str, schema: dict[str, Any]
) -> list[dict[str, Any]]:
    """The parameter's schema and example (JSON content for a query object with a JSON example); the
    deductions made."""
    example = f.examples[0] if f.examples else None
    json_example = _json_object(example) if kind == "query" and "object" in f.types else None
    if json_example is not None:
        param["content"] = {"application/json": {"schema": schema, "example": json_example}}
        return [_inferred("json-query-parameter")]
    param["schema"] = schema
    if not f.examples:
        return []
    if _is_number(example) and [t for t in f.types if t != "null"] == ["string"]:
        # a YAML `example: 7573` under `type: string` prints as a bare number; the value is text
        param["example"] = json.dumps(example)
        return [_inferred("example-as-text", value=param["example"], text=json.dumps(param["example"]))]
    param["example"] = example
    return []


def _serialisation(param: dict[str, Any], f: Field, kind: str) -> list[dict[str, Any]]:
    """How a query object or array is put in the URL; the deductions made."""
    notes = []
    if kind == "query" and "content" not in param and "object" in f.types:
        param["style"], param["explode"] = "form", True
        notes.append(_inferred("query-object-style"))
    if kind == "query" and "array" in f.types:
        example = f.examples[0] if f.examples else None
        comma = isinstance(example, str) and "," in example
        param["style"], param["explode"] = "form", not comma
        notes.append(_inferred("query-array-comma" if comma else "query-array-style"))
    return notes


def _described_objects(section: Section) -> list[Field]:
    """A body's object fields with a description (those a shared model may stand behind)."""
    if section.kind not in ("request", "response"):
        return []
    return [f for f in section.fields if "object" in f.types and f.description]


def _children(fields: Iterable[Field]) -> dict[str | None, list[Field]]:
    """Fields by the name of their parent (None: top level), in document order."""
    children: dict[str | None, list[Field]] = defaultdict(list)
    for f in fields:
        children[f.parent].append(f)
    return children


def _component_name(leaves: list[str]) -> str:
    """`primaryContact` + `secondaryContact` → `Contact`: the camel-case words all names end with."""
    words = [_camel_words(leaf) for leaf in leaves]
    common: list[str] = []
    for group in zip(*(reversed(w) for w in words), strict=False):
        if len({g.lower() for g in group}) != 1:
            break
        common.insert(0, group[0])
    chosen = common or words[0]
    return "".join(w[:1].upper() + w[1:] for w in chosen)


def _common_type(values: list[Any]) -> str | None:
    """The one JSON type all values share (integers count as numbers next to floats), else None."""
    kinds = {json_type(v) for v in values}
    if kinds == {"integer", "number"}:
        kinds = {"number"}
    return kinds.pop() if len(kinds) == 1 else None


def _items_from_example(f: Field) -> dict[str, Any] | None:
    if not f.examples:
        return None
    return _example_items(f.examples[0])


def _example_items(example: Any) -> dict[str, Any] | None:
    """The item schema an example array shows: one type for all items, recursing into arrays of arrays."""
    if not isinstance(example, list) or not example:
        return None
    item_type = _common_type(example)
    if item_type is None:
        return None
    if item_type == "array":
        inner = _example_items([v for item in example for v in item])
        return {"type": "array", **({"items": inner} if inner else {})}
    return {"type": item_type}


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _uuid_reason(f: Field) -> str | None:
    """Why a string field holds UUIDs, or None. One UUID example alone is not enough (an X-Request-ID
    example may be a UUID while any text is accepted): the name must say `uuid` too, or several
    examples must all be UUIDs. A false alarm costs a supplier a day, so no other format is inferred."""
    if "string" not in f.types or f.enum is not None or not f.examples:
        return None
    if not all(isinstance(e, str) and _UUID.fullmatch(e) for e in f.examples):
        return None
    if "uuid" in (w.lower() for w in _camel_words(f.leaf)) or f.leaf.lower().endswith("uuid"):
        return f"the name `{f.leaf}` says UUID"
    if len(f.examples) >= 2:
        return f"`{f.leaf}` has {len(f.examples)} examples"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_object(example: Any) -> dict[str, Any] | None:
    """The example as a JSON object: the object itself, or JSON text that decodes to one."""
    if isinstance(example, dict):
        return example
    if isinstance(example, str):
        try:
            value = json.loads(example)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None
