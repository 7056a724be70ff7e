"""Bearer tokens of the reference implementation: static ones, and expiring ones issued to OAuth2 clients."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Iterable


class Tokens:
    def __init__(
        self, static: Iterable[str] = (), clients: Iterable[tuple[str, str]] = (), ttl: float = 3600
    ) -> None:
        self._static = frozenset(static)
        self._clients = dict(clients)
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()
        self.ttl = ttl

    def __repr__(self) -> str:  # never show a credential
        return f"Tokens(static=***x{len(self._static)}, clients={sorted(self._clients)})"

    def valid(self, token: str) -> bool:
        if any(hmac.compare_digest(token, s) for s in self._static):
            return True
        with self._lock:
            expiry = self._issued.get(token)
            if expiry is not None and expiry < time.monotonic():
                del self._issued[token]
                return False
        return expiry is not None

    def issue(self, client_id: str, client_secret: str) -> str | None:
        """A fresh token for a known client with the right secret, else None."""
        expected = self._clients.get(client_id)
        if expected is None or not hmac.compare_digest(expected, client_secret):
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._issued[token] = time.monotonic() + self.ttl
        return token
