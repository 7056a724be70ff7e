"""Credentials of the reference implementation: static bearer tokens, expiring ones issued to OAuth2
clients (who may also use HTTP basic), API keys, and HTTP Basic users."""

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
        if self.static(token):
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

    def client(self, client_id: str, client_secret: str) -> bool:
        """HTTP basic credentials: a known client with the right secret."""
        expected = self._clients.get(client_id)
        return expected is not None and hmac.compare_digest(expected, client_secret)

    def static(self, value: str) -> bool:
        return any(hmac.compare_digest(value, s) for s in self._static)


class ApiKeys:
    """API keys by the name they are sent under (`X-Api-Key`) or their scheme's name (`ApiKeyAuth`).

    A scheme no `--api-key` names accepts the static bearer tokens as keys, so `serve --token T` alone
    serves API-key operations too.
    """

    def __init__(self, keys: Iterable[tuple[str, str]] = (), tokens: Tokens | None = None) -> None:
        self._keys: dict[str, list[str]] = {}
        for name, value in keys:
            self._keys.setdefault(name.lower(), []).append(value)
        self._tokens = tokens

    def __repr__(self) -> str:  # never show a credential
        return f"ApiKeys(names={sorted(self._keys)})"

    def valid(self, names: Iterable[str], value: str) -> bool:
        configured = [v for name in names for v in self._keys.get(name.lower(), ())]
        if configured:
            return any(hmac.compare_digest(value, v) for v in configured)
        return self._tokens is not None and self._tokens.static(value)


class Passwords:
    """HTTP Basic users (`serve --basic USER:PASSWORD`), compared in constant time."""

    def __init__(self, users: Iterable[tuple[str, str]] = ()) -> None:
        self._users = dict(users)

    def __repr__(self) -> str:  # never show a credential
        return f"Passwords(users={sorted(self._users)})"

    def known(self, user: str) -> bool:
        return user in self._users

    def valid(self, user: str, password: str) -> bool:
        expected = self._users.get(user)
        return expected is not None and hmac.compare_digest(expected.encode(), password.encode())

    def starts(self, user: str, password: str) -> bool:
        """Whether `password` starts with the user's password (the `basic-password-prefix` fault)."""
        expected = self._users.get(user)
        return expected is not None and password.startswith(expected)
