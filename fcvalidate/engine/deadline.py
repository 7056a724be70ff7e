"""A total deadline per request: httpx's timeouts bound each read, so a server that trickles one byte a
second would never time out. Every socket operation of a request is clamped to what is left of it.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

_deadline = threading.local()


def _remaining(timeout: float | None) -> float | None:
    deadline = getattr(_deadline, "at", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every socket operation in this block, on this thread, ends by `seconds` from now."""
    _deadline.at = time.monotonic() + seconds
    try:
        yield
    finally:
        _deadline.at = None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _DeadlineStream(super().connect_tcp(*args, **kwargs))


def deadline_transport(tls: ssl.SSLContext) -> httpx.HTTPTransport:
    """httpx's own transport, for one keep-alive connection, on a deadline-aware network backend.

    httpx takes no network backend, so its pool is rebuilt with the same settings; the alternative,
    a transport of our own, would copy httpx's private request and exception mapping instead.
    """
    transport = httpx.HTTPTransport(verify=tls, limits=httpx.Limits(max_connections=1), trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=tls,
        max_connections=1,
        max_keepalive_connections=1,
        network_backend=_DeadlineBackend(),
    )
    return transport
