"""The embedded Oxigraph store: the default engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

from exop.engines.base import EngineOptions, EngineSpec, QueryResult, Rows, gc_paused
from exop.errors import QueryError
from exop.namespaces import bind_prefixes
from exop.sparqltext import QueryText
from exop.terms import from_oxigraph, rows_from_oxigraph

if TYPE_CHECKING:
    from exop.package import Package


def _rows(answer: pyoxigraph.QuerySolutions) -> Rows:
    """Every solution read now (the store may change later), converted when first read."""
    with gc_paused():
        return Rows([tuple(solution) for solution in answer], rows_from_oxigraph)


def _graph(triples: Any) -> Graph:
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


class OxigraphEngine:
    """Queries an in-memory Oxigraph store (by default the package's warm store)."""

    name = "oxigraph"

    def __init__(self, store: pyoxigraph.Store | None = None,
                 package: Package | None = None) -> None:
        self._store = store
        self._package = package

    @property
    def store(self) -> pyoxigraph.Store:
        """The store queries run on."""
        if self._store is None:
            from exop.package import default_package

            self._store = (self._package or default_package()).store
        return self._store

    def answer(self, query: QueryText, bindings: Mapping[str, Node] | None = None) -> Any:
        """Oxigraph's own answer (solutions, boolean or triples), still in Rust and lazy."""
        try:
            return self.store.query(query.bound(bindings or {}))
        except (SyntaxError, OSError, ValueError) as error:
            raise QueryError(f"query failed on oxigraph: {error}") from error

    def run(self, query: QueryText, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run *query* on the store."""
        answer = self.answer(query, bindings)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer), engine=self.name)
        if isinstance(answer, pyoxigraph.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            return QueryResult(kind="select", variables=variables, rows=_rows(answer),
                               ordered=query.ordered, engine=self.name)
        return QueryResult(kind="graph", graph=_graph(answer), engine=self.name)


def _create(name: str, package: Package | None, options: EngineOptions) -> OxigraphEngine:
    return OxigraphEngine(package=package)


ENGINE = EngineSpec(
    name="oxigraph",
    summary="the embedded Oxigraph store (default)",
    options=frozenset(),
    create=_create,
)
