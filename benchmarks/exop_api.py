"""The one place the benchmarks call the EXOP library (and find its command).

Everything else in ``benchmarks/`` speaks to raw engines, servers and processes; when the
library's API changes, only this module follows it.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph


@dataclass(frozen=True)
class BenchQuery:
    """A packaged query with its default parameters bound: the exact text every engine gets."""

    id: str
    text: str
    federated: bool
    triples: bool
    """A CONSTRUCT or DESCRIBE: the answer is a graph."""
    sha256: str


def packaged_queries() -> list[BenchQuery]:
    """Every packaged query, its default parameters bound as EXOP binds them."""
    from exop.binding import bind, with_values
    from exop.catalog import list_queries
    from exop.sparqltext import query_form

    out: list[BenchQuery] = []
    for query in list_queries():
        bound = bind(query, {})
        text = with_values(bound.query.text, dict(bound.bindings))
        out.append(
            BenchQuery(
                id=query.id,
                text=text,
                federated="SERVICE" in text.upper(),
                triples=query_form(text) in ("CONSTRUCT", "DESCRIBE"),
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )
        )
    return out


@functools.lru_cache(maxsize=1)
def iri_query_id() -> str:
    """The first packaged query (by id) whose answer on the package holds IRIs.

    The table format prints IRIs as CURIEs, which costs more than printing literals, so
    the cold-start figures time one such query beside table-1.
    """
    from rdflib import URIRef

    from exop.run import run_packaged_query

    for query in packaged_queries():
        if query.federated or query.triples:
            continue
        result = run_packaged_query(query.id)
        if any(isinstance(value, URIRef) for row in result.rows for value in row):
            return query.id
    raise RuntimeError("no packaged query returns IRIs")


def _size(result: object) -> int:
    graph = getattr(result, "graph", None)
    if graph is not None:
        return len(graph)
    if getattr(result, "kind", "") == "ask":
        return 1 if getattr(result, "boolean", False) else 0
    return len(getattr(result, "rows", ()))


def query_embedded(text: str, store: pyoxigraph.Store) -> int:
    """Run *text* through EXOP on an embedded store; the number of rows (or triples)."""
    from exop.engines import run_query
    from exop.engines.oxigraph import OxigraphEngine

    return _size(run_query(text, OxigraphEngine(store)))


def query_endpoint(text: str, url: str, timeout: float = 300.0) -> int:
    """Run *text* through EXOP's endpoint client; the number of rows (or triples)."""
    from exop.engines import EngineOptions, make_engine, run_query

    return _size(run_query(text, make_engine(url, EngineOptions(timeout=timeout))))


def shape_files() -> tuple[Path, ...]:
    """The packaged SHACL shape files, every one of which ``exop validate`` applies."""
    from exop import resources

    return resources.shape_files()


def merged_shapes(folder: Path) -> Path:
    """Every packaged shape file in one Turtle file, for engines that read a single one.

    The shapes of one file name shapes of another (sh:node), so a peer given only the
    first file reports violations EXOP's validation does not.
    """
    from rdflib import Graph

    merged = Graph()
    for path in shape_files():
        merged.parse(path, format="turtle")
    out = folder / "shapes.ttl"
    merged.serialize(out, format="turtle")
    return out


def package_version() -> str:
    from importlib.metadata import version

    return version("exop")


def exop_command() -> list[str]:
    """How to start the ``exop`` command of the running environment."""
    beside = Path(sys.executable).parent / "exop"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "exop.cli"]
