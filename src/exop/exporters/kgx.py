"""The findings as a Biolink 4 knowledge graph in KGX form (TSV, and JSON Lines).

Nodes are the entities the findings connect (EXOP individuals such as
``exopd:cell-osteoblast``) and the external classes that type them (``CL:0000062``), each
with Biolink categories derived from its external classes. Edges are

- one ``biolink:affects`` edge per finding and (acting entity, changed entity) pair, with
  ``object_direction_qualifier`` increased / decreased where the finding has a direction,
  ``negated`` for a finding of no effect, ``object_aspect_qualifier`` activity_or_abundance
  where the changed entity is a gene, miRNA or chemical (for a process or cell, Biolink
  has no aspect), ``knowledge_level`` (prediction for the authors' own inference,
  knowledge_assertion otherwise), ``agent_type`` manual_agent (every finding was curated by
  hand), ``publications`` (the review's DOI and the cited references' PMID/doi CURIEs that
  the data records), ``has_evidence_of_type`` (the finding's ECO class) and
  ``supporting_text`` (the review's sentence);
- one ``biolink:subclass_of`` edge per EXOP entity and external class typing it, with
  ``original_predicate`` rdf:type: Biolink has no instance-of predicate, and the review's
  entities ("osteoblasts") are kinds of the class for a graph user.

Findings that name no changed entity (e.g. "osteoporosis is a systemic bone disease") give
no edge: Biolink edges need two ends. Everything is sorted, so the files are byte-identical
across runs. Pure Python: KGX itself is used by the tests to validate the files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, Graph, URIRef

from exop.exporters import Artifact, Exporter
from exop.exporters import _biolink as bl
from exop.exporters import _findings as fd
from exop.namespaces import EXOP

if TYPE_CHECKING:
    from exop.package import Package

KNOWLEDGE_SOURCE = "infores:exop"
"""EXOP as the primary knowledge source (not yet in the Information Resource Registry)."""

NODE_COLUMNS = ("id", "category", "name", "iri", "provided_by")
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
    "primary_knowledge_source", "object_direction_qualifier", "object_aspect_qualifier",
    "negated", "original_predicate", "publications", "has_evidence_of_type",
    "supporting_text",
)
_LIST_COLUMNS = {"category", "provided_by", "publications", "has_evidence_of_type",
                 "supporting_text"}

_DIRECTIONS = {EXOP.increases: "increased", EXOP.decreases: "decreased"}
_ASPECT_CATEGORIES = {"biolink:Gene", "biolink:MicroRNA", "biolink:ChemicalEntity",
                      "biolink:GeneOrGeneProduct", "biolink:Drug"}

Record = dict[str, object]


@dataclass(frozen=True)
class KnowledgeGraph:
    """Nodes and edges as KGX records (lists for multivalued properties)."""

    nodes: tuple[Record, ...]
    edges: tuple[Record, ...]


def _node(graph: Graph, node: URIRef) -> Record:
    return {
        "id": bl.kgx_curie(str(node)),
        "category": _categories_of(graph, node),
        "name": fd.label(graph, node),
        "iri": str(node),
        "provided_by": [KNOWLEDGE_SOURCE],
    }


def _categories_of(graph: Graph, node: URIRef) -> list[str]:
    own = [t for t in graph.objects(node, RDF.type)
           if isinstance(t, URIRef) and str(t).startswith(str(EXOP))]
    return bl.categories(graph, [*bl.external_types(graph, node), *own])


def _finding_edges(graph: Graph, finding: fd.Finding,
                   category_of: dict[URIRef, list[str]]) -> Iterator[Record]:
    pairs = list(fd.pairs(finding))
    publications = list(fd.finding_publications(graph, finding))
    for index, (actor, obj) in enumerate(pairs, start=1):
        edge_id = bl.kgx_curie(str(finding.iri))
        if len(pairs) > 1:
            edge_id = f"{edge_id}-edge-{index}"
        record: Record = {
            "id": edge_id,
            "subject": bl.kgx_curie(str(actor)),
            "predicate": "biolink:affects",
            "object": bl.kgx_curie(str(obj)),
            "category": ["biolink:Association"],
            "knowledge_level": "prediction" if finding.inferred else "knowledge_assertion",
            "agent_type": "manual_agent",
            "primary_knowledge_source": KNOWLEDGE_SOURCE,
            "publications": publications,
            "supporting_text": [finding.quote],
        }
        if finding.direction in _DIRECTIONS:
            record["object_direction_qualifier"] = _DIRECTIONS[finding.direction]
            if set(category_of.get(obj, ())) & _ASPECT_CATEGORIES:
                record["object_aspect_qualifier"] = "activity_or_abundance"
        elif finding.direction == EXOP.noEffect:
            record["negated"] = True
        if finding.evidence_type is not None:
            classes = bl.external_types(graph, finding.evidence_type)
            if classes:
                record["has_evidence_of_type"] = [bl.kgx_curie(str(c)) for c in classes]
        yield record


def knowledge_graph(package: Package) -> KnowledgeGraph:
    """The package's findings as Biolink nodes and edges."""
    graph = package.union
    findings = fd.findings(package.data)
    entities: set[URIRef] = set()
    for finding in findings:
        for actor, obj in fd.pairs(finding):
            entities.update((actor, obj))
    entity_nodes = {e: _node(graph, e) for e in entities}
    category_of = {e: _categories_of(graph, e) for e in entities}
    classes: set[URIRef] = set()
    type_edges: list[Record] = []
    for entity in sorted(entities):
        for cls in bl.external_types(graph, entity):
            classes.add(cls)
            type_edges.append({
                "id": f"{bl.kgx_curie(str(entity))}-type-{bl.kgx_curie(str(cls))}",
                "subject": bl.kgx_curie(str(entity)),
                "predicate": "biolink:subclass_of",
                "object": bl.kgx_curie(str(cls)),
                "category": ["biolink:Association"],
                "knowledge_level": "knowledge_assertion",
                "agent_type": "manual_agent",
                "primary_knowledge_source": KNOWLEDGE_SOURCE,
                "original_predicate": "rdf:type",
            })
    class_nodes: list[Record] = []
    for cls in sorted(classes):
        class_nodes.append({
            "id": bl.kgx_curie(str(cls)),
            "category": [bl.class_category(graph, cls)],
            "name": fd.label(graph, cls),
            "iri": str(cls),
            "provided_by": [KNOWLEDGE_SOURCE],
        })
    edges = [e for f in findings for e in _finding_edges(graph, f, category_of)]
    nodes = sorted([*entity_nodes.values(), *class_nodes], key=lambda r: str(r["id"]))
    return KnowledgeGraph(
        nodes=tuple(nodes),
        edges=tuple(sorted([*edges, *type_edges], key=lambda r: str(r["id"]))),
    )


def _tsv_cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if column in _LIST_COLUMNS and isinstance(value, list):
        text = "|".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "True" if value else "False"
    else:
        text = str(value)
    # KGX reads TSV without quoting: a tab or newline inside a value would shift columns.
    return text.replace("\t", " ").replace("\n", " ")


def _tsv(columns: tuple[str, ...], records: tuple[Record, ...]) -> bytes:
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_tsv_cell(c, r.get(c)) for c in columns) for r in records)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _jsonl(records: tuple[Record, ...]) -> bytes:
    return "".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records
    ).encode("utf-8")


def prefix_map() -> dict[str, str]:
    """The prefixes Biolink lacks that the export uses, with their namespaces (KGX's
    ``prefix_map``; everything else is in Biolink's own)."""
    return {p: bl.KGX_PREFIXES[p] for p in sorted(bl.NOT_IN_BIOLINK)}


def _prefixes_json() -> bytes:
    return (json.dumps(prefix_map(), indent=1, sort_keys=True) + "\n").encode("utf-8")


def render_tsv(package: Package) -> Artifact:
    """nodes.tsv and edges.tsv, KGX's TSV layout, and the prefixes Biolink lacks."""
    kg = knowledge_graph(package)
    return {"nodes.tsv": _tsv(NODE_COLUMNS, kg.nodes), "edges.tsv": _tsv(EDGE_COLUMNS, kg.edges),
            "prefixes.json": _prefixes_json()}


def render_jsonl(package: Package) -> Artifact:
    """nodes.jsonl and edges.jsonl, KGX's JSON Lines layout."""
    kg = knowledge_graph(package)
    return {"nodes.jsonl": _jsonl(kg.nodes), "edges.jsonl": _jsonl(kg.edges),
            "prefixes.json": _prefixes_json()}


EXPORTERS = (
    Exporter(
        name="kgx",
        summary="the findings as a Biolink 4 graph: KGX nodes.tsv and edges.tsv",
        render=render_tsv,
    ),
    Exporter(
        name="kgx-jsonl",
        summary="the findings as a Biolink 4 graph: KGX nodes.jsonl and edges.jsonl",
        render=render_jsonl,
    ),
)
