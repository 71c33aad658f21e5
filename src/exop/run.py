"""Run a packaged query by id with named parameter values (catalog + binding + engines)."""

from __future__ import annotations

from collections.abc import Mapping

from exop.binding import bind
from exop.catalog import get_query
from exop.engines import Engine, QueryResult, run_query


def run_packaged_query(
    query_id: str,
    parameters: Mapping[str, object] | None = None,
    engine: Engine | str = "oxigraph",
) -> QueryResult:
    """Run packaged query *query_id* with *parameters* (name -> text or a native value).

    Values are checked against each parameter's declared type and bound as RDF terms.
    *engine*: an engine object (see :func:`exop.engines.make_engine`), or "oxigraph"
    (embedded default), "rdflib", or a SPARQL endpoint URL.
    """
    bound = bind(get_query(query_id), parameters or {})
    return run_query(bound.query.query_text, engine, bound.bindings)
