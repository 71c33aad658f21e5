"""What every engine returns and what it is asked: one result shape, one protocol."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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


class _CollectorPause:
    """Nested and concurrent pauses share one switch: the first in turns the collector
    off, the last out turns it back on if it was on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


gc_paused = _CollectorPause()
"""Pause the cyclic garbage collector while a large answer is read into objects.

Every few hundred new tuples would start a collection that walks all the rows read so
far: reading 68k solutions took 1.08 s with it and 0.89 s without (the raw engine only
counting them: 0.72 s)."""


class Rows(Sequence[Row]):
    """Solutions kept in the engine's own terms until first read, then rdflib terms.

    Counting them converts nothing: a command that writes csv, tsv or json has the engine
    serialise the answer, and turning a million solutions into rdflib terms costs about as
    much as evaluating the query (measured: 68k rows, 0.66 s query, +0.67 s converting).
    """

    __slots__ = ("_convert", "_raw", "_rows")

    def __init__(self, raw: list[tuple[Any, ...]],
                 convert: Callable[[list[tuple[Any, ...]]], tuple[Row, ...]]) -> None:
        self._raw: list[tuple[Any, ...]] | None = raw
        self._convert = convert
        self._rows: tuple[Row, ...] | None = None

    def materialised(self) -> tuple[Row, ...]:
        """The rows as rdflib terms (converted once, on the first call)."""
        if self._rows is None:
            assert self._raw is not None
            with gc_paused():
                self._rows, self._raw = self._convert(self._raw), None
        return self._rows

    def __len__(self) -> int:
        return len(self._raw) if self._raw is not None else len(self.materialised())

    def __getitem__(self, index: Any) -> Any:
        return self.materialised()[index]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.materialised())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other.materialised()
        return self.materialised() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.materialised())

    def __repr__(self) -> str:
        return repr(self.materialised())


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query, the same shape from every engine."""

    kind: ResultKind
    """"select" (variables and rows), "ask" (boolean) or "graph" (CONSTRUCT/DESCRIBE)."""
    variables: tuple[str, ...] = ()
    rows: Sequence[Row] = ()
    """One tuple per solution, aligned with :attr:`variables`; None where unbound (a
    :class:`Rows` from engines that convert their own terms only when the rows are read)."""
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
