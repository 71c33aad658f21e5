"""The typed SHACL report: results grouped by focus node, read from a report graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

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


def conforming_report(shapes: Graph) -> ValidationReport:
    """The report pySHACL writes for data that conform to *shapes*, built without it.

    pySHACL's report graph binds rdflib's core prefixes and then the shapes graph's, and
    holds one ``[] a sh:ValidationReport ; sh:conforms true``: so does this one.
    """
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in shapes.namespace_manager.namespaces():
        graph.namespace_manager.bind(prefix, namespace)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(True)))
    return report_from_graph(graph)
