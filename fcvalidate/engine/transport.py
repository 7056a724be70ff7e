"""HTTP edge of the engine: send a `Case`, get an `Exchange`.

Promises (the README repeats them): redirects are never followed; a request whose connection closes
before a byte of answer (a kept-alive connection the server closed while idle) is sent once more, on a
new connection; cookies a server sets are never sent back (each case is exactly what its reproducer
sends); a response body is read up to `MAX_BODY` bytes after decoding (a gzip bomb stops there); every
request ends by its deadline however slowly a server trickles; every transport failure becomes a finding
message, never an exception.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
import zlib
from collections.abc import Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import quote, urlsplit

import httpx

from fcvalidate.engine import basic
from fcvalidate.engine.deadline import deadline, deadline_transport
from fcvalidate.errors import UnreachableError, UsageError
from fcvalidate.exchange import Case, Exchange, Response

MAX_BODY = 1 << 20
INVALID_TOKEN = "fcvalidate-invalid-token"
EXTENSION = "x"  # appended to the real credential: a token that only starts like the real one


def describe_error(exc: BaseException, timeout: float | None = None) -> str:
    """One sentence for a transport failure (the finding's `actual`)."""
    if isinstance(exc, httpx.TimeoutException):
        return f"no response within {timeout:g} s" if timeout else "timed out"
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP response: {exc}"
    if isinstance(exc, httpx.ReadError):
        return f"connection reset while reading the response ({exc or 'reset'})"
    if isinstance(exc, httpx.DecodingError):
        return f"response body cannot be decoded: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _connect_failure(exc: httpx.ConnectError) -> str:
    text = str(exc)
    if _ssl_reason(exc) in NOT_TLS:
        return "the server does not speak TLS (try http://)"
    if any(words in text for words in _UNRESOLVED):
        return "the host name does not resolve"
    return f"connection failed ({text or 'refused'})"


# how the resolvers of Linux (glibc), macOS and others say a host name is unknown
_UNRESOLVED = ("Name or service not known", "nodename nor servname", "Temporary failure in name resolution")
NOT_TLS = frozenset(
    {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST"}
)


def _ssl_reason(exc: BaseException) -> str | None:
    """The OpenSSL reason of the `ssl.SSLError` behind a connection error, if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen.reason
        seen = seen.__cause__ or seen.__context__
    return None


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


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def expand_path(template: str, values: Mapping[str, str]) -> str:
    """The concrete path: each `{name}` replaced by its value, percent-encoded so that reserved
    characters (`/?#%`) stay inside the one path segment; a name without a value is left as it is."""
    return _TEMPLATE.sub(
        lambda m: quote(values[m.group(1)], safe="") if m.group(1) in values else m.group(0), template
    )


def query_string(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """`a=1&b=%7B%7D`: every name and value percent-encoded (a space as %20, never +)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def credential_value(case: Case, secret: str | None) -> str | None:
    """The value the case's credential slot carries: the secret, the invalid one, or none."""
    if case.auth == "valid":
        return secret
    if case.auth == "invalid":
        return INVALID_TOKEN
    if case.auth == "extended":
        return None if secret is None else secret + EXTENSION
    return None


def build_headers(case: Case, token: str | None) -> dict[str, str]:
    """The headers a case is sent with (cookies as one Cookie header); `token` is the secret of the
    case's credential (bearer token, API key or HTTP Basic `USER:PASSWORD`): pass `REDACTED` to get what
    reports show."""
    headers = dict(case.headers)
    if case.body is not None and case.content_type:
        headers.setdefault("Content-Type", case.content_type)
    cookies = list(case.cookies)
    _place_credential(case, token, headers, cookies)
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies)
    return headers


def _place_credential(
    case: Case, token: str | None, headers: dict[str, str], cookies: list[tuple[str, str]]
) -> None:
    """The case's credential into the headers or the cookies, where its scheme says (the query's are
    `build_url`'s)."""
    via = case.credential
    if via.kind == "basic":
        encoded = basic.header_token(case.auth, token)
        if encoded is not None:
            headers["Authorization"] = f"Basic {encoded}"
        return
    value = credential_value(case, token)
    if value is None:
        return
    if via.kind == "bearer" and via.location == "header":
        headers[via.parameter or "Authorization"] = f"Bearer {value}"  # `authorization`: case probe
    elif via.location == "header":
        headers[via.parameter] = value
    elif via.location == "cookie":
        cookies.extend((name, value) for name in (via.parameter, *via.aliases))


def build_url(base_url: str, case: Case, token: str | None) -> str:
    """The URL a case is sent to: the concrete path, then its query (and an API key sent in the query)."""
    pairs = list(case.query)
    value = credential_value(case, token)
    via = case.credential
    if value is not None and via.location == "query":
        pairs.extend((name, value) for name in (via.parameter, *via.aliases))
    return base_url + case.path + (f"?{query_string(pairs)}" if pairs else "")


class Transport:
    """The run's HTTP client: one keep-alive connection per sending thread. Each thread gets its own httpx
    client on first use, so no thread waits on, or scans, a pool shared with the others; they share one
    TLS context, and `close()` closes them all.

    `token` is the bearer token valid cases carry; it is set once credentials are resolved. `api_keys`
    maps a security scheme's name to the API key its cases carry; `basic` is the HTTP Basic
    `USER:PASSWORD` of operations secured by basic.
    """

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"the base URL must be an http(s) URL, got {base_url!r}", "base_url")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token: str | None = None
        self.api_keys: Mapping[str, str] = {}
        self.basic: str | None = None
        self._tls = httpx.create_ssl_context(trust_env=False)
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        """This thread's client."""
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(
                transport=deadline_transport(self._tls),
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),  # a jar that keeps nothing
                headers={"User-Agent": "fcvalidate", "Accept-Encoding": "gzip, deflate"},
                trust_env=False,
            )
            with self._lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()

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
            raise UnreachableError(f"{self.base_url}: {describe_error(exc)}", "base_url") from None
        except httpx.HTTPError:
            return

    def secret(self, case: Case) -> str | None:
        if case.credential.kind == "api-key":
            return self.api_keys.get(case.credential.scheme)
        if case.credential.kind == "basic":
            return self.basic
        return self.token

    def url(self, case: Case) -> str:
        return build_url(self.base_url, case, self.secret(case))

    def send(self, case: Case) -> Exchange:
        url = self.url(case)
        headers = build_headers(case, self.secret(case))
        for attempt in (1, 2):
            start, answered = time.perf_counter(), False
            try:
                with (
                    deadline(self.timeout),
                    self.client.stream(case.method, url, headers=headers, content=case.body) as r,
                ):
                    answered = True
                    response = self._read(r, start)
            except (httpx.LocalProtocolError, UnicodeEncodeError) as exc:
                return Exchange(case, url, None, f"not sent: {exc}", sent=False)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if attempt == 1 and not answered:
                    # closed before a byte of answer: most likely a kept-alive connection the server had
                    # closed while idle (RFC 9112 §9.3.1): sent once more, on a new connection
                    continue
                return Exchange(case, url, None, describe_error(exc, self.timeout))
            except Exception as exc:  # httpx's errors and a hostile server's surprises alike: a finding
                return Exchange(case, url, None, describe_error(exc, self.timeout))
            return Exchange(case, url, response)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _read(r: httpx.Response, start: float) -> Response:
        """The answer, its body read up to MAX_BODY after decoding."""
        decoder = _BoundedDecoder(r.headers.get("content-encoding", ""))
        chunks, size, truncated = [], 0, False
        for raw in r.iter_raw():
            chunk = decoder.feed(raw, MAX_BODY + 1 - size)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY:
                truncated = True
                break
        return Response(
            status=r.status_code,
            headers=tuple((k, v) for k, v in r.headers.items()),
            body=b"".join(chunks)[:MAX_BODY],
            elapsed=time.perf_counter() - start,
            truncated=truncated,
            http_version=r.http_version,
        )
