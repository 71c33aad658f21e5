"""Writing an answer as it arrives: streamed, bounded, and kept in Rust where it can be.

On the embedded Oxigraph engine a SELECT or ASK answer in CSV, TSV, JSON or XML, and a
CONSTRUCT answer in N-Triples, Turtle or RDF/XML, go from Oxigraph's evaluator to the
output without becoming Python objects: rows are written as they are found, in flat memory.
With a row limit, at most that many rows (plus one, to know) are read, and nothing is
written when the answer is longer. Other engines answer as a whole; their rows are checked
against the limit and written by :mod:`exop.results`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph
from rdflib.term import Node

from exop import formats
from exop.engines import Engine, QueryResult, run_query
from exop.engines.base import Row
from exop.engines.oxigraph import OxigraphEngine
from exop.errors import ExopError, QueryError
from exop.sparqltext import QueryText
from exop.terms import from_oxigraph


class RowLimitError(ExopError):
    """The answer has more rows than the caller allowed."""


@dataclass(frozen=True)
class Written:
    """What was written: the answer's kind, and its rows or boolean where they were counted."""

    kind: str
    rows: int | None = None
    """Rows (or triples) written; None when they were streamed uncounted."""
    boolean: bool | None = None


def _too_many(limit: int) -> RowLimitError:
    return RowLimitError(f"the answer has more than {limit} rows", what="row limit",
                         value=limit)


def _write_result(result: QueryResult, fmt: formats.Format, out: IO[bytes]) -> Written:
    from exop.results import FORMATTERS

    if fmt.kind == "rdf":
        graph = result.graph
        data = graph.serialize(format=str(fmt.writer), encoding="utf-8") if graph else b""
        out.write(data)
        return Written("graph", rows=len(graph) if graph is not None else 0)
    out.write(FORMATTERS[fmt.name](result).encode("utf-8"))
    rows = len(result.graph or ()) if result.kind == "graph" else len(result.rows)
    return Written(result.kind, rows=rows, boolean=result.boolean)


def _bounded_rows(solutions: pyoxigraph.QuerySolutions, limit: int) -> tuple[Row, ...]:
    rows: list[Row] = []
    for solution in solutions:
        if len(rows) == limit:
            raise _too_many(limit)
        rows.append(tuple(from_oxigraph(term) for term in solution))
    return tuple(rows)


def _end_line(out: IO[bytes], fmt: formats.Format) -> None:
    """End a JSON or XML document with a newline, as text files (and terminals) expect."""
    if fmt.name in ("json", "xml-results"):
        out.write(b"\n")


def _oxigraph_stream(engine: OxigraphEngine, query: QueryText, bindings: Mapping[str, Node],
                     fmt: formats.Format, out: IO[bytes], max_rows: int | None) -> Written:
    answer: Any = engine.answer(query, bindings)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        answer.serialize(out, getattr(pyoxigraph.QueryResultsFormat, str(fmt.oxigraph)))
        _end_line(out, fmt)
        return Written("ask", boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QuerySolutions):
        if max_rows is None:
            answer.serialize(out, getattr(pyoxigraph.QueryResultsFormat, str(fmt.oxigraph)))
            _end_line(out, fmt)
            return Written("select")
        variables = tuple(v.value for v in answer.variables)
        rows = _bounded_rows(answer, max_rows)
        result = QueryResult("select", variables=variables, rows=rows, ordered=query.ordered)
        return _write_result(result, fmt, out)
    count = 0
    triples: list[Any] = []
    for triple in answer:
        count += 1
        if max_rows is not None and count > max_rows:
            raise _too_many(max_rows)
        triples.append(triple)
        if max_rows is None and len(triples) >= 10_000:
            pyoxigraph.serialize(triples, out, getattr(pyoxigraph.RdfFormat, str(fmt.oxigraph)))
            triples = []
    if triples or count == 0:
        pyoxigraph.serialize(triples, out, getattr(pyoxigraph.RdfFormat, str(fmt.oxigraph)))
    return Written("graph", rows=count)


_RUST_WRITES = frozenset({"csv", "tsv", "json", "xml-results", "nt"})


def _streams(engine: Engine, query: QueryText, fmt: formats.Format) -> bool:
    if not isinstance(engine, OxigraphEngine) or fmt.name not in _RUST_WRITES:
        return False
    if query.form in ("SELECT", "ASK"):
        return fmt.kind == "results"
    # One Turtle/RDF-XML document cannot be written in pieces; N-Triples can.
    return fmt.name == "nt"


def write_answer(
    engine: Engine,
    query: QueryText,
    bindings: Mapping[str, Node],
    fmt: formats.Format,
    out: IO[bytes],
    *,
    max_rows: int | None = None,
) -> Written:
    """Run *query* on *engine* and write its answer to *out* in *fmt*.

    *fmt* is a result format (for any answer: graphs as subject/predicate/object rows) or,
    for CONSTRUCT and DESCRIBE, an RDF format.
    With *max_rows*, an answer with more rows raises RowLimitError before anything is
    written (on the embedded engine, after reading at most *max_rows* + 1 rows).
    """
    if fmt.kind == "rdf" and query.form not in ("CONSTRUCT", "DESCRIBE"):
        raise QueryError(f"a {query.form} answer is rows, not a graph: it cannot be written "
                         f"as {fmt.label}", what="format", value=fmt.name)
    if _streams(engine, query, fmt):
        assert isinstance(engine, OxigraphEngine)
        return _oxigraph_stream(engine, query, bindings, fmt, out, max_rows)
    result = run_query(query, engine, bindings)
    size = len(result.graph or ()) if result.kind == "graph" else len(result.rows)
    if max_rows is not None and size > max_rows:
        raise _too_many(max_rows)
    return _write_result(result, fmt, out)
