"""HTTP edge of the engine: send a `Case`, get an `Exchange`; credentials; reproducers.

Promises (the README repeats them): redirects are never followed; a response body is read up to
`MAX_BODY` bytes after decoding (a gzip bomb stops there); every transport failure becomes a finding
message, never an exception; a credential is never recorded: reports see `Bearer ***`.
"""

from __future__ import annotations

import base64
import shlex
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from fcvalidate.engine.cases import Case
from fcvalidate.errors import CredentialsError, UnreachableError, UsageError

MAX_BODY = 1 << 20
REDACTED = "***"
INVALID_TOKEN = "fcvalidate-invalid-token"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed: float
    truncated: bool = False
    http_version: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def media_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";")[0].strip().lower() if value else None


@dataclass(frozen=True, slots=True)
class Exchange:
    """A case as sent, and what came back: a response, or the transport failure in one sentence."""

    case: Case
    url: str
    response: Response | None
    error: str | None = None
    sent: bool = True  # False: the request could not even be built (a generated header httpx refuses)


@dataclass(slots=True)
class Credentials:
    """A bearer token, given or fetched with OAuth2 client credentials. Never printed."""

    token: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    obtained_by_client_credentials: bool = False

    def __repr__(self) -> str:
        return f"Credentials(token={REDACTED if self.token else None}, token_url={self.token_url!r})"

    def secrets(self) -> list[str]:
        return [s for s in (self.token, self.client_secret) if s]

    def fetch(self, client: httpx.Client, base_url: str) -> None:
        """Exchange client credentials for a token; a refusal is a `CredentialsError` (exit 3)."""
        if not self.token_url:
            return
        if not (self.client_id and self.client_secret):
            raise UsageError(
                "--token-url needs --client-id and --client-secret (or FCVALIDATE_CLIENT_SECRET)"
            )
        url = (
            self.token_url
            if "://" in self.token_url
            else base_url.rstrip("/") + "/" + self.token_url.lstrip("/")
        )
        try:
            response = client.post(
                url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
        except httpx.HTTPError as exc:
            raise UnreachableError(f"token endpoint {url}: {describe_error(exc)}") from None
        if response.status_code != 200:
            raise CredentialsError(
                f"token endpoint {url} refused client {self.client_id!r}: HTTP {response.status_code}"
            )
        try:
            token = response.json()["access_token"]
        except (ValueError, KeyError, TypeError):
            raise CredentialsError(f"token endpoint {url} answered 200 without an access_token") from None
        self.token = str(token)
        self.obtained_by_client_credentials = True


def describe_error(exc: BaseException, timeout: float | None = None) -> str:
    """One sentence for a transport failure (the finding's `actual`)."""
    if isinstance(exc, httpx.TimeoutException):
        return f"no response within {timeout:g} s" if timeout else "timed out"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc)
        if (
            "Name or service not known" in text
            or "nodename nor servname" in text
            or "Temporary failure in name resolution" in text
        ):
            return "the host name does not resolve"
        return f"connection failed ({text or 'refused'})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP response: {exc}"
    if isinstance(exc, httpx.ReadError):
        return f"connection reset while reading the response ({exc or 'reset'})"
    if isinstance(exc, httpx.DecodingError):
        return f"response body cannot be decoded: {exc}"
    return f"{type(exc).__name__}: {exc}"


# httpx's timeouts bound each read, so a server that trickles one byte a second never times out.
# Every socket operation of a request is clamped to what is left of the request's whole deadline.
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


class _BoundedDecoder:
    """gzip/deflate decoded by us, never past the room left: a gzip bomb costs 1 MiB, not 64 MB."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(
            encoding
        )
        self._zlib = zlib.decompressobj(wbits) if wbits is not None else None

    def feed(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return data[:room]
        try:
            return self._zlib.decompress(self._zlib.unconsumed_tail + data, room)
        except zlib.error as exc:
            raise httpx.DecodingError(f"invalid {exc}") from None


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


class Transport:
    """One keep-alive client for a run; thread-safe (httpx.Client may be shared by worker threads)."""

    def __init__(
        self, base_url: str, credentials: Credentials, timeout: float = 5.0, workers: int = 1
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        connections = max(workers, 1) * 2
        transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=connections), trust_env=False)
        transport._pool = httpcore.ConnectionPool(  # the same pool httpx builds, on a deadline-aware backend
            max_connections=connections,
            max_keepalive_connections=connections,
            network_backend=_DeadlineBackend(),
        )
        self.client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": "fcvalidate", "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def preflight(self) -> None:
        """Fail fast (exit 3) when nothing listens at the base URL; a slow or odd answer is fine here."""
        try:
            with deadline(min(self.timeout, 5.0)), self.client.stream("GET", self.base_url + "/") as r:
                r.close()
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            raise UnreachableError(f"{self.base_url}: {describe_error(exc)}") from None
        except httpx.HTTPError:
            return

    def url(self, case: Case) -> str:
        return self.base_url + case.path

    def send(self, case: Case) -> Exchange:
        url = self.url(case)
        start = time.perf_counter()
        headers = build_headers(case, self.credentials.token)
        try:
            with (
                deadline(self.timeout),
                self.client.stream(case.method, url, headers=headers, content=case.body) as r,
            ):
                decoder = _BoundedDecoder(r.headers.get("content-encoding", ""))
                chunks, size, truncated = [], 0, False
                for raw in r.iter_raw():
                    chunk = decoder.feed(raw, MAX_BODY + 1 - size)
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BODY:
                        truncated = True
                        break
                body = b"".join(chunks)[:MAX_BODY]
                response = Response(
                    status=r.status_code,
                    headers=tuple((k, v) for k, v in r.headers.items()),
                    body=body,
                    elapsed=time.perf_counter() - start,
                    truncated=truncated,
                    http_version=r.http_version,
                )
        except (httpx.LocalProtocolError, UnicodeEncodeError) as exc:
            return Exchange(case, url, None, f"not sent: {exc}", sent=False)
        except httpx.HTTPError as exc:
            return Exchange(case, url, None, describe_error(exc, self.timeout))
        except Exception as exc:  # a hostile server must never crash the run
            return Exchange(case, url, None, describe_error(exc, self.timeout))
        return Exchange(case, url, response)


def redact_headers(headers: Mapping[str, str] | tuple[tuple[str, str], ...]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    out = {}
    for name, value in items:
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        out[name] = value
    return out


def curl(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> str:
    """A curl reproducer: the credential comes from $FCVALIDATE_TOKEN, never from the report."""
    parts = ["curl", "-i", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        if name.lower() == "authorization":
            if value.endswith(REDACTED):
                parts += ["-H", '"Authorization: Bearer $FCVALIDATE_TOKEN"']
            else:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body is not None:
        parts += ["--data-binary", shlex.quote(body.decode("utf-8", "replace"))]
    return " ".join(parts)


MIN_SCRUBBED = 4  # a shorter "secret" matches ordinary text; it is still redacted wherever it is sent


def scrub(text: str, secrets: list[str]) -> str:
    """Replace every secret in a text (a server may echo a token back) with ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SCRUBBED:
            text = text.replace(secret, REDACTED)
    return text


def as_dict(exchange: Exchange, secrets: list[str], excerpt: int = 4096) -> dict[str, Any]:
    """An exchange as report data: request (redacted), response excerpt, curl reproducer."""
    case = exchange.case
    headers = {k: scrub(v, secrets) for k, v in build_headers(case, REDACTED).items()}
    body_text = case.body.decode("utf-8", "replace") if case.body is not None else None
    out: dict[str, Any] = {
        "id": case.id,
        "operation": case.operation,
        "requirement": case.requirement,
        "kind": case.kind,
        "title": case.title,
        "request": {
            "method": case.method,
            "url": exchange.url,
            "headers": headers,
            "body": scrub(body_text, secrets) if body_text is not None else None,
        },
        "curl": scrub(curl(case.method, exchange.url, headers, case.body), secrets),
        "case": {
            "auth": case.auth,
            "path": case.path,
            "content_type": case.content_type,
            "expect": {
                "outcome": case.expect.outcome,
                "codes": list(case.expect.codes),
                "statuses": list(case.expect.statuses),
            },
            "source": {"at": case.source.at, "clause": case.source.clause},
            "defect": None
            if case.defect is None
            else {
                "kind": case.defect.kind,
                "location": case.defect.location,
                "description": case.defect.description,
            },
            "headers": [[k, scrub(v, secrets)] for k, v in case.headers],
            "body_base64": base64.b64encode(case.body).decode("ascii") if case.body is not None else None,
        },
    }
    if exchange.response is not None:
        r = exchange.response
        text = r.body[:excerpt].decode("utf-8", "replace")
        out["response"] = {
            "status": r.status,
            "headers": {k: scrub(v, secrets) for k, v in redact_headers(r.headers).items()},
            "body": scrub(text, secrets),
            "body_bytes": len(r.body),
            "truncated": r.truncated or len(r.body) > excerpt,
            "elapsed_ms": round(r.elapsed * 1000, 1),
        }
    else:
        out["error"] = scrub(exchange.error or "", secrets)
    return out


def build_headers(case: Case, token: str | None) -> dict[str, str]:
    """The headers a case is sent with; pass `REDACTED` as the token to get what reports show."""
    headers = dict(case.headers)
    if case.body is not None and case.content_type:
        headers.setdefault("Content-Type", case.content_type)
    if case.auth == "valid" and token:
        headers["Authorization"] = f"Bearer {token}"
    elif case.auth == "invalid":
        headers["Authorization"] = f"Bearer {INVALID_TOKEN}"
    return headers
