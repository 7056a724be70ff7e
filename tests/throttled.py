"""A rate-limited implementation for tests: the reference app behind a gate that answers some requests
429 Too Many Requests with a Retry-After, and records every request it saw (so a test can prove the
refused request came back byte for byte). Binds 127.0.0.1 on a free port, like the reference server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.server.app import ServerConfig, create_app
from fcvalidate.server.background import serve_app

Seen = tuple[str, str, tuple[tuple[bytes, bytes], ...], bytes]  # method, path, headers, body


@dataclass
class Gate:
    """`refuse(n)`: the Retry-After value for the n-th request (from 0), or None to let it through."""

    refuse: Callable[[int], str | None]
    seen: list[tuple[Seen, bool]] = field(default_factory=list)  # every request, and whether it got 429
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wrap(self, app: Any) -> Any:
        async def gated(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["path"] in ("/", "/oauth2/token"):
                await app(scope, receive, send)
                return
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            headers = tuple(sorted((k, v) for k, v in scope["headers"]))
            request: Seen = (scope["method"], scope["path"], headers, body)
            with self.lock:
                retry_after = self.refuse(len(self.seen))
                self.seen.append((request, retry_after is not None))
            if retry_after is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 429,
                        "headers": [(b"retry-after", retry_after.encode()), (b"content-length", b"0")],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            sent = False

            async def replay() -> dict[str, Any]:
                nonlocal sent
                if sent:
                    return await receive()
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            await app(scope, replay, send)

        return gated


@contextmanager
def serve_gated(gate: Gate, **config: Any) -> Iterator[str]:
    app = gate.wrap(create_app(ServerConfig(**config)))
    with serve_app(app) as url:
        yield url
