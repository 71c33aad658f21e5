"""The embedded Oxigraph store: the default engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

from exop.engines.base import EngineOptions, EngineSpec, QueryResult, Row
from exop.errors import QueryError
from exop.namespaces import bind_prefixes
from exop.sparqltext import QueryText
from exop.terms import from_oxigraph

if TYPE_CHECKING:
    from exop.package import Package


def _rows(answer: pyoxigraph.QuerySolutions) -> tuple[Row, ...]:
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
