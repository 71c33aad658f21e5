"""OBO Foundry annotation conventions beside the W3C ones, derived mechanically.

OBO tools (OAK, pronto, ROBOT's OBO writer) read a definition from IAO:0000115 and a
synonym from oboInOwl:hasExactSynonym, and OWL API only treats an IRI as a named
individual when it is declared one. EXOP states its terms with skos:definition and
skos:altLabel; these functions add the OBO counterparts from them, so the W3C form stays the
one that is edited and the OBO form can never drift from it.

IRIs as the Cell Ontology uses them (cl-edit.owl, obophenotype/cell-ontology commit
fd61b954f3eba08f5780f2c86eba72913d35b5d4, lines 3628 and 3663; labelled 'definition' and
'has exact synonym' in CL's blood_and_immune_upper_slim.owl of the 2026-06-08 release).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from exop.namespaces import EXOP, EXOPD, ONTOLOGY_IRI

IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
OBO_IN_OWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
HAS_EXACT_SYNONYM = OBO_IN_OWL.hasExactSynonym

FIX_COMMAND = "python tools/obo_annotations.py"
"""The command that (re)derives the OBO annotations in ontology/exop.ttl and data/*.ttl."""

TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
_NOT_TERMS = (str(EXOPD), "https://w3id.org/exop/shapes/", "https://w3id.org/exop/ontology")


def is_minted(node: object) -> bool:
    """True for an EXOP term IRI (exop:Finding), false for individuals, shapes and modules."""
    text = str(node)
    return isinstance(node, URIRef) and text.startswith(str(EXOP)) and not text.startswith(
        _NOT_TERMS
    )


def minted_terms(ontology: Graph) -> list[URIRef]:
    """The terms that *ontology* declares under the EXOP base, sorted."""
    return sorted(
        {
            s
            for kind in TERM_TYPES
            for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and is_minted(s)
        }
    )


def individuals(data: Graph) -> list[URIRef]:
    """The individuals that *data* types (exopd: subjects of rdf:type), sorted."""
    return sorted(
        s for s in set(data.subjects(RDF.type, None)) if isinstance(s, URIRef)
        and str(s).startswith(str(EXOPD))
    )


def _set_values(graph: Graph, subject: URIRef, predicate: URIRef, values: set[Literal]) -> None:
    graph.remove((subject, predicate, None))
    for value in values:
        graph.add((subject, predicate, value))


def _literals(graph: Graph, subject: URIRef, predicate: URIRef) -> set[Literal]:
    return {o for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def _synonyms(graph: Graph, subject: URIRef) -> None:
    alt_labels = _literals(graph, subject, SKOS.altLabel)
    if alt_labels or (subject, HAS_EXACT_SYNONYM, None) in graph:
        _set_values(graph, subject, HAS_EXACT_SYNONYM, alt_labels)


def annotate_ontology(ontology: Graph) -> Graph:
    """Add, in place, IAO:0000115 (= skos:definition), rdfs:isDefinedBy the ontology and
    oboInOwl:hasExactSynonym (= skos:altLabel) to every minted term, and declare the
    annotation properties used. Returns *ontology*."""
    # rdfs:isDefinedBy is built in, but declared like rdfs:comment so that the package's
    # undeclared-term check needs no exception for it.
    for prop in (IAO_DEFINITION, HAS_EXACT_SYNONYM, RDFS.isDefinedBy):
        ontology.add((prop, RDF.type, OWL.AnnotationProperty))
    for term in minted_terms(ontology):
        _set_values(ontology, term, IAO_DEFINITION, _literals(ontology, term, SKOS.definition))
        ontology.set((term, RDFS.isDefinedBy, ONTOLOGY_IRI))
        _synonyms(ontology, term)
    return ontology


def annotate_data(data: Graph) -> Graph:
    """Declare, in place, every typed individual of *data* an owl:NamedIndividual and give
    it oboInOwl:hasExactSynonym for each skos:altLabel. Returns *data*."""
    for individual in individuals(data):
        data.add((individual, RDF.type, OWL.NamedIndividual))
        _synonyms(data, individual)
    return data


@dataclass(frozen=True)
class OboGap:
    """One place where the OBO annotations are missing or disagree with the W3C ones."""

    subject: str
    problem: str


def ontology_gaps(ontology: Graph) -> tuple[OboGap, ...]:
    """Minted terms whose IAO:0000115, rdfs:isDefinedBy or synonyms are not as derived."""
    gaps: list[OboGap] = []
    for term in minted_terms(ontology):
        definitions = _literals(ontology, term, SKOS.definition)
        if _literals(ontology, term, IAO_DEFINITION) != definitions:
            gaps.append(OboGap(str(term), "IAO:0000115 differs from skos:definition"))
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            gaps.append(OboGap(str(term), f"rdfs:isDefinedBy is not <{ONTOLOGY_IRI}>"))
        if _literals(ontology, term, HAS_EXACT_SYNONYM) != _literals(ontology, term, SKOS.altLabel):
            gaps.append(OboGap(str(term), "oboInOwl:hasExactSynonym differs from skos:altLabel"))
    return tuple(gaps)


def data_gaps(data: Graph) -> tuple[OboGap, ...]:
    """Individuals not declared owl:NamedIndividual or whose synonyms are not as derived."""
    gaps: list[OboGap] = []
    for individual in individuals(data):
        if (individual, RDF.type, OWL.NamedIndividual) not in data:
            gaps.append(OboGap(str(individual), "not declared owl:NamedIndividual"))
        if _literals(data, individual, HAS_EXACT_SYNONYM) != _literals(
            data, individual, SKOS.altLabel
        ):
            gaps.append(
                OboGap(str(individual), "oboInOwl:hasExactSynonym differs from skos:altLabel")
            )
    return tuple(gaps)
