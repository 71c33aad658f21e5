"""Put the package into a remote store with the SPARQL 1.1 Graph Store Protocol.

``PUT <store>?graph=<iri>`` replaces that one named graph and touches no other.
"""

from __future__ import annotations

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
