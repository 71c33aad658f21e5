"""SHACL validation with pySHACL, returning a typed report grouped by focus node.

pySHACL gets plain rdflib graphs (on oxrdflib-backed graphs it was measured 250 times
slower and reported false ``sh:in`` violations), with the ontology and its import module
as the ontology graph so that ``sh:class`` sees the class hierarchy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
            (_result(report, n) for n in report.subjects(RDF.type, SH.ValidationResult)),
            key=_sort_key,
        )
    )
    return ValidationReport(conforms=conforms and not results, results=results, report_graph=report)


def validate(
    data: Graph | None = None,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate *data* (default: the packaged data) against *shapes* (default: packaged).

    *ontology* (default: the packaged ontology and imports) is given to pySHACL as the
    ontology graph. ``conforms`` follows SHACL: any result, of any severity, means no.
    """
    from pyshacl import validate as pyshacl_validate

    data_graph = data if data is not None else package_graph.load_data()
    shapes_graph = shapes if shapes is not None else package_graph.load_shapes()
    ontology_graph = ontology if ontology is not None else package_graph.load_ontology()
    try:
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
