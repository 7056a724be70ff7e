"""The file edge of fcvalidate: finding documents and contracts, compiling to disk, atomic writes.

Everything that touches the file system for the contract stage lives here, so `contract/` stays pure.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from fcvalidate.contract.compiler import Api, compile_apis, render, slug
from fcvalidate.contract.diff import Accepted, ContractDocument
from fcvalidate.contract.model import EndpointDocument
from fcvalidate.contract.operation import Contract, Operation, contract_from_spec
from fcvalidate.contract.parser import parse_document
from fcvalidate.errors import ContractError, DocumentError, Location, Problem, UsageError

DOCUMENT_SUFFIXES = (".md", ".txt")
# In a folder of documents: {"title": ..., "slug": ..., "token_url": ...}, every key optional.
API_CONFIG = "api.json"
CONTRACT_GLOB = "*.openapi.json"
_REPO_ROOT = Path(__file__).resolve().parent.parent


def bundled_contracts_dir() -> Path:
    """The contracts shipped with fcvalidate: inside the wheel, or the checkout's `contracts/`."""
    packaged = resources.files("fcvalidate") / "_bundled"
    if packaged.is_dir():
        return Path(str(packaged))
    return _REPO_ROOT / "contracts"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def find_documents(paths: Iterable[Path]) -> list[Path]:
    """The documents in `paths`: files as given; in a folder, its documents and those of its subfolders
    (each subfolder is another API, see `api_of`)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_documents_in(path))
            for sub in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
                found.extend(_documents_in(sub))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{display_path(path)}: no such file or folder")
    if not found:
        raise UsageError(
            f"no endpoint documents (*.md, *.txt) in {', '.join(display_path(p) for p in paths)}"
        )
    return found


def _documents_in(folder: Path) -> list[Path]:
    return [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in DOCUMENT_SUFFIXES and p.name.lower() != "readme.md"
    ]


def api_of(folder: Path) -> Api:
    """The API a folder's documents belong to: its api.json, else one named after the folder."""
    config = folder / API_CONFIG
    named = Api.named(folder.resolve().name)
    if not config.is_file():
        return named
    name = display_path(config)
    data = _read_json(config, name)
    if (
        not isinstance(data, dict)
        or set(data) - {"title", "slug", "token_url"}
        or not all(isinstance(v, str) and v for v in data.values())
    ):
        raise DocumentError(
            [
                Problem(
                    Location(name, 1, 1),
                    "expected an object of non-empty strings with keys title, slug, token_url",
                )
            ]
        )
    title = str(data.get("title", named.title))
    return Api(
        title=title,
        slug=slug(str(data.get("slug", title))) or named.slug,
        token_url=str(data.get("token_url", named.token_url)),
    )


def _read_json(path: Path, name: str) -> object:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise DocumentError([Problem(Location(name, 1, 1), f"cannot read: {exc.strerror}")]) from None
    except ValueError as exc:
        at = (
            Location(name, exc.lineno, exc.colno)
            if isinstance(exc, json.JSONDecodeError)
            else Location(name, 1, 1)
        )
        raise DocumentError([Problem(at, f"not JSON: {getattr(exc, 'msg', exc)}")]) from None


def read_documents(paths: Sequence[Path]) -> list[EndpointDocument]:
    """Parse every document, reporting the problems of all of them at once."""
    docs, problems = [], []
    for path in paths:
        name = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(Location(name, 1, 1), f"cannot read: {exc.strerror}"))
            continue
        try:
            docs.append(parse_document(data, name))
        except DocumentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DocumentError(problems)
    return docs


@dataclass(frozen=True, slots=True)
class CompileOutcome:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    stale: tuple[str, ...]  # with --check: one summary line per stale, missing or extra file
    # (with --check and nothing stale, `unchanged` lists the contracts found up to date)


def compile_to(sources: Sequence[Path], out_dir: Path, *, check: bool = False) -> CompileOutcome:
    """Compile documents into `out_dir` (or, with `check`, only compare); nothing is half-written."""
    paths = find_documents(sources)
    names = {
        display_path(p): os.path.relpath(p.resolve(), out_dir.resolve()).replace(os.sep, "/") for p in paths
    }
    texts = {name: render(spec) for name, spec in _compile(paths, names).items()}
    if check:
        stale = tuple(_staleness(out_dir, texts))
        return CompileOutcome((), () if stale else tuple(out_dir / name for name in texts), stale)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    unchanged: list[Path] = []
    for name, text in texts.items():
        target = out_dir / name
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            unchanged.append(target)
            continue
        atomic_write(target, text.encode("utf-8"))
        written.append(target)
    return CompileOutcome(tuple(written), tuple(unchanged), ())


def _compile(paths: Sequence[Path], source_names: dict[str, str] | None = None) -> dict[str, dict]:
    """Read and compile documents, each folder's documents one API (see `api_of`)."""
    docs = read_documents(paths)
    folders: dict[Path, list[EndpointDocument]] = {}
    for path, doc in zip(paths, docs, strict=True):
        folders.setdefault(path.parent.resolve(), []).append(doc)
    return compile_apis(
        [(api_of(folder), folder_docs) for folder, folder_docs in folders.items()], source_names
    )


def _staleness(out_dir: Path, texts: dict[str, str]) -> Iterable[str]:
    for name, text in texts.items():
        target = out_dir / name
        if not target.is_file():
            yield f"{display_path(target)}: missing"
            continue
        current = target.read_text(encoding="utf-8")
        if current != text:
            yield f"{display_path(target)}: stale ({_difference(current, text)})"
    for extra in sorted(out_dir.glob(CONTRACT_GLOB)):
        if extra.name not in texts:
            yield f"{display_path(extra)}: not produced by these documents"


def _difference(current: str, text: str) -> str:
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(), lineterm="", n=0))
    changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    first = next((line for line in diff if line.startswith("@@")), "")
    return f"{changed} lines differ, first at {first}"


def atomic_write(target: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename.

    The file gets the mode any new file gets (0644 under umask 022), not mkstemp's private 0600."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def default_contracts_dir() -> Path:
    """`contracts/` in a checkout (the working directory has one), else the contracts shipped with fcvalidate."""
    local = Path("contracts")
    return local if local.is_dir() else bundled_contracts_dir()


def bundled_data_file() -> Path:
    """The known values of the reference implementation, shipped with fcvalidate."""
    return Path(str(resources.files("fcvalidate.server") / "reference-data.yaml"))


def find_contracts(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob(CONTRACT_GLOB)) or sorted(path.glob("*.openapi.yaml")))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{display_path(path)}: no such contract file or folder")
    if not found:
        raise UsageError(f"no contracts ({CONTRACT_GLOB}) in {', '.join(display_path(p) for p in paths)}")
    return found


def load_spec(path: Path) -> tuple[dict, bytes]:
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContractError(f"{name}: cannot read: {exc.strerror}") from None
    if path.suffix == ".json":
        try:
            spec = json.loads(raw)
        except ValueError as exc:
            where = f"{name}:{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else name
            raise ContractError(f"{where}: not JSON: {getattr(exc, 'msg', exc)}") from None
    else:
        try:
            spec = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
            raise ContractError(f"{where}: not YAML/JSON: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(spec, dict):
        raise ContractError(f"{name}: not an OpenAPI document (top level is not a mapping)")
    return spec, raw


def load_contracts(paths: Iterable[Path] | None = None) -> list[Contract]:
    """Load compiled contracts (default: the bundled ones) into typed operations."""
    files = find_contracts(paths or [bundled_contracts_dir()])
    contracts = []
    for path in files:
        spec, raw = load_spec(path)
        contracts.append(contract_from_spec(path.name, spec, raw))
    return contracts


def all_operations(contracts: Iterable[Contract]) -> list[Operation]:
    return [op for contract in contracts for op in contract.operations]


def load_data_file(path: Path, what: str = "data file", setting: str = "data") -> object:
    """A `--data` (or other YAML/JSON input) file as plain data; a bad file is a usage error with its position."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{name}: cannot read the {what}: {exc.strerror}", setting) from None
    try:
        return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise UsageError(
            f"{where}: the {what} is not YAML/JSON: {getattr(exc, 'problem', exc)}", setting
        ) from None


def load_conventions_file(path: Path) -> list[str]:
    """A conventions file: `accept: [groups or ids]` (YAML or JSON); a bad one is a usage error."""
    data = load_data_file(path, what="conventions file", setting="conventions")
    names = data.get("accept") if isinstance(data, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise UsageError(f"{display_path(path)}: expected `accept: [names]` (groups or ids)", "conventions")
    return names


def load_version(path: Path) -> list[ContractDocument]:
    """One side of `fcvalidate diff`: a folder of endpoint documents (compiled here, in memory), a
    compiled contract file, or a folder of contracts. Quoted clauses name files relative to the working
    directory."""
    if path.is_dir():
        if any(path.glob(CONTRACT_GLOB)) or any(path.glob("*.openapi.yaml")):
            return [_contract_document(p) for p in find_contracts([path])]
        if any(path.glob("*.md")) or any(path.glob("*.txt")):
            return _compiled_documents([path])
        raise UsageError(f"{display_path(path)}: neither contracts ({CONTRACT_GLOB}) nor endpoint documents")
    if path.is_file():
        if path.suffix in DOCUMENT_SUFFIXES:
            return _compiled_documents([path])
        return [_contract_document(path)]
    raise UsageError(f"{display_path(path)}: no such file or folder")


def _contract_document(path: Path) -> ContractDocument:
    spec, _ = load_spec(path)
    if not isinstance(spec.get("paths"), dict):
        raise ContractError(f"{display_path(path)}: not an OpenAPI contract (no `paths`)")
    return ContractDocument(display_path(path), spec, display_path(path.parent))


def _compiled_documents(sources: Sequence[Path]) -> list[ContractDocument]:
    where = ", ".join(display_path(p) for p in sources)
    return [
        ContractDocument(f"{where} → {name}", spec)
        for name, spec in _compile(find_documents(sources)).items()
    ]


def load_accepted(path: Path) -> list[Accepted]:
    """An accepted-changes file: `accepted: [{fingerprint: ..., reason: ...}]` (YAML or JSON)."""
    name = display_path(path)
    data = load_data_file(path, what="accepted-changes file", setting="accepted")
    entries = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UsageError(f"{name}: expected `accepted:` and a list of {{fingerprint, reason}}", "accepted")
    out = []
    for n, entry in enumerate(entries, 1):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not re.fullmatch(r"[0-9a-f]{16}", fingerprint):
            raise UsageError(
                f"{name}: entry {n}: `fingerprint` must be the 16 hex digits diff prints", "accepted"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UsageError(f"{name}: entry {n} ({fingerprint}): give a `reason`", "accepted")
        out.append(Accepted(fingerprint, reason.strip()))
    return out
