"""Typed results as JSON-able documents, the same for every face (command line, server).

Each function takes a library result and returns plain dicts and lists; faces serialise
them (``json.dumps``) and choose their own framing (exit codes, HTTP status). Where a
document needs arithmetic over a result (coverage's summary), it is done here once, not in
each face.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from exop.namespaces import EXOPD, compress

if TYPE_CHECKING:
    from exop.catalog import PackagedQuery
    from exop.coverage import CoverageReport, NonFactualSentence
    from exop.engines import QueryResult
    from exop.info import PackageInfo
    from exop.validation import ValidationReport

Document = dict[str, Any]


def query_result(result: QueryResult) -> Document:
    """SPARQL 1.1 Query Results JSON (graph results as subject/predicate/object bindings)."""
    from exop.results import tabular
    from exop.terms import to_sparql_json

    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    variables, rows = tabular(result)
    bindings = [
        {v: to_sparql_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def validation(report: ValidationReport) -> Document:
    """A validation report grouped by focus node, with counts per severity."""
    from exop.results import cell

    groups = [
        {
            "focus_node": str(node),
            "results": [
                {
                    "severity": r.severity,
                    "path": r.path,
                    "value": None if r.value is None else str(r.value),
                    "message": r.message,
                    "source_shape": cell(r.source_shape),
                    "constraint": r.constraint,
                }
                for r in results
            ],
        }
        for node, results in report.by_focus_node().items()
    ]
    return {
        "conforms": report.conforms,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "focus_nodes": groups,
    }


def parameter(p: Any) -> Document:
    """One query parameter."""
    return {
        "name": p.name,
        "kind": p.kind,
        "datatype": p.datatype,
        "lang": p.lang,
        "required": p.required,
        "default": p.default,
        "example": p.example,
        "enum": list(p.enum),
    }


def query(q: PackagedQuery, *, text: bool = False) -> Document:
    """One packaged query: id, summary, tags, form and parameters (and its text)."""
    document: Document = {
        "id": q.id,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "form": q.form,
        "parameters": [parameter(p) for p in q.parameters],
    }
    if text:
        document["text"] = q.text
    return document


def catalogue(queries: Iterable[PackagedQuery]) -> list[Document]:
    """The query catalogue."""
    return [query(q) for q in queries]


def info(summary: PackageInfo) -> Document:
    """The package summary."""
    return {
        "version": summary.version,
        "ontology_iri": summary.ontology_iri,
        "version_iri": summary.version_iri,
        "version_info": summary.version_info,
        "components": [
            {"name": c.name, "files": c.files, "triples": c.triples} for c in summary.components
        ],
        "findings": summary.findings,
        "references": summary.references,
        "queries": summary.queries,
    }


def _short(finding: URIRef) -> str:
    return f"exopd:{str(finding).removeprefix(str(EXOPD))}" if finding.startswith(EXOPD) \
        else compress(str(finding))


@dataclass(frozen=True)
class CoverageSummary:
    """Coverage counted once for every face: how many units, covered, listed, unexplained."""

    units: int
    covered: int
    uncovered: int
    non_factual: int
    unexplained: int
    unmatched_findings: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every uncovered unit is listed as non-factual and every quote matched."""
        return not self.unexplained and not self.unmatched_findings

    def text(self) -> str:
        """One line for people."""
        line = f"{self.units} units, {self.covered} covered, {self.uncovered} uncovered"
        if self.uncovered:
            line += f" ({self.non_factual} listed as non-factual, {self.unexplained} not)"
        if self.unmatched_findings:
            line += (f"; {len(self.unmatched_findings)} findings whose quote matches no "
                     f"sentence: {', '.join(self.unmatched_findings)}")
        return line


def coverage_summary(report: CoverageReport,
                     known: Sequence[NonFactualSentence]) -> CoverageSummary:
    """Count *report* against the *known* non-factual sentences."""
    unexplained = len(report.unexplained(known))
    return CoverageSummary(
        units=len(report.units),
        covered=report.covered_count,
        uncovered=len(report.uncovered),
        non_factual=len(report.uncovered) - unexplained,
        unexplained=unexplained,
        unmatched_findings=tuple(_short(f) for f in report.unmatched_findings),
    )


def coverage_rows(report: CoverageReport, known: Sequence[NonFactualSentence],
                  only_uncovered: bool = False) -> list[Document]:
    """One row per unit: number, section, kind, status, findings, reason, text."""
    reasons = {(k.section, k.text): k.reason for k in known}
    rows = []
    for number, item in enumerate(report.units, 1):
        unit = item.unit
        if only_uncovered and item.covered:
            continue
        reason = reasons.get((unit.section, unit.text))
        status = "covered" if item.covered else ("non-factual" if reason else "uncovered")
        rows.append({
            "number": number,
            "section": unit.section,
            "kind": unit.kind,
            "status": status,
            "findings": [_short(f) for f in item.findings],
            "reason": None if item.covered else reason,
            "text": unit.text,
        })
    return rows


def coverage(report: CoverageReport, known: Sequence[NonFactualSentence],
             only_uncovered: bool = False) -> Document:
    """The coverage report: its rows and its summary."""
    summary = coverage_summary(report, known)
    return {
        "units": coverage_rows(report, known, only_uncovered),
        "summary": {
            "units": summary.units,
            "covered": summary.covered,
            "uncovered": summary.uncovered,
            "non_factual": summary.non_factual,
            "unexplained": summary.unexplained,
            "unmatched_findings": [str(f) for f in report.unmatched_findings],
        },
    }
