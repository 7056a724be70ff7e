"""Credentials for the implementation under test: a bearer token given, or one obtained with OAuth2
client credentials, API keys (`--api-key NAME=VALUE`) and HTTP Basic (`--basic USER:PASSWORD`). Immutable; obtaining a token returns it, and
nothing here ever prints a secret.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import httpx

from fcvalidate.contract.operation import Operation, SecurityScheme
from fcvalidate.engine import basic
from fcvalidate.engine.transport import describe_error
from fcvalidate.errors import CredentialsError, UnreachableError, UsageError
from fcvalidate.exchange import BEARER, Credential

API_KEY_FORM = (
    "NAME=VALUE (NAME: the security scheme or its parameter name; SCHEME@[query:|cookie:]PARAMETER "
    "says where a key goes that the document does not place)"
)
Location = Literal["header", "query", "cookie"]
LOCATIONS: tuple[Location, ...] = ("header", "query", "cookie")


def parse_api_keys(values: Iterable[str], setting: str = "api_key") -> tuple[tuple[str, str], ...]:
    """`NAME=VALUE` options as pairs (NAME: a security scheme's name, or its header/query/cookie name;
    `SCHEME@PARAMETER` or `SCHEME@query:PARAMETER` places a key whose delivery the document omits)."""
    out = []
    for value in values:
        name, sep, key = str(value).partition("=")
        name = name.strip()
        scheme, location, _ = _placement(name)
        if not sep or not key or not scheme or ("@" in name and location is None):
            raise UsageError(f"must be {API_KEY_FORM}", setting)
        out.append((name, key))
    return tuple(out)


def _answered(raw: str, schemes: Iterable[SecurityScheme]) -> bool:
    """Whether an `--api-key NAME[@PLACE]` is for one of `schemes`; a place given for a scheme whose
    place the contract documents is a usage error."""
    name, location, _parameter = _placement(raw)
    answered = [scheme for scheme in schemes if _names(name, scheme)]
    for scheme in answered:
        if location and scheme.documented:
            raise UsageError(
                f"{raw}: the contract says where {scheme.name}'s key goes "
                f"({scheme.location} {scheme.parameter}); give --api-key {scheme.name}=…",
                "api_key",
            )
    return bool(answered)


def _unknown_api_key(raw: str, schemes: list[SecurityScheme]) -> UsageError:
    known = ", ".join(sorted(s.name for s in schemes)) or "none"
    placed = [s.name for s in schemes if not s.documented]
    header = _placement(raw)[0]
    hint = (
        f"; the document does not say where {placed[0]}'s key goes: to send it in a header "
        f"named {header}, give --api-key {placed[0]}@{header}=…"
        if placed
        else ""
    )
    return UsageError(
        f"{raw} is not an API-key scheme (or its parameter) in the contracts (API-key schemes: {known}){hint}",
        "api_key",
    )


def _placement(name: str) -> tuple[str, Location | None, str | None]:
    """`SCHEME@query:key` → ("SCHEME", "query", "key"); `SCHEME@X-Api-Key` → header; `NAME` → no placement."""
    scheme, at, where = name.partition("@")
    if not at:
        return scheme, None, None
    location, colon, parameter = where.partition(":")
    if not colon:
        location, parameter = "header", where
    placed = next((loc for loc in LOCATIONS if loc == location), None)
    if placed is None or not parameter.strip():
        return scheme, None, None
    return scheme.strip(), placed, parameter.strip()


def _names(name: str, scheme: SecurityScheme) -> bool:
    """Does NAME name `scheme`: its name, or (case-insensitively) its parameter's name."""
    return name == scheme.name or bool(scheme.parameter and name.lower() == scheme.parameter.lower())


def option_for(scheme: SecurityScheme) -> str:
    """The option that gives a credential for `scheme` (named in usage errors and skip reasons)."""
    if scheme.kind == "api-key":
        return f"--api-key {scheme.name}=…"
    if scheme.kind == "bearer":
        return "--token (or --token-url with client credentials)"
    if scheme.kind == "basic":
        return f"--basic {basic.FORM}"
    return f"a credential for {scheme.name} ({scheme.kind}: not supported by fcvalidate)"


@dataclass(frozen=True, slots=True)
class Credentials:
    token: str | None = field(default=None, repr=False)
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_keys: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (NAME, VALUE)
    basic: str | None = field(default=None, repr=False)  # HTTP Basic USER:PASSWORD

    def __post_init__(self) -> None:
        basic.parse_basic(self.basic)
        if self.token and self.token_url:
            raise UsageError("give either a token or a token URL with client credentials, not both", "token")
        if self.token_url and not (self.client_id and self.client_secret):
            raise UsageError("a token URL needs a client id and a client secret", "token_url")

    @property
    def given(self) -> bool:
        return bool(self.token or self.token_url or self.api_keys or self.basic)

    def api_key(self, scheme: SecurityScheme) -> str | None:
        """The API key given for `scheme`, by its name or (case-insensitively) its parameter's name."""
        for raw, value in self.api_keys:
            if _names(_placement(raw)[0], scheme):
                return value
        return None

    def placed(self, scheme: SecurityScheme) -> tuple[Location, str] | None:
        """Where the user said `scheme`'s key goes (`--api-key SCHEME@…`), if they did."""
        for raw, _ in self.api_keys:
            name, location, parameter = _placement(raw)
            if location and parameter and _names(name, scheme):
                return location, parameter
        return None

    def delivery(self, scheme: SecurityScheme) -> tuple[Location, str]:
        """Where `scheme`'s key goes: the place given with it, else the contract's."""
        return self.placed(scheme) or (scheme.location or "header", scheme.parameter or scheme.name)

    def guessed(self, scheme: SecurityScheme) -> bool:
        """Whether `scheme`'s key goes where the contract had to guess (and the user did not say)."""
        return scheme.kind == "api-key" and not scheme.documented and self.placed(scheme) is None

    def has(self, scheme: SecurityScheme) -> bool:
        if scheme.kind == "bearer":
            return bool(self.token or self.token_url)
        if scheme.kind == "basic":
            return self.basic is not None
        return scheme.kind == "api-key" and self.api_key(scheme) is not None

    def credential_for(self, op: Operation) -> tuple[Credential, SecurityScheme] | None:
        """How valid requests of `op` carry a credential: the first of its alternatives (documented
        deliveries before inferred ones) one was given for; None when it needs none, or when every scheme
        it declares is one whose delivery the contract had to infer and none was given (then it is sent
        without one, and its authorisation is not tested: `untested_schemes` says which option would).
        Raises `UsageError` naming the missing option when none of its schemes has a credential."""
        if not op.security or self.untested_schemes(op):
            return None
        for scheme in sorted(op.security, key=lambda s: not s.documented):
            if self.has(scheme):
                return self._credential(scheme), scheme
        options = " or ".join(dict.fromkeys(option_for(s) for s in op.security))
        kinds = {s.kind for s in op.security}
        setting = "api_key" if "api-key" in kinds else ("basic" if "basic" in kinds else "token")
        raise UsageError(f"{op.label} needs a credential: give {options}", setting)

    def _credential(self, scheme: SecurityScheme) -> Credential:
        if scheme.kind == "bearer":
            return BEARER
        if scheme.kind == "basic":
            return Credential("basic", scheme.name)
        location, parameter = self.delivery(scheme)
        return Credential("api-key", scheme.name, location, parameter)

    def untested_schemes(self, op: Operation) -> tuple[SecurityScheme, ...]:
        """The schemes of `op` when all of them were inferred (`documented=False`) and none has a
        credential: the contract does not say how to deliver one, so fcvalidate does not insist."""
        if not op.security or any(s.documented or self.has(s) for s in op.security):
            return ()
        return op.security

    def api_keys_by_scheme(self, operations: Iterable[Operation]) -> dict[str, str]:
        """Every API key given, by the name of the security scheme it is for; a NAME no scheme of
        `operations` (all those of the contracts) answers to is a usage error: a typo, never ignored."""
        schemes = {s.name: s for op in operations for s in op.security if s.kind == "api-key"}
        given = {scheme.name: self.api_key(scheme) for scheme in schemes.values()}
        unknown = [raw for raw, _ in self.api_keys if not _answered(raw, schemes.values())]
        if unknown:
            raise _unknown_api_key(unknown[0], list(schemes.values()))
        return {name: value for name, value in given.items() if value is not None}

    @property
    def kind(self) -> str:
        return "client-credentials" if self.token_url else ("token" if self.token else "none")

    def check_basic(self, operations: Iterable[Operation]) -> None:
        """`--basic` given where no operation of the contracts is secured by HTTP Basic: a usage error (a
        wrong contract folder or a misread scheme), never silently unused."""
        if self.basic is None:
            return
        schemes = {s.name: s.kind for op in operations for s in op.security}
        if "basic" not in schemes.values():
            known = ", ".join(f"{name} ({kind})" for name, kind in sorted(schemes.items())) or "none"
            raise UsageError(
                f"no operation of the contracts is secured by HTTP Basic (their schemes: {known})", "basic"
            )

    def secrets(self) -> tuple[str, ...]:
        given = (self.token, self.client_secret, *(v for _, v in self.api_keys), *basic.secrets(self.basic))
        return tuple(s for s in given if s)

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
