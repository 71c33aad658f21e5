"""Put the package into a remote store with the SPARQL 1.1 Graph Store Protocol.

``PUT <store>?graph=<iri>`` replaces that one named graph and touches no other. The
request goes through :mod:`exop.http` (a total deadline, and authentication fetched with a
body-less HEAD first: see there why).

A PUT is not atomic on every store: two loads at once into the Oxigraph server left 6,623
triples where the package has 5,717 (the IRI triples of both copies coincide, the blank-node
triples do not). Given the store's SPARQL Update endpoint, a load instead PUTs into a graph
of its own (``urn:uuid:...``) and then moves it onto the target with one ``MOVE``. Virtuoso
runs that MOVE in isolation; the Oxigraph server does not (two concurrent MOVEs still leave
both copies' blank-node triples), so each load then reads the graph back and, if it does not
hold exactly what was loaded, waits a random moment and moves again, a bounded number of
times. Concurrent loads thus end with exactly one copy, or an error that says so.
"""

from __future__ import annotations

import contextlib
import random
import time
import urllib.parse
import uuid
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


def _update(url: str, operation: str, timeout: float,
            credentials: http.Credentials | None) -> None:
    http.request(
        url,
        method="POST",
        data=urllib.parse.urlencode({"update": operation}).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        timeout=timeout,
        credentials=credentials,
        what="SPARQL Update endpoint",
    )


def load_package_into(
    store_url: str,
    graph_iri: str = str(DEFAULT_GRAPH_IRI),
    *,
    timeout: float = http.DEFAULT_TIMEOUT,
    credentials: http.Credentials | None = None,
    parameter: str = "graph",
    graph: Graph | None = None,
    update_url: str | None = None,
) -> LoadResult:
    """Put the package's ontology and data (or *graph*) into named graph *graph_iri*.

    With *update_url* (the store's SPARQL Update endpoint) the graph is staged in a graph
    of its own and moved onto *graph_iri* in one operation, so concurrent loads cannot
    interleave.
    """
    if graph is None:
        from exop.package import default_package

        graph = default_package().union
    if update_url is None:
        return put_graph(store_url, graph, graph_iri, timeout=timeout,
                         credentials=credentials, parameter=parameter)
    http.check_url(update_url, "SPARQL Update endpoint")
    check_iri(graph_iri)
    deadline = time.monotonic() + timeout
    for attempt in range(MOVE_ATTEMPTS):
        staged = _stage_and_move(store_url, update_url, graph, graph_iri,
                                 max(1.0, deadline - time.monotonic()), credentials, parameter)
        if _triples_in(store_url, graph_iri, parameter, deadline, credentials) == len(graph):
            return LoadResult(store_url=store_url, graph_iri=graph_iri,
                              triples=staged.triples, status=staged.status)
        time.sleep(random.uniform(0.05, 0.4) * (attempt + 1))  # noqa: S311 (not for secrets)
    raise EndpointError(
        f"<{graph_iri}> at {store_url} does not hold exactly the package after "
        f"{MOVE_ATTEMPTS} loads: another load is writing the same graph",
        what="concurrent load", value=graph_iri,
    )


MOVE_ATTEMPTS = 6


def _stage_and_move(store_url: str, update_url: str, graph: Graph, graph_iri: str,
                    timeout: float, credentials: http.Credentials | None,
                    parameter: str) -> LoadResult:
    staging = f"urn:uuid:{uuid.uuid4()}"
    staged = put_graph(store_url, graph, staging, timeout=timeout, credentials=credentials,
                       parameter=parameter)
    try:
        _update(update_url, f"MOVE GRAPH <{staging}> TO GRAPH <{graph_iri}>", timeout,
                credentials)
    except EndpointError:
        with contextlib.suppress(EndpointError):
            _update(update_url, f"DROP SILENT GRAPH <{staging}>", timeout, credentials)
        raise
    return staged


def _triples_in(store_url: str, graph_iri: str, parameter: str, deadline: float,
                credentials: http.Credentials | None) -> int:
    """How many triples the Graph Store returns for *graph_iri* (GET as N-Triples)."""
    response = http.request(
        graph_store_url(store_url, graph_iri, parameter),
        headers={"Accept": "application/n-triples"},
        timeout=max(1.0, deadline - time.monotonic()),
        credentials=credentials,
        what="Graph Store",
    )
    graph = Graph()
    fmt = "nt" if "n-triples" in response.content_type else "turtle"
    graph.parse(data=response.body, format=fmt)
    return len(graph)
