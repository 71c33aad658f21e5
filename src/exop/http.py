"""The one HTTP client of EXOP: a total deadline per request, a size bound, and auth.

Remote SPARQL endpoints (queries) and Graph Stores (``exop load``) both go through
:func:`request`. The deadline covers the whole exchange, not each read: a server that
sends one byte every two seconds cannot hold a 3-second request for minutes. With a user
and password, the authentication challenge is fetched first with a body-less ``HEAD`` and
the request carries its ``Authorization`` header from the start: urllib's own handlers
send the body, read the 401 and send it again, and a server that answers 401 and closes
the connection before reading the body (Virtuoso's digest-protected Graph Store does)
breaks that first upload with a broken pipe, depending on timing.
"""

from __future__ import annotations

import base64
import functools
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from exop.errors import EndpointError

DEFAULT_TIMEOUT = 30.0
"""Seconds a whole request to a remote server may take before EXOP gives up."""

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Credentials:
    """A user and password for HTTP basic or digest authentication (never printed)."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Response:
    """A complete HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The bare media type of the body (parameters dropped, lower case)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


def check_url(url: str, what: str = "endpoint") -> str:
    """*url* if it is an http(s) URL, else EndpointError."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise EndpointError(f"not an http(s) {what} URL: {url!r}", what=what, value=url)
    return url


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


def _socket_of(response: Any) -> socket.socket | None:
    raw = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _read_body(response: Any, deadline: _Deadline, max_bytes: int | None) -> bytes:
    sock = _socket_of(response)
    chunks: list[bytes] = []
    size = 0
    while True:
        if sock is not None:
            sock.settimeout(deadline.remaining())
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise EndpointError(f"the answer is larger than {max_bytes} bytes",
                                what="answer size", value=size)
        chunks.append(chunk)
        deadline.remaining()


def _challenge(url: str, deadline: _Deadline) -> str | None:
    """The ``WWW-Authenticate`` challenge a body-less HEAD of *url* gets (None: no 401)."""
    request = urllib.request.Request(url, method="HEAD")  # noqa: S310 (scheme checked)
    try:
        with _plain_opener().open(request, timeout=deadline.remaining()):
            return None
    except urllib.error.HTTPError as error:
        if error.code != 401:
            return None  # e.g. 405 for HEAD: leave authentication to the handlers
        return error.headers.get("WWW-Authenticate")


def _authorization(
    request: urllib.request.Request, challenge: str, credentials: Credentials
) -> str | None:
    """The ``Authorization`` header answering *challenge* for *request* (None: unsupported)."""
    scheme, _, parameters = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        pair = f"{credentials.user}:{credentials.password}".encode()
        return f"Basic {base64.b64encode(pair).decode('ascii')}"
    if scheme.lower() != "digest":
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, credentials.user, credentials.password)
    fields = urllib.request.parse_keqv_list(
        [item for item in urllib.request.parse_http_list(parameters) if item]
    )
    answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
    return None if answer is None else f"Digest {answer}"


@functools.lru_cache(maxsize=1)
def _plain_opener() -> urllib.request.OpenerDirector:
    # Built once, as urllib.request.urlopen builds its own: building an opener reads the
    # proxy settings from the environment and installs ten handlers, ~0.4 ms a request
    # (a third of a small query's round trip to a local endpoint).
    return urllib.request.build_opener()


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    if credentials is None:
        return _plain_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def _failure(what: str, url: str, error: BaseException, timeout: float) -> EndpointError:
    reason: object = getattr(error, "reason", None) or error
    if isinstance(reason, socket.timeout | TimeoutError):
        return EndpointError(f"{what} {url} did not answer within {timeout:g} s",
                             what="timeout", value=timeout)
    detail = str(reason).replace("\n", " ").strip() or type(error).__name__
    return EndpointError(f"{what} {url} unreachable: {detail[:300]}", what=what, value=url)


def request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
    max_bytes: int | None = None,
    what: str = "endpoint",
) -> Response:
    """Send one request and read the whole answer within *timeout* seconds in all.

    HTTP errors become EndpointError with the status and the start of the body.
    """
    check_url(url, what)
    deadline = _Deadline(timeout)
    req = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=data, method=method, headers=dict(headers or {})
    )
    try:
        if credentials is not None:
            challenge = _challenge(url, deadline)
            header = _authorization(req, challenge, credentials) if challenge else None
            if header is not None:
                req.add_unredirected_header("Authorization", header)
        with _opener(url, credentials).open(req, timeout=deadline.remaining()) as response:
            body = _read_body(response, deadline, max_bytes)
            return Response(int(response.status), dict(response.headers.items()), body)
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").replace("\n", " ").strip()
        raise EndpointError(
            f"{what} {url} answered HTTP {error.code} {error.reason}: {detail}",
            what="HTTP status", value=error.code,
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise _failure(what, url, error, timeout) from None
