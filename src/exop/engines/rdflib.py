"""rdflib's own SPARQL engine, over the package's rdflib graph (or a given one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.term import Node

from exop.engines.base import EngineOptions, EngineSpec, QueryResult
from exop.errors import QueryError
from exop.namespaces import bind_prefixes
from exop.sparqltext import QueryText
from exop.terms import normalise

if TYPE_CHECKING:
    from exop.package import Package


class RdflibEngine:
    """Queries an rdflib graph (by default the package's ontology and data)."""

    name = "rdflib"

    def __init__(self, graph: Graph | None = None, package: Package | None = None) -> None:
        self._graph = graph
        self._package = package

    @property
    def graph(self) -> Graph:
        """The graph queries run on."""
        if self._graph is None:
            from exop.package import default_package

            self._graph = (self._package or default_package()).union
        return self._graph

    def run(self, query: QueryText, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run *query* on the graph."""
        try:
            answer = self.graph.query(query.bound(bindings or {}))
        except Exception as error:  # rdflib's parser raises pyparsing and other errors
            detail = str(error).replace("\n", " ")
            raise QueryError(f"query failed on rdflib: {detail}") from error
        if answer.type == "ASK":
            return QueryResult(kind="ask", boolean=bool(answer.askAnswer), engine=self.name)
        if answer.type == "SELECT":
            variables = tuple(str(v) for v in answer.vars or ())
            rows = tuple(
                tuple(normalise(term) for term in row)  # type: ignore[union-attr]
                for row in answer
            )
            return QueryResult(kind="select", variables=variables, rows=rows,
                               ordered=query.ordered, engine=self.name)
        out = bind_prefixes(Graph())
        for triple in answer.graph or ():
            out.add(tuple(normalise(t) for t in triple))  # type: ignore[arg-type]
        return QueryResult(kind="graph", graph=out, engine=self.name)


def _create(name: str, package: Package | None, options: EngineOptions) -> RdflibEngine:
    return RdflibEngine(package=package)


ENGINE = EngineSpec(
    name="rdflib",
    summary="rdflib's SPARQL engine over the package's graph",
    options=frozenset(),
    create=_create,
)
