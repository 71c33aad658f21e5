"""Run SPARQL on the embedded Oxigraph store, on rdflib, or on a remote SPARQL 1.1 endpoint.

Whatever the engine, the answer is one :class:`QueryResult`, with rdflib terms in one
normal form (plain literals for xsd:string), so results compare equal across engines.
"""

from __future__ import annotations

import functools
import socket
import urllib.error
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

from exop import graph as package_graph
from exop.binding import with_values
from exop.errors import EndpointError, QueryError
from exop.namespaces import bind_prefixes
from exop.sparqltext import is_ordered, query_form
from exop.terms import from_oxigraph, from_sparql_json, normalise

ResultKind = Literal["select", "ask", "graph"]
DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a remote endpoint before giving up."""

Row = tuple[Node | None, ...]


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query, the same shape from every engine."""

    kind: ResultKind
    """"select" (variables and rows), "ask" (boolean) or "graph" (CONSTRUCT/DESCRIBE)."""
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    """One tuple per solution, aligned with :attr:`variables`; None where unbound."""
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)
    ordered: bool = False
    """True when the query has ORDER BY, so the row order is part of the answer."""
    engine: str = "oxigraph"

    def as_dicts(self) -> list[dict[str, Node | None]]:
        """Rows as dictionaries keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


def is_endpoint(engine: str) -> bool:
    """True when *engine* names a remote endpoint (an http(s) URL)."""
    return engine.startswith(("http://", "https://"))


@functools.lru_cache(maxsize=1)
def _package_store() -> pyoxigraph.Store:
    return package_graph.load_store()


@functools.lru_cache(maxsize=1)
def _package_rdflib_graph() -> Graph:
    return package_graph.load_package().union()


def _graph_from_triples(triples: Any) -> Graph:
    out = bind_prefixes(Graph())
    for triple in triples:
        out.add(
            (
                from_oxigraph(triple.subject),
                from_oxigraph(triple.predicate),
                from_oxigraph(triple.object),
            )  # type: ignore[arg-type]
        )
    return out


def _rows_from_oxigraph(answer: pyoxigraph.QuerySolutions) -> tuple[Row, ...]:
    """The solutions as rows of rdflib terms (None where unbound).

    Large answers repeat the same labels and IRIs in many rows: converting each distinct
    term once, and unpacking a solution as a whole instead of looking up each variable,
    halves the cost of materialising them (measured: 58k rows x 10 columns, 2.3 s -> 1.1 s).
    """
    converted: dict[object, Node | None] = {}

    def convert(term: object) -> Node | None:
        try:
            return converted[term]
        except KeyError:
            value = converted[term] = from_oxigraph(term)
            return value

    return tuple(tuple(convert(term) for term in solution) for solution in answer)


def _run_oxigraph(text: str, store: pyoxigraph.Store | None) -> QueryResult:
    target = store if store is not None else _package_store()
    try:
        answer = target.query(text)
    except (SyntaxError, OSError, ValueError) as error:
        raise QueryError(f"query failed on oxigraph: {error}") from error
    ordered = is_ordered(text)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer), engine="oxigraph")
    if isinstance(answer, pyoxigraph.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows = _rows_from_oxigraph(answer)
        return QueryResult(
            kind="select", variables=variables, rows=rows, ordered=ordered, engine="oxigraph"
        )
    return QueryResult(kind="graph", graph=_graph_from_triples(answer), engine="oxigraph")


def _run_rdflib(text: str, graph: Graph | None) -> QueryResult:
    target = graph if graph is not None else _package_rdflib_graph()
    try:
        answer = target.query(text)
    except Exception as error:  # rdflib's parser raises pyparsing and other errors
        detail = str(error).replace("\n", " ")
        raise QueryError(f"query failed on rdflib: {detail}") from error
    if answer.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(answer.askAnswer), engine="rdflib")
    if answer.type == "SELECT":
        variables = tuple(str(v) for v in answer.vars or ())
        rows = tuple(
            tuple(normalise(term) for term in row)  # type: ignore[union-attr]
            for row in answer
        )
        return QueryResult(
            kind="select",
            variables=variables,
            rows=rows,
            ordered=is_ordered(text),
            engine="rdflib",
        )
    out = bind_prefixes(Graph())
    for triple in answer.graph or ():
        out.add(tuple(normalise(t) for t in triple))  # type: ignore[arg-type]
    return QueryResult(kind="graph", graph=out, engine="rdflib")


def _endpoint_failure(url: str, error: BaseException, timeout: float) -> EndpointError:
    reason: object = getattr(error, "reason", None) or error
    if isinstance(reason, socket.timeout | TimeoutError):
        return EndpointError(f"endpoint {url} did not answer within {timeout:g} s")
    detail = str(reason).replace("\n", " ").strip() or type(error).__name__
    return EndpointError(f"endpoint {url} failed: {detail[:300]}")


def _sparqlwrapper_request(url: str, text: str, timeout: float, graph_iri: str | None) -> Any:
    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(url)
    client.setTimeout(int(max(1, round(timeout))))
    client.setMethod(POST)
    # Content negotiation by the Accept header alone: with a format/output parameter as
    # well, Virtuoso answers CONSTRUCT with 406 Not Acceptable.
    client.setOnlyConneg(True)
    client.setQuery(text)
    if graph_iri:
        client.addDefaultGraph(graph_iri)
    form = query_form(text)
    client.setReturnFormat(N3 if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    if form in ("CONSTRUCT", "DESCRIBE"):
        client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
    try:
        response = client.query()
        return response.response.read(), response.response.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError, SPARQLWrapperException) as error:
        raise _endpoint_failure(url, error, timeout) from error


def _run_endpoint(url: str, text: str, timeout: float, graph_iri: str | None) -> QueryResult:
    import json

    body, content_type = _sparqlwrapper_request(url, text, timeout, graph_iri)
    form = query_form(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = "nt" if "n-triples" in content_type else "turtle"
        out = bind_prefixes(Graph())
        try:
            out.parse(data=body, format=fmt)
        except Exception as error:
            raise EndpointError(f"endpoint {url} sent unreadable RDF: {error}") from error
        return QueryResult(kind="graph", graph=out, engine=url)
    try:
        document = json.loads(body)
    except ValueError as error:
        raise EndpointError(f"endpoint {url} did not answer with SPARQL JSON results") from error
    if "boolean" in document:
        return QueryResult(kind="ask", boolean=bool(document["boolean"]), engine=url)
    variables = tuple(document.get("head", {}).get("vars", []))
    rows = tuple(
        tuple(from_sparql_json(b.get(v)) for v in variables)
        for b in document.get("results", {}).get("bindings", [])
    )
    return QueryResult(
        kind="select", variables=variables, rows=rows, ordered=is_ordered(text), engine=url
    )


def run_query(
    text: str,
    engine: str = "oxigraph",
    bindings: Mapping[str, Node] | None = None,
    *,
    store: pyoxigraph.Store | None = None,
    graph: Graph | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    default_graph: str | None = None,
) -> QueryResult:
    """Run SPARQL *text* and return a typed result.

    *engine* is "oxigraph" (embedded, the default), "rdflib", or an endpoint URL.
    *bindings* maps variable names (without ``?``) to RDF terms; they are bound with a
    VALUES block (see :mod:`exop.binding`), except a SERVICE endpoint variable, which is
    written at that position as a checked IRI term.
    *store* / *graph* replace the package's own data for the embedded engines;
    *default_graph* sets the remote default graph (``default-graph-uri``).
    """
    if query_form(text) is None:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE found")
    final = with_values(text, bindings or {})
    if engine == "oxigraph":
        return _run_oxigraph(final, store)
    if engine == "rdflib":
        return _run_rdflib(final, graph)
    if is_endpoint(engine):
        return _run_endpoint(engine, final, timeout, default_graph)
    raise QueryError(f"unknown engine {engine!r}: use oxigraph, rdflib or an http(s) URL")
