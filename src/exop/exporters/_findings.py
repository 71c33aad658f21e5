"""What the knowledge-graph exporters read from the package: findings, their ends, references.

KGX, nanopublications and annotations all need the same facts about a finding (who acts,
on what, in which direction, with which quote and citations); reading them here once keeps
the exporters consistent with each other and with ``queries/mechanism-edges.rq``, whose
choice of acting entity (cargo, else preparation, else agent) and changed entity (outcome,
else molecular target) this module follows, adding the target cell as a last resort so a
finding that only names the cell it acts on still gives an edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from exop.namespaces import CITO, EXOP, PREFIXES

BIBO_DOI = URIRef(PREFIXES["bibo"] + "doi")
FABIO_PMID = URIRef(PREFIXES["fabio"] + "hasPubMedId")
FABIO_PMCID = URIRef(PREFIXES["fabio"] + "hasPubMedCentralId")
DCTERMS = PREFIXES["dcterms"]

REVIEW = URIRef(PREFIXES["exopd"] + "review")

_ACTOR_PROPERTIES = (EXOP.cargo, EXOP.preparation, EXOP.agent)
_OBJECT_PROPERTIES = (EXOP.outcome, EXOP.molecularTarget, EXOP.targetCell)


@dataclass(frozen=True)
class Finding:
    """One exop:Finding as the exporters see it."""

    iri: URIRef
    label: str
    quote: str
    evidence_type: URIRef | None
    direction: URIRef | None
    stated_in: URIRef | None
    actors: tuple[URIRef, ...]
    objects: tuple[URIRef, ...]
    references: tuple[URIRef, ...]

    @property
    def inferred(self) -> bool:
        """True where the review's authors speculate or conclude (ECO author inference)."""
        return self.evidence_type == URIRef(PREFIXES["exopd"] + "evidence-author-inference")


def _first_present(graph: Graph, subject: URIRef, properties: tuple[URIRef, ...]) -> tuple[
    URIRef, ...
]:
    for prop in properties:
        values = sorted(o for o in graph.objects(subject, prop) if isinstance(o, URIRef))
        if values:
            return tuple(values)
    return ()


def _one(graph: Graph, subject: URIRef, prop: URIRef) -> URIRef | None:
    values = sorted(o for o in graph.objects(subject, prop) if isinstance(o, URIRef))
    return values[0] if values else None


def findings(graph: Graph) -> tuple[Finding, ...]:
    """Every finding of *graph*, sorted by IRI."""
    found = []
    for iri in sorted(s for s in graph.subjects(RDF.type, EXOP.Finding) if isinstance(s, URIRef)):
        found.append(
            Finding(
                iri=iri,
                label=str(graph.value(iri, RDFS.label) or ""),
                quote=str(graph.value(iri, EXOP.evidenceQuote) or ""),
                evidence_type=_one(graph, iri, EXOP.evidenceType),
                direction=_one(graph, iri, EXOP.direction),
                stated_in=_one(graph, iri, EXOP.statedIn),
                actors=_first_present(graph, iri, _ACTOR_PROPERTIES),
                objects=_first_present(graph, iri, _OBJECT_PROPERTIES),
                references=tuple(sorted(
                    o for o in graph.objects(iri, CITO.citesAsEvidence) if isinstance(o, URIRef)
                )),
            )
        )
    return tuple(found)


def pairs(finding: Finding) -> Iterator[tuple[URIRef, URIRef]]:
    """The (acting entity, changed entity) pairs of a finding, in a fixed order."""
    for actor in finding.actors:
        for obj in finding.objects:
            if actor != obj:
                yield actor, obj


def publication_curies(graph: Graph, work: URIRef) -> tuple[str, ...]:
    """PMID:, PMC: and doi: CURIEs of a cited work, as far as the data records them."""
    curies: list[str] = []
    for prop, prefix in ((FABIO_PMID, "PMID"), (FABIO_PMCID, "PMC"), (BIBO_DOI, "doi")):
        for value in sorted(str(v) for v in graph.objects(work, prop) if isinstance(v, Literal)):
            local = value.strip()
            if prefix == "PMC" and local.upper().startswith("PMC"):
                local = local[3:]
            if prefix == "doi":
                local = local.removeprefix("https://doi.org/").removeprefix("doi:")
            curies.append(f"{prefix}:{local}")
    return tuple(curies)


def finding_publications(graph: Graph, finding: Finding) -> tuple[str, ...]:
    """The review itself and every reference the finding cites, as identifier CURIEs."""
    seen: list[str] = []
    for work in (REVIEW, *finding.references):
        for curie in publication_curies(graph, work):
            if curie not in seen:
                seen.append(curie)
    return tuple(seen)


def label(graph: Graph, node: URIRef) -> str:
    """The node's rdfs:label (the smallest one, for determinism), or empty."""
    labels = sorted(str(v) for v in graph.objects(node, RDFS.label))
    return labels[0] if labels else ""
