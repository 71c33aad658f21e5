"""What every engine returns and what it is asked: one result shape, one protocol."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rdflib import Graph
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from exop.sparqltext import QueryText

if TYPE_CHECKING:
    from exop.package import Package

ResultKind = Literal["select", "ask", "graph"]
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

    def to_python(self) -> list[dict[str, Any]]:
        """Rows as dictionaries of native values: IRIs as str, typed literals as int, float,
        Decimal, bool, date..., other literals as str, unbound as None."""
        return [
            {v: _native(term) for v, term in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame of native values (pandas must be installed)."""
        try:
            import pandas  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            from exop.errors import ExopError

            raise ExopError("to_dataframe needs pandas: pip install pandas",
                            what="dependency", value="pandas") from None
        return pandas.DataFrame(self.to_python(), columns=list(self.variables))


def _native(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, RdfLiteral):
        value = term.toPython()
        return str(term) if isinstance(value, RdfLiteral) else value
    return str(term)


@dataclass(frozen=True)
class EngineOptions:
    """Options an engine may take; each engine says which apply to it.

    A field left None was not given. An engine given an option it does not take raises
    EngineOptionError (see :func:`exop.engines.make_engine`), so nothing is ignored silently.
    """

    timeout: float | None = None
    """Seconds the whole request may take (remote engines)."""
    default_graph: str | None = None
    """The IRI of the graph to query as the default graph (remote engines)."""
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def given(self) -> tuple[str, ...]:
        """The names of the options that were given."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)


class Engine(Protocol):
    """Runs a query text and returns a typed result."""

    @property
    def name(self) -> str:
        """The engine's name as results report it (a URL for remote engines)."""
        ...

    def run(self, query: QueryText, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run *query* with *bindings* (variable name -> RDF term) spliced in."""
        ...


@dataclass(frozen=True)
class EngineSpec:
    """A kind of engine in the registry."""

    name: str
    summary: str
    options: frozenset[str]
    """The :class:`EngineOptions` fields this engine takes."""
    create: Callable[[str, Package | None, EngineOptions], Engine]
    """Builds the engine from its name (or URL), a package (or None: the default one)."""
    remote: bool = False
    """Remote engines are chosen by an http(s) URL instead of by name."""
