"""Generated requests kept on disk between runs: Hypothesis draws are most of a cold run's CPU.

One JSON file per (contract SHA-256, operation, mode, seed, count, versions of fcvalidate, Schemathesis
and Hypothesis): the same key always held the same draws, so a warm run sends byte-identical cases.
Written to a temporary file and renamed into place, so parallel runs never read half an entry; an entry
that cannot be read is ignored and regenerated. The cache is an optimisation: a folder that cannot be
written costs a cold run, never an error.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
import threading
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from fcvalidate.engine.generate import Draw

CACHE_ENV = "FCVALIDATE_CACHE_DIR"
# bump when the entry layout or what a key draws changes (2: no local constants, 3: closed objects,
# 4: required strings given)
FORMAT = 4


def default_cache_dir() -> Path:
    """`$FCVALIDATE_CACHE_DIR`, else `$XDG_CACHE_HOME/fcvalidate`, else `~/.cache/fcvalidate`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fcvalidate"


@cache
def _versions() -> tuple[str, ...]:
    out = []
    for name in ("fcvalidate", "schemathesis", "hypothesis"):
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
            out.append(f"{name}=unknown")
    return tuple(out)


def cache_key(contract_sha256: str, operation: str, mode: str, seed: int, count: int) -> str:
    raw = json.dumps([FORMAT, contract_sha256, operation, mode, seed, count, *_versions()])
    return hashlib.sha256(raw.encode()).hexdigest()


class DrawCache:
    """Draws by key, in `folder` (None: a cache that never hits and never writes). Thread-safe."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / "draws" / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Draw] | None:
        if self.folder is None:
            return None
        try:
            draws = [_decode(item) for item in json.loads(self.path(key).read_bytes())["draws"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            draws = None  # missing, half-written by a crashed writer, or not ours: regenerate
        with self._lock:
            if draws is None:
                self.misses += 1
            else:
                self.hits += 1
        return draws

    def put(self, key: str, draws: list[Draw]) -> None:
        if self.folder is None:
            return
        target = self.path(key)
        data = json.dumps({"draws": [_encode(d) for d in draws]}).encode()
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, target)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise


def _encode(draw: Draw) -> dict[str, Any]:
    body: Any
    if draw.body is None:
        body = None
    elif isinstance(draw.body, bytes):
        body = {"bytes": base64.b64encode(draw.body).decode()}
    else:
        body = {"json": draw.body}
    return {
        "headers": draw.headers,
        "body": body,
        "description": draw.description,
        "path": draw.path,
        "query": draw.query,
        "cookies": draw.cookies,
    }


def _decode(item: dict[str, Any]) -> Draw:
    headers = item["headers"]
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise TypeError("headers")
    return Draw(
        headers,
        _decoded_body(item["body"]),
        str(item["description"]),
        path=dict(item.get("path") or {}),
        query=dict(item.get("query") or {}),
        cookies={str(k): str(v) for k, v in (item.get("cookies") or {}).items()},
    )


def _decoded_body(body: Any) -> Any:
    if body is None:
        return None
    return base64.b64decode(body["bytes"], validate=True) if "bytes" in body else body["json"]
