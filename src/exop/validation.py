"""SHACL validation with pySHACL, returning a typed report grouped by focus node.

pySHACL gets plain rdflib graphs (on oxrdflib-backed graphs it was measured 250 times
slower and reported false ``sh:in`` violations), with the ontology and its import module
as the ontology graph so that ``sh:class`` sees the class hierarchy.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from exop import graph as package_graph
from exop.errors import ExopError
from exop.namespaces import compress

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which shape, what is wrong and what to do."""

    focus_node: Node
    severity: str
    """"Violation", "Warning" or "Info"."""
    message: str
    path: str | None
    """The property path in CURIE/SPARQL form, or None for node-level results."""
    value: Node | None
    source_shape: Node
    constraint: str
    """The constraint component, as a CURIE (e.g. sh:MinCountConstraintComponent)."""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating data against shapes."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph = field(compare=False, repr=False)

    def by_focus_node(self) -> dict[Node, tuple[ValidationResult, ...]]:
        """Results grouped by focus node (nodes and results in a stable order)."""
        groups: dict[Node, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return {node: tuple(items) for node, items in groups.items()}

    def count(self, severity: str) -> int:
        """How many results have *severity* ("Violation", "Warning" or "Info")."""
        return sum(1 for r in self.results if r.severity == severity)


def _path_text(report: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if not isinstance(path, BNode):
        return compress(str(path))
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_text(report, inverse)}"
    for key, symbol in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, key)
        if inner is not None:
            return f"({_path_text(report, inner)}){symbol}"
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(str(_path_text(report, p)) for p in Collection(report, alternatives))
    if report.value(path, RDF.first) is not None:
        return "/".join(str(_path_text(report, p)) for p in Collection(report, path))
    return str(path)


def _result(report: Graph, node: Node) -> ValidationResult:
    severity = report.value(node, SH.resultSeverity)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    component = report.value(node, SH.sourceConstraintComponent)
    return ValidationResult(
        focus_node=report.value(node, SH.focusNode) or BNode(),
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        message="; ".join(messages) or "(no message)",
        path=_path_text(report, report.value(node, SH.resultPath)),
        value=report.value(node, SH.value),
        source_shape=report.value(node, SH.sourceShape) or BNode(),
        constraint=compress(str(component)) if component else "",
    )


def _sort_key(result: ValidationResult) -> tuple[str, int, str, str, str]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else 3
    value = result.value.n3() if isinstance(result.value, Node) else ""
    return (str(result.focus_node), rank, result.path or "", result.message, value)


def report_from_graph(report: Graph) -> ValidationReport:
    """A typed report from a SHACL validation report graph."""
    conforms = report.value(predicate=SH.conforms, object=Literal(True)) is not None
    results = tuple(
        sorted(
            # Only the report's own results: nested sh:detail results explain a parent
            # result (an sh:node failure) and would otherwise be counted twice.
            (_result(report, n) for n in report.objects(None, SH.result)),
            key=_sort_key,
        )
    )
    return ValidationReport(conforms=conforms and not results, results=results, report_graph=report)


# -- SPARQL query cache ---------------------------------------------------------------------
#
# pySHACL runs each SHACL-SPARQL constraint (sh:select / sh:ask) once per focus node, always
# with the same query text and the focus node in initBindings. rdflib's SPARQLProcessor
# parses and translates that text on every call: profiled on the package, that was 57 of
# 60 s of validation, 46 s of it in the SPARQL parser. pySHACL has no option to hand it
# prepared queries (it builds the text itself, then calls Graph.query with a string), so
# for the duration of one validation SPARQLProcessor.query is wrapped to translate each
# distinct (text, base, namespaces) once and evaluate the translated query thereafter,
# which is what rdflib's own prepareQuery is for. The cache holds translated queries, not
# parse trees: translation rewrites the parse tree in place, so a parse tree reused for a
# second translation gives wrong answers.
#
# The wrapper is installed on first entry and the original restored on last exit (under a
# lock, so nested or overlapping validations in several threads share one installation and
# one cache). While it is installed, queries that other threads run through rdflib also use
# the cache, which changes no answer: a translated query depends only on the cache key, and
# evaluation reads it without changing it (rdflib's prepareQuery relies on the same).

_QUERY_CACHE_LIMIT = 512
_patch_lock = threading.Lock()
_patch_depth = 0
_cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}


def _namespace_key(init_ns: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in (init_ns or {}).items()))


def _caching_query(original: Any) -> Any:
    """SPARQLProcessor.query, translating each distinct query through :data:`_cache`."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    def query(
        self: Any,
        strOrQuery: Any,  # the parameter names and order are rdflib's
        initBindings: Mapping[str, Any] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, _namespace_key(initNs))
            translated = _cache.get(key)
            if translated is None:
                translated = translateQuery(parseQuery(strOrQuery), base, initNs)
                if len(_cache) < _QUERY_CACHE_LIMIT:
                    _cache[key] = translated  # a dict store is atomic under the GIL
            strOrQuery = translated
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    query.__wrapped__ = original  # type: ignore[attr-defined]
    return query


@contextlib.contextmanager
def cached_sparql_translation() -> Iterator[dict[Any, Any]]:
    """Within this block rdflib parses and translates each distinct SPARQL text only once.

    Yields the cache (from (text, base, namespaces) to translated query); blocks may nest
    or overlap across threads and share it; it is emptied when the last one exits.
    """
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    global _patch_depth
    with _patch_lock:
        if _patch_depth == 0:
            SPARQLProcessor.query = _caching_query(SPARQLProcessor.query)  # type: ignore[method-assign]
        _patch_depth += 1
    try:
        yield _cache
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                SPARQLProcessor.query = SPARQLProcessor.query.__wrapped__  # type: ignore[attr-defined,method-assign]
                _cache.clear()


def validate(
    data: Graph | None = None,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    cache_queries: bool = True,
) -> ValidationReport:
    """Validate *data* (default: the packaged data) against *shapes* (default: packaged).

    *ontology* (default: the packaged ontology and imports) is given to pySHACL as the
    ontology graph, mixed into (a copy of) the data graph so that ``sh:class`` sees the
    class hierarchy without running RDFS inference over the data (``inference="none"``).
    ``conforms`` follows SHACL: any result, of any severity, means no. *cache_queries*
    (default True) translates each SHACL-SPARQL query once instead of once per focus node
    (see :func:`cached_sparql_translation`); False runs pySHACL unchanged.
    """
    from pyshacl import validate as pyshacl_validate

    data_graph = data if data is not None else package_graph.load_data()
    shapes_graph = shapes if shapes is not None else package_graph.load_shapes()
    ontology_graph = ontology if ontology is not None else package_graph.load_ontology()
    caching = cached_sparql_translation() if cache_queries else contextlib.nullcontext()
    try:
        with caching:
            _, report, text = pyshacl_validate(
                data_graph,
                shacl_graph=shapes_graph,
                ont_graph=ontology_graph,
                inference="none",
                advanced=True,
                abort_on_first=False,
                allow_warnings=False,
                allow_infos=False,
            )
    except Exception as error:  # pySHACL reports broken shapes with several exception types
        detail = str(error).replace("\n", " ").strip()
        raise ExopError(f"SHACL validation could not run: {detail[:300]}") from error
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure for broken shapes
        detail = " ".join(str(getattr(report, "message", text)).split())
        raise ExopError(f"SHACL validation could not run: {detail[:300]}")
    return report_from_graph(report)


def validate_files(paths: Iterable[Path | str], rdf_format: str | None = None) -> ValidationReport:
    """Validate the given RDF files (together, as one data graph) against the packaged shapes."""
    return validate(package_graph.parse_files(paths, rdf_format))
