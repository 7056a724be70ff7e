"""The endpoint-document corpus: every document compiled alone, checked against its golden facts.

The corpus (tests/contract/corpus/) was written from the export format, not from the compiler, so it
judges the compiler honestly. Layout, one folder per API:

    corpus/<api>/api.json                {"title": "..."} names the API (absent: the folder name)
    corpus/<api>/<doc>.md                an endpoint document (one-line or multi-line layout)
    corpus/<api>/<doc>.expected.json     the facts its compiled operation must have
    corpus/<api>/<doc>.refused.json      ... or: it must be refused, first problem at line/column
    corpus/<api>/<sub>/                  another API (its own api.json, or its folder name)

Facts (`<doc>.expected.json`) are neutral to order and to extra keys:

    {"operation": {"method": "GET", "path": "/x/{id}"},
     "version": "1.0",                  info.version of the contract holding the operation
     "security": [["a"], ["b"]],        requirement objects as lists of scheme names; [] = none
     "parameters": {"path:id": {"required": true, "schema": {...}},
                    "query:q": {"content-type": "application/json", "schema": {...}}},
     "requestBody": {"media": "application/json", "schema": {...}}   or null: no request body
     "responses": {"200": {"media": ..., "schema": ...}, "204": {"no_body": true}}}

Parameters and responses listed are all there must be (no more, no fewer). A schema matches when
every key it states matches (subset); `type` lists compare as sets, `required` as a set, `enum`
and examples exactly (true is not 1). Two keys are assertions, not schema: `"absent": [k, ...]`
(those keys must not be there, e.g. no `type` for `any`) and `"closed": true` (the properties
are exactly those stated). `$ref`s are followed.

Every document is compiled through the CLI (`fcvalidate compile DOC -o OUT`), the public path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from fcvalidate.cli import main
from fcvalidate.errors import DocumentError
from fcvalidate.files import read_documents

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCS = sorted(p for p in CORPUS.rglob("*.md") if p.parent != CORPUS)
EXPECTED = [d for d in DOCS if d.with_suffix(".expected.json").is_file()]
REFUSED = [d for d in DOCS if d.with_suffix(".refused.json").is_file()]
API_FOLDERS = sorted({d.parent for d in EXPECTED if d.parent.parent == CORPUS})
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATION = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


def doc_id(doc: Path) -> str:
    return doc.relative_to(CORPUS).as_posix()


# -- compiling ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Compiled:
    exit_code: int
    output: str
    out_dir: Path
    specs: dict[str, dict[str, Any]]
    exception: BaseException | None


_OUT_ROOT: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _out_root(tmp_path_factory):
    _OUT_ROOT[:] = [tmp_path_factory.mktemp("corpus-out")]
    compile_source.cache_clear()
    yield


@cache
def compile_source(source: Path) -> Compiled:
    """`fcvalidate compile SOURCE -o OUT` (SOURCE a document or an API folder), once per source."""
    out = _OUT_ROOT[0] / doc_id(source).replace("/", "__")
    result = CliRunner().invoke(main, ["compile", str(source), "-o", str(out)])
    specs = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.openapi.json"))}
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Compiled(result.exit_code, result.output, out, specs, exception)


def expected_of(doc: Path) -> dict[str, Any]:
    return json.loads(doc.with_suffix(".expected.json").read_text(encoding="utf-8"))


def compiled_ok(doc: Path) -> Compiled:
    compiled = compile_source(doc)
    assert compiled.exit_code == 0 and compiled.exception is None, (
        f"{doc_id(doc)}: the compiler refused a valid document (exit {compiled.exit_code}):\n"
        f"{compiled.output}{compiled.exception!r}"
    )
    assert compiled.specs, f"{doc_id(doc)}: compiled, but no *.openapi.json was written"
    return compiled


def find_operation(compiled: Compiled, method: str, path: str, where: str):
    found = [
        (name, spec, spec["paths"][path][method.lower()])
        for name, spec in compiled.specs.items()
        if method.lower() in spec.get("paths", {}).get(path, {})
    ]
    listed = sorted(
        f"{m.upper()} {p}"
        for s in compiled.specs.values()
        for p, item in s.get("paths", {}).items()
        for m in item
        if m in METHODS
    )
    assert len(found) == 1, f"{where}: operation {method} {path} not found exactly once; compiled: {listed}"
    return found[0]


# -- matching ----------------------------------------------------------------------------------------
def same(a: Any, b: Any) -> bool:
    """JSON equality where booleans are not numbers and 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def resolve(node: Any, spec: dict[str, Any]) -> Any:
    """Follow local `$ref`s; sibling keys of the reference (description, x-fc-*) are kept."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
        assert seen < 20, "reference loop"
    return node


def type_set(value: Any) -> set[str]:
    return set(value) if isinstance(value, list) else {value}


def match_schema(expected: dict[str, Any], actual: Any, spec: dict[str, Any], where: str) -> list[str]:
    actual = resolve(actual, spec)
    if not isinstance(actual, dict):
        return [f"{where}: expected a schema, got {actual!r}"]
    problems: list[str] = []
    for key, want in expected.items():
        at = f"{where}.{key}"
        if key == "absent":
            problems += [f"{where}: must have no '{k}', has {actual[k]!r}" for k in want if k in actual]
        elif key == "closed":
            have = set(actual.get("properties", {}))
            stated = set(expected.get("properties", {}))
            if want and have != stated:
                problems.append(
                    f"{where}: properties must be exactly {sorted(stated)}; extra {sorted(have - stated)}, "
                    f"missing {sorted(stated - have)}"
                )
        elif key not in actual:
            problems.append(f"{at}: missing (expected {json.dumps(want)})")
        elif key == "type":
            if type_set(actual["type"]) != type_set(want):
                problems.append(f"{at}: expected {json.dumps(want)}, got {json.dumps(actual['type'])}")
        elif key == "required":
            if not isinstance(actual["required"], list) or set(actual["required"]) != set(want):
                problems.append(f"{at}: expected {sorted(want)}, got {actual['required']!r}")
        elif key == "properties":
            props = actual["properties"]
            for name, sub in want.items():
                if name not in props:
                    problems.append(f"{at}: no property '{name}' (has {sorted(props)})")
                else:
                    problems += match_schema(sub, props[name], spec, f"{at}.{name}")
        elif key == "items":
            problems += match_schema(want, actual["items"], spec, at)
        elif not same(actual[key], want):
            problems.append(f"{at}: expected {json.dumps(want)}, got {json.dumps(actual[key])}")
    return problems


def param_key(param: dict[str, Any]) -> str:
    return f"{param.get('in')}:{param.get('name')}"


def examples_of(param: dict[str, Any]) -> list[Any]:
    found = []
    if "example" in param:
        found.append(param["example"])
    found += [e.get("value") for e in param.get("examples", {}).values() if isinstance(e, dict)]
    for media in param.get("content", {}).values():
        if "example" in media:
            found.append(media["example"])
        found += media.get("schema", {}).get("examples", [])
    found += param.get("schema", {}).get("examples", [])
    return found


def match_parameter(
    want: dict[str, Any], param: dict[str, Any], spec: dict[str, Any], where: str
) -> list[str]:
    param = resolve(param, spec)
    problems = []
    if "required" in want and param.get("required", False) is not want["required"]:
        problems.append(f"{where}.required: expected {want['required']}, got {param.get('required')!r}")
    if "content-type" in want:
        content = param.get("content", {})
        if "schema" in param:
            problems.append(f"{where}: has both 'schema' and 'content' (OpenAPI allows one)")
        if list(content) != [want["content-type"]]:
            problems.append(f"{where}.content: expected only {want['content-type']!r}, got {sorted(content)}")
        else:
            problems += match_schema(
                want.get("schema", {}),
                content[want["content-type"]].get("schema", {}),
                spec,
                f"{where}.content",
            )
    elif "schema" in want:
        if "schema" not in param:
            problems.append(f"{where}.schema: missing (parameter is {json.dumps(param)[:200]})")
        else:
            problems += match_schema(want["schema"], param["schema"], spec, f"{where}.schema")
    if "example" in want and not any(same(e, want["example"]) for e in examples_of(param)):
        problems.append(
            f"{where}: example {json.dumps(want['example'])} not found (has {examples_of(param)!r})"
        )
    return problems


def check_facts(doc: Path) -> list[str]:
    facts = expected_of(doc)
    compiled = compiled_ok(doc)
    method, path = facts["operation"]["method"], facts["operation"]["path"]
    where = f"{doc_id(doc)} {method} {path}"
    _, spec, op = find_operation(compiled, method, path, where)
    problems: list[str] = []
    if "version" in facts and spec.get("info", {}).get("version") != facts["version"]:
        problems.append(
            f"{where}: info.version expected {facts['version']!r}, got {spec.get('info', {}).get('version')!r}"
        )
    if "summary" in facts and op.get("summary") != facts["summary"]:
        problems.append(f"{where}: summary expected {facts['summary']!r}, got {op.get('summary')!r}")
    if "security" in facts:
        have = [sorted(req) for req in op.get("security", [])]
        if sorted(have) != sorted(sorted(req) for req in facts["security"]):
            problems.append(f"{where}: security expected {facts['security']}, got {op.get('security')!r}")
        schemes = spec.get("components", {}).get("securitySchemes", {})
        for name in {n for req in facts["security"] for n in req}:
            if name not in schemes:
                problems.append(
                    f"{where}: security scheme {name!r} is not declared in components.securitySchemes"
                )
        for name, kind in facts.get("securitySchemes", {}).items():
            scheme = schemes.get(name, {})
            problems += [
                f"{where}: securitySchemes.{name}.{k} expected {v!r}, got {scheme.get(k)!r}"
                for k, v in kind.items()
                if scheme.get(k) != v
            ]
    if "parameters" in facts:
        params = {param_key(resolve(p, spec)): p for p in op.get("parameters", [])}
        if set(params) != set(facts["parameters"]):
            problems.append(
                f"{where}: parameters expected {sorted(facts['parameters'])}, got {sorted(params)}"
            )
        for key, want in facts["parameters"].items():
            if key in params:
                problems += match_parameter(want, params[key], spec, f"{where} parameter {key}")
    if "requestBody" in facts:
        want = facts["requestBody"]
        body = resolve(op.get("requestBody"), spec)
        if want is None:
            if body is not None:
                problems.append(f"{where}: must have no requestBody, has {json.dumps(body)[:200]}")
        elif body is None:
            problems.append(f"{where}: requestBody missing")
        else:
            content = body.get("content", {})
            if want["media"] not in content:
                problems.append(
                    f"{where}: requestBody media expected {want['media']!r}, got {sorted(content)}"
                )
            else:
                problems += match_schema(
                    want.get("schema", {}),
                    content[want["media"]].get("schema", {}),
                    spec,
                    f"{where} requestBody",
                )
    if "responses" in facts:
        responses = op.get("responses", {})
        if set(responses) != set(facts["responses"]):
            problems.append(
                f"{where}: responses expected {sorted(facts['responses'])}, got {sorted(responses)}"
            )
        for status, want in facts["responses"].items():
            if status not in responses:
                continue
            response = resolve(responses[status], spec)
            at = f"{where} response {status}"
            if want.get("no_body"):
                if response.get("content"):
                    problems.append(f"{at}: must have no body, has {sorted(response['content'])}")
                continue
            content = response.get("content", {})
            if want["media"] not in content:
                problems.append(f"{at}: media expected {want['media']!r}, got {sorted(content)}")
            elif "schema" in want:
                problems += match_schema(want["schema"], content[want["media"]].get("schema", {}), spec, at)
    return problems


# -- the tests -----------------------------------------------------------------------------------------
def test_corpus_is_well_formed():
    """Every document has exactly one kind of facts; every facts file has its document."""
    assert len(EXPECTED) >= 20 and len(REFUSED) >= 5, (len(EXPECTED), len(REFUSED))
    for doc in DOCS:
        kinds = [s for s in (".expected.json", ".refused.json") if doc.with_suffix(s).is_file()]
        assert len(kinds) == 1, (
            f"{doc_id(doc)}: needs exactly one of .expected.json/.refused.json, has {kinds}"
        )
    for facts in [*CORPUS.rglob("*.expected.json"), *CORPUS.rglob("*.refused.json")]:
        doc = facts.with_name(facts.name.split(".")[0] + ".md")
        assert doc.is_file(), f"{facts.relative_to(CORPUS)} has no document {doc.name}"
    for doc in EXPECTED:
        for where, schema in stated_schemas(expected_of(doc)):
            if schema.get("closed"):
                unlisted = set(schema.get("required", [])) - set(schema.get("properties", {}))
                assert not unlisted, (
                    f"{doc_id(doc)} {where}: closed, but required {sorted(unlisted)} not listed"
                )
    assert not [p for p in CORPUS.glob("*.md") if p.name != "VARIANTS.md"], "documents belong in API folders"


def stated_schemas(facts: dict[str, Any]):
    """Every schema an expected.json states, with where it is."""

    def walk(schema: dict[str, Any], where: str):
        yield where, schema
        for name, sub in schema.get("properties", {}).items():
            yield from walk(sub, f"{where}.{name}")
        if isinstance(schema.get("items"), dict):
            yield from walk(schema["items"], f"{where}.items")

    for key, param in facts.get("parameters", {}).items():
        yield from walk(param.get("schema", {}), key)
    if facts.get("requestBody"):
        yield from walk(facts["requestBody"].get("schema", {}), "requestBody")
    for status, response in facts.get("responses", {}).items():
        yield from walk(response.get("schema", {}), status)


CONSTRUCTS = (
    "summary with period",
    "summary without period",
    "markdown description",
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "path template",
    "odata key path",
    "trailing slash",
    "version",
    "no version",
    "security",
    "no security",
    "empty security",
    "version key written twice",
    "several security schemes",
    "path parameters",
    "query parameters",
    "header parameters",
    "cookie parameters",
    "request fields",
    "response fields",
    "default response",
    "204",
    "section without fields",
    "sections out of order",
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "any",
    "several types",
    "nullable",
    "nullable required",
    "enum string",
    "enum number",
    "enum boolean",
    "enum on array",
    "enum on parameter",
    "default value",
    "example object",
    "example array",
    "array of objects",
    "object in array in object",
    "array in array",
    "deep nesting",
    "object query parameter",
    "duplicated type words",
    "null type",
    "marker words in prose",
    "enum ending in null",
    "number example of string parameter",
    "linked-data field names",
)


def test_every_construct_is_covered_in_both_layouts():
    covered: dict[str, set[str]] = {}
    for doc in EXPECTED:
        facts = expected_of(doc)
        assert facts.get("layout") in ("one-line", "multi-line"), f"{doc_id(doc)}: layout"
        for construct in facts.get("covers", []):
            assert construct in CONSTRUCTS, f"{doc_id(doc)}: unknown construct {construct!r}"
            covered.setdefault(construct, set()).add(facts["layout"])
    missing = {c: sorted({"one-line", "multi-line"} - covered.get(c, set())) for c in CONSTRUCTS}
    assert not {c: m for c, m in missing.items() if m}, "constructs not covered in a layout"


@pytest.mark.parametrize("doc", EXPECTED, ids=doc_id)
def test_document_compiles_to_its_golden_facts(doc):
    problems = check_facts(doc)
    assert not problems, f"{doc_id(doc)}: {len(problems)} fact(s) not met:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("doc", EXPECTED, ids=doc_id)
def test_compiled_contract_is_valid_openapi_31(doc):
    for name, spec in compiled_ok(doc).specs.items():
        assert spec.get("openapi", "").startswith("3.1"), (
            f"{doc_id(doc)} → {name}: openapi {spec.get('openapi')!r}"
        )
        validate(spec)


def walk_sourced(node: Any, where: str = "$"):
    """Every parameter, property and response (they must carry x-fc-source), and every x-fc-source."""
    if isinstance(node, dict):
        for name, prop in (
            node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else ()
        ):
            yield f"{where}.properties.{name}", prop, True
        for i, p in enumerate(node.get("parameters", [])) if isinstance(node.get("parameters"), list) else ():
            yield f"{where}.parameters[{i}]", p, True
        for status, r in node.get("responses", {}).items() if isinstance(node.get("responses"), dict) else ():
            yield f"{where}.responses.{status}", r, True
        if "x-fc-source" in node:
            yield where, node, False
        for key, value in node.items():
            if not key.startswith("x-fc") and key not in ("example", "examples", "default", "enum", "const"):
                yield from walk_sourced(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_sourced(value, f"{where}[{i}]")


def text_at(file: Path, line: int, column: int) -> str:
    lines = file.read_text(encoding="utf-8").split("\n")
    assert 1 <= line <= len(lines), f"{file.name}: no line {line}"
    assert 1 <= column <= len(lines[line - 1]) + 1, f"{file.name}:{line}: no column {column}"
    return "\n".join([lines[line - 1][column - 1 :], *lines[line:]])


@pytest.mark.parametrize("doc", EXPECTED, ids=doc_id)
def test_every_source_quotes_its_clause(doc):
    compiled = compiled_ok(doc)
    checked = 0
    for name, spec in compiled.specs.items():
        for where, node, must in walk_sourced(spec):
            src = node.get("x-fc-source") if isinstance(node, dict) else None
            if not src:
                assert not must, f"{doc_id(doc)} → {name} {where}: no x-fc-source"
                continue
            file, line, column = src["at"].rsplit(":", 2)
            target = (compiled.out_dir / file).resolve()
            assert target == doc.resolve(), (
                f"{doc_id(doc)} {where}: x-fc-source names {file}, not the document"
            )
            text = " ".join(text_at(target, int(line), int(column)).split())
            assert text.startswith(src["clause"]), (
                f"{doc_id(doc)} {where}: {src['at']} reads {text[: len(src['clause']) + 20]!r}, "
                f"not the clause {src['clause']!r}"
            )
            checked += 1
    assert checked, f"{doc_id(doc)}: nothing quoted"


@pytest.mark.parametrize("doc", REFUSED, ids=doc_id)
def test_malformed_document_is_refused_at_its_first_problem(doc):
    want = json.loads(doc.with_suffix(".refused.json").read_text(encoding="utf-8"))
    compiled = compile_source(doc)
    assert compiled.exit_code == 2, (
        f"{doc_id(doc)} ({want['problem']}): exit {compiled.exit_code}, expected 2; output:\n{compiled.output}"
        f"{compiled.exception!r}"
    )
    assert compiled.exception is None or isinstance(compiled.exception, DocumentError), compiled.exception
    with pytest.raises(DocumentError) as refused:
        read_documents([doc])
    assert refused.value.exit_code == 2
    where = refused.value.problems[0].location
    assert (where.line, where.column) == (want["line"], want["column"]), (
        f"{doc_id(doc)} ({want['problem']}): read_documents reports its first problem at "
        f"{(where.line, where.column)}, expected {(want['line'], want['column'])}: {refused.value.problems[0]}"
    )
    assert not compiled.specs, f"{doc_id(doc)}: a refused document must write no contract"
    located = [m for m in map(LOCATION.match, compiled.output.splitlines()) if m]
    assert located, f"{doc_id(doc)}: no FILE:LINE:COLUMN: message line in:\n{compiled.output}"
    first = located[0]
    assert Path(first["file"]).name == doc.name, f"{doc_id(doc)}: first problem is in {first['file']}"
    got = (int(first["line"]), int(first["column"]))
    assert got == (want["line"], want["column"]), (
        f"{doc_id(doc)} ({want['problem']}): first problem at {got}, expected "
        f"{(want['line'], want['column'])}: {first.group(0)}"
    )


def api_title(folder: Path) -> str:
    meta = folder / "api.json"
    return json.loads(meta.read_text(encoding="utf-8"))["title"] if meta.is_file() else folder.name


@pytest.mark.parametrize("folder", API_FOLDERS, ids=lambda p: p.name)
def test_a_source_folder_is_an_api_and_each_subfolder_another(folder):
    """Compiling an API folder: its top-level documents are its API, each subfolder its own API."""
    compiled = compile_source(folder)
    assert compiled.exit_code == 0, (
        f"{folder.name}: exit {compiled.exit_code}\n{compiled.output}{compiled.exception!r}"
    )
    titles = {name: spec.get("info", {}).get("title") for name, spec in compiled.specs.items()}
    for doc in (d for d in EXPECTED if folder in d.parents):
        facts = expected_of(doc)
        method, path = facts["operation"]["method"], facts["operation"]["path"]
        name, _, _ = find_operation(compiled, method, path, f"{folder.name} folder: {doc_id(doc)}")
        assert titles[name] == api_title(doc.parent), (
            f"{doc_id(doc)}: {method} {path} landed in {name} titled {titles[name]!r}, "
            f"expected the API {api_title(doc.parent)!r}"
        )
