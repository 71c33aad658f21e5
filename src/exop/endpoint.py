"""Put the package into a remote store with the SPARQL 1.1 Graph Store Protocol.

``PUT <store>?graph=<iri>`` replaces that one named graph and touches no other.

With a user and password, the authentication challenge is fetched first with a body-less
``HEAD`` request and the ``PUT`` carries its ``Authorization`` header from the start.
urllib's own handlers send the body, read the 401 and send it again; a server that answers
401 and closes the connection before reading the body (Virtuoso's digest-protected
``/sparql-graph-crud-auth`` does) breaks that first upload with a broken pipe, depending on
timing.
"""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Graph

from exop import graph as package_graph
from exop.binding import check_iri
from exop.engines import DEFAULT_TIMEOUT
from exop.errors import EndpointError, ParameterError
from exop.namespaces import DEFAULT_GRAPH_IRI


@dataclass(frozen=True)
class LoadResult:
    """What was put where, and what the store said."""

    store_url: str
    graph_iri: str
    triples: int
    status: int


def graph_store_url(store_url: str, graph_iri: str, parameter: str = "graph") -> str:
    """The Graph Store Protocol URL addressing named graph *graph_iri* on *store_url*."""
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    return f"{store_url}{separator}{urllib.parse.urlencode({parameter: graph_iri})}"


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if user is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password or "")
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def _challenge(url: str, timeout: float) -> str | None:
    """The ``WWW-Authenticate`` challenge a body-less HEAD of *url* gets (None: no 401)."""
    request = urllib.request.Request(url, method="HEAD")  # noqa: S310 (scheme checked)
    try:
        with urllib.request.build_opener().open(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        if error.code != 401:
            return None  # e.g. 405 for HEAD: leave authentication to the PUT's handlers
        return error.headers.get("WWW-Authenticate")


def _authorization(
    request: urllib.request.Request, challenge: str, user: str, password: str
) -> str | None:
    """The ``Authorization`` header answering *challenge* for *request* (None: unsupported)."""
    scheme, _, parameters = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"
    if scheme.lower() != "digest":
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, user, password)
    fields = urllib.request.parse_keqv_list(
        [item for item in urllib.request.parse_http_list(parameters) if item]
    )
    response = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
    return None if response is None else f"Digest {response}"


def put_graph(
    store_url: str,
    graph: Graph,
    graph_iri: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    password: str | None = None,
    parameter: str = "graph",
) -> LoadResult:
    """Replace named graph *graph_iri* on the Graph Store *store_url* with *graph*."""
    if not store_url.startswith(("http://", "https://")):
        raise EndpointError(f"not an http(s) Graph Store URL: {store_url!r}")
    try:
        check_iri(graph_iri)
    except ParameterError as error:
        raise EndpointError(f"--graph: {error}") from None
    body = graph.serialize(format="nt", encoding="utf-8")
    url = graph_store_url(store_url, graph_iri, parameter)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    try:
        if user is not None:
            challenge = _challenge(url, timeout)
            header = _authorization(request, challenge, user, password or "") if challenge else None
            if header is not None:
                request.add_unredirected_header("Authorization", header)
        with _opener(url, user, password).open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").replace("\n", " ").strip()
        raise EndpointError(
            f"Graph Store {store_url} answered HTTP {error.code} {error.reason}: {detail}"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, socket.timeout | TimeoutError):
            raise EndpointError(
                f"Graph Store {store_url} did not answer within {timeout:g} s"
            ) from None
        raise EndpointError(f"Graph Store {store_url} unreachable: {reason}") from None
    return LoadResult(store_url=store_url, graph_iri=graph_iri, triples=len(graph), status=status)


def load_package_into(
    store_url: str,
    graph_iri: str = str(DEFAULT_GRAPH_IRI),
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    password: str | None = None,
    parameter: str = "graph",
) -> LoadResult:
    """Put the package's ontology and data into named graph *graph_iri* of *store_url*."""
    return put_graph(
        store_url,
        package_graph.load_package().union(),
        graph_iri,
        timeout=timeout,
        user=user,
        password=password,
        parameter=parameter,
    )
