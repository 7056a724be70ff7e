"""Credentials for the implementation under test: a bearer token given, or one obtained with OAuth2
client credentials. Immutable; obtaining a token returns it, and nothing here ever prints a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from fcvalidate.engine.transport import describe_error
from fcvalidate.errors import CredentialsError, UnreachableError, UsageError


@dataclass(frozen=True, slots=True)
class Credentials:
    token: str | None = field(default=None, repr=False)
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.token and self.token_url:
            raise UsageError("give either a token or a token URL with client credentials, not both", "token")
        if self.token_url and not (self.client_id and self.client_secret):
            raise UsageError("a token URL needs a client id and a client secret", "token_url")

    @property
    def given(self) -> bool:
        return bool(self.token or self.token_url)

    @property
    def kind(self) -> str:
        return "client-credentials" if self.token_url else ("token" if self.token else "none")

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.client_secret) if s)

    def obtain_token(self, client: httpx.Client, base_url: str) -> str | None:
        """The bearer token to send: the one given, or one the token endpoint issues (exit 3 if refused)."""
        if not self.token_url:
            return self.token
        url = (
            self.token_url
            if "://" in self.token_url
            else f"{base_url.rstrip('/')}/{self.token_url.lstrip('/')}"
        )
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        try:
            response = client.post(url, data=form)
        except httpx.HTTPError as exc:
            raise UnreachableError(f"token endpoint {url}: {describe_error(exc)}", "token_url") from None
        if response.status_code == 404:
            raise CredentialsError(f"token endpoint {url} was not found (HTTP 404)", "token_url")
        if response.status_code != 200:
            raise CredentialsError(
                f"token endpoint {url} refused client {self.client_id!r}: HTTP {response.status_code}",
                "client_id",
            )
        try:
            return str(response.json()["access_token"])
        except (ValueError, KeyError, TypeError):
            raise CredentialsError(
                f"token endpoint {url} answered 200 without an access_token", "token_url"
            ) from None
