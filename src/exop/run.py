"""Run a packaged query by id with named parameter values (catalog + binding + engines)."""

from __future__ import annotations

from collections.abc import Mapping

from exop.binding import bind
from exop.catalog import get_query
from exop.engines import DEFAULT_TIMEOUT, QueryResult, run_query


def run_packaged_query(
    query_id: str,
    parameters: Mapping[str, str] | None = None,
    engine: str = "oxigraph",
    *,
    timeout: float = DEFAULT_TIMEOUT,
    default_graph: str | None = None,
) -> QueryResult:
    """Run packaged query *query_id* with *parameters* (name -> value as text).

    Values are checked against each parameter's declared type and bound as RDF terms.
    *engine*: "oxigraph" (embedded default), "rdflib", or a SPARQL endpoint URL.
    """
    bound = bind(get_query(query_id), parameters or {})
    return run_query(
        bound.query.text,
        engine,
        bound.bindings,
        timeout=timeout,
        default_graph=default_graph,
    )
