"""SHACL validation: a fast engine decides conformance, pySHACL writes the detailed report.

The report is always the one pySHACL gives (its messages are what curators read): for
data that conform it is pySHACL's conforming report, built without running pySHACL; for
data that do not, pySHACL validates them and writes it. (pySHACL's own ``focus_nodes``
option cannot narrow that run to the focus nodes the engine found: it also filters the
value nodes of nested shapes, so ``sh:not`` and ``sh:or`` report results a full run does
not.) The fast engine is
chosen by size (``engine="auto"``: pyrudof for small and medium inputs, Apache Jena for
large ones; :mod:`exop.validation.engines`) or by name; ``"pyshacl"`` runs pySHACL alone,
as before there were fast engines. The engines agree with pySHACL on the package and on
every test fixture (tests/test_validation_engines.py).

When a fast engine cannot run on an input that rdflib reads (a syntax it does not know,
a crash) ``auto`` falls back to pySHACL, and a named engine raises ExopError. An input
that rdflib cannot read raises RdfInputError, as it always did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import resources
from exop.errors import ExopError
from exop.validation.detail import QueryCachingGraph, pyshacl_report
from exop.validation.engines import (
    AUTO,
    ENGINES,
    PYSHACL,
    EngineError,
    RdfSource,
    Verdict,
    choose_engine,
    engine_names,
    register_engine,
)
from exop.validation.report import (
    SEVERITIES,
    ValidationReport,
    ValidationResult,
    conforming_report,
    report_from_graph,
)

__all__ = [
    "AUTO",
    "ENGINES",
    "PYSHACL",
    "SEVERITIES",
    "EngineError",
    "QueryCachingGraph",
    "RdfSource",
    "ValidationPlan",
    "ValidationReport",
    "ValidationResult",
    "Verdict",
    "choose_engine",
    "engine_names",
    "plan",
    "register_engine",
    "report_from_graph",
    "validate",
    "validate_files",
    "validate_sources",
]


def _source(graph: Graph | None, files: tuple[Path, ...]) -> RdfSource:
    return RdfSource.of_graph(graph) if graph is not None else RdfSource.of_files(files)


def validate(
    data: Graph | None = None,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = AUTO,
    cache_queries: bool = True,
) -> ValidationReport:
    """Validate *data* (default: the packaged data) against *shapes* (default: packaged).

    *ontology* (default: the packaged ontology and imports) is mixed into (a copy of) the
    data so that ``sh:class`` sees the class hierarchy without RDFS inference over the
    data. ``conforms`` follows SHACL: any result, of any severity, means no. *engine*
    decides conformance (see the module's docstring); *cache_queries* (default True) lets
    pySHACL translate each SHACL-SPARQL query once per run instead of once per focus node
    (:class:`~exop.validation.detail.QueryCachingGraph`); False runs pySHACL unchanged.
    """
    return validate_sources(
        _source(data, resources.data_files()),
        shapes=_source(shapes, resources.shape_files()),
        ontology=_source(ontology, resources.ontology_files()),
        engine=engine,
        cache_queries=cache_queries,
    )


def validate_files(
    paths: Iterable[Path | str], rdf_format: str | None = None, *, engine: str = AUTO
) -> ValidationReport:
    """Validate the given RDF files (together, as one data graph) against the packaged shapes."""
    from exop.graph import _check_readable, rdf_format_for

    source = RdfSource.of_files(paths, rdf_format)
    for path in source.files:  # missing files, unknown suffixes: RdfInputError before any work
        _check_readable(path)
        if rdf_format is None:
            rdf_format_for(path)
    return validate_sources(
        source,
        shapes=RdfSource.of_files(resources.shape_files()),
        ontology=RdfSource.of_files(resources.ontology_files()),
        engine=engine,
    )


@dataclass(frozen=True)
class ValidationPlan:
    """What a validation is about to do: which engine, on how much, for about how long."""

    engine: str
    triples: int
    """Estimated from the files' sizes (counted for a parsed graph)."""
    bytes: int
    seconds: float
    """A rough estimate from throughputs measured on a 2-core machine (docs/benchmarks.md):
    a planning figure, not a promise."""


# Measured throughputs (triples per second) and start-up costs, conforming data: pySHACL
# 0.6k/s; pyrudof 5k/s at 17.5k triples (it grows faster than the data); Jena 12k/s at 1M
# plus about 2 s for the JVM. A non-conforming large input adds a full pySHACL run.
_RATES = {"pyshacl": (600.0, 1.0), "pyrudof": (5_000.0, 0.3), "jena": (12_000.0, 2.0)}


def plan(paths: Iterable[Path | str] = (), *, engine: str = AUTO) -> ValidationPlan:
    """The engine and a time estimate for validating *paths* (default: the packaged data)."""
    files = tuple(Path(p) for p in paths) or resources.data_files()
    source = RdfSource.of_files(files)
    ontology = RdfSource.of_files(resources.ontology_files())
    triples = source.estimated_triples() + ontology.estimated_triples()
    name = choose_engine(engine, triples)
    rate, start = _RATES.get(name, _RATES["pyshacl"])
    size = sum(p.stat().st_size for p in files if p.is_file())
    return ValidationPlan(engine=name, triples=triples, bytes=size,
                          seconds=start + triples / rate)


def validate_sources(
    data: RdfSource,
    *,
    shapes: RdfSource,
    ontology: RdfSource,
    engine: str = AUTO,
    cache_queries: bool = True,
) -> ValidationReport:
    """Validate *data* + *ontology* against *shapes* (each a graph or files)."""
    name = choose_engine(engine, data.estimated_triples() + ontology.estimated_triples())

    def detailed() -> ValidationReport:
        return pyshacl_report(
            data.parsed(), shapes.parsed(), ontology.parsed(), cache_queries=cache_queries
        )

    if name == PYSHACL:
        return detailed()
    from exop.validation.engines import engine as registered

    try:
        verdict = registered(name).check(data, ontology, shapes)
    except EngineError as error:
        data.parsed()  # input rdflib cannot read: its RdfInputError, as without engines
        if engine != AUTO:
            raise ExopError(str(error)) from error
        return detailed()
    if verdict.conforms:
        return conforming_report(shapes.prefix_graph())
    return detailed()
