"""Put the package into a remote store with the SPARQL 1.1 Graph Store Protocol.

``PUT <store>?graph=<iri>`` replaces that one named graph and touches no other. The
request goes through :mod:`exop.http` (a total deadline, and authentication fetched with a
body-less HEAD first: see there why).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from rdflib import Graph

from exop import http
from exop.errors import EndpointError, ParameterError
from exop.namespaces import DEFAULT_GRAPH_IRI
from exop.terms import check_iri


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


def put_graph(
    store_url: str,
    graph: Graph,
    graph_iri: str,
    *,
    timeout: float = http.DEFAULT_TIMEOUT,
    credentials: http.Credentials | None = None,
    parameter: str = "graph",
) -> LoadResult:
    """Replace named graph *graph_iri* on the Graph Store *store_url* with *graph*."""
    http.check_url(store_url, "Graph Store")
    try:
        check_iri(graph_iri)
    except ParameterError as error:
        raise EndpointError(f"graph IRI: {error}", what="graph IRI", parameter="graph",
                            value=graph_iri) from None
    body = graph.serialize(format="nt", encoding="utf-8")
    response = http.request(
        graph_store_url(store_url, graph_iri, parameter),
        method="PUT",
        data=body,
        headers={"Content-Type": "application/n-triples"},
        timeout=timeout,
        credentials=credentials,
        what="Graph Store",
    )
    return LoadResult(store_url=store_url, graph_iri=graph_iri, triples=len(graph),
                      status=response.status)


def load_package_into(
    store_url: str,
    graph_iri: str = str(DEFAULT_GRAPH_IRI),
    *,
    timeout: float = http.DEFAULT_TIMEOUT,
    credentials: http.Credentials | None = None,
    parameter: str = "graph",
    graph: Graph | None = None,
) -> LoadResult:
    """Put the package's ontology and data (or *graph*) into named graph *graph_iri*."""
    if graph is None:
        from exop.package import default_package

        graph = default_package().union
    return put_graph(store_url, graph, graph_iri, timeout=timeout, credentials=credentials,
                     parameter=parameter)
