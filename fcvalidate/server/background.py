"""Run the reference implementation with uvicorn: in a background thread (tests, the plugin, the demo)
or in the foreground (`fcvalidate serve`). Binds 127.0.0.1 by default; port 0 picks a free port."""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from fcvalidate.errors import FcValidateError, UsageError
from fcvalidate.server.app import ServerConfig, create_app
from fcvalidate.server.hooks import RAW_HEADER_NAMES

READY_TIMEOUT = 10.0


class RawHeaderH11Protocol(H11Protocol):
    """uvicorn lower-cases header names; this keeps the names as sent, for the case-sensitive fault."""

    def handle_events(self) -> None:
        names: list[str] = []
        next_event = self.conn.next_event

        def recording_next_event() -> Any:
            event = next_event()
            if isinstance(event, h11.Request):
                names[:] = [name.decode("latin-1") for name, _ in event.headers.raw_items()]
            return event

        self.conn.next_event = recording_next_event  # type: ignore[method-assign]
        try:
            super().handle_events()
        finally:
            del self.conn.next_event
        if names and getattr(self, "scope", None) is not None:
            extensions = cast(dict[str, Any], self.scope).setdefault("extensions", {})
            extensions[RAW_HEADER_NAMES] = names


def build_server(config: ServerConfig, host: str = "127.0.0.1", port: int = 0) -> tuple[uvicorn.Server, Any]:
    """A uvicorn server for the reference app (and the app, whose state holds the store)."""
    app = create_app(config)
    protocol: Any = RawHeaderH11Protocol if config.raw_header_names else "h11"
    return _uvicorn(app, host, port, protocol), app


def _uvicorn(app: Any, host: str, port: int, protocol: Any = "h11") -> uvicorn.Server:
    return uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            http=protocol,
            log_level="error",  # a fuzzer's garbage is answered 400; no need to log each one
            access_log=False,
            lifespan="off",
            log_config=None,
        )
    )


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a busy port is one clear usage error (uvicorn would log
    its own error and exit the thread)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host}: {exc.strerror}", "host") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is in use", "port") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", "port") from None
    return sock


def bound_url(server: uvicorn.Server, host: str) -> str:
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://{host}:{port}"


@dataclass(frozen=True, slots=True)
class RunningServer:
    """A reference implementation running in a background thread."""

    url: str
    app: Any = field(repr=False)

    def reset(self) -> None:
        """Forget what requests stored: back to the seeded data."""
        self.app.state.reference.store.reset()


@contextmanager
def running_server(host: str = "127.0.0.1", port: int = 0, **config: Any) -> Iterator[RunningServer]:
    """Start the reference implementation in a thread; yield it once it listens; stop it.

    `config` is `ServerConfig`'s fields (tokens, clients, db, faults, accept_async, contracts_dir, ...).
    """
    if "faults" in config:
        config["faults"] = frozenset(config["faults"])
    listener = listen(host, port)
    server, app = build_server(ServerConfig(**config), host, port)
    try:
        with _serving(server, listener, host, port) as url:
            yield RunningServer(url, app)
    finally:
        app.state.reference.store.close()


@contextmanager
def serve_app(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Any ASGI app (a test's own implementation, say) in a thread; yield its base URL; stop it."""
    with _serving(_uvicorn(app, host, port), listen(host, port), host, port) as url:
        yield url


@contextmanager
def _serving(server: uvicorn.Server, listener: socket.socket, host: str, port: int) -> Iterator[str]:
    """Run `server` on `listener` in a thread; yield its URL once it listens (its errors re-raised here)."""
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[listener])
        except BaseException as exc:  # re-raised in the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=serve, name="fcvalidate-reference", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_TIMEOUT
    while not server.started:
        if failure:
            raise failure[0]
        if not thread.is_alive() or time.monotonic() > deadline:
            raise FcValidateError(f"the reference implementation could not start on {host}:{port}")
        time.sleep(0.002)
    try:
        yield bound_url(server, host)
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextmanager
def serve_in_background(host: str = "127.0.0.1", port: int = 0, **config: Any) -> Iterator[str]:
    """Start the reference implementation on a free port in a thread; yield its base URL; stop it."""
    with running_server(host, port, **config) as server:
        yield server.url
