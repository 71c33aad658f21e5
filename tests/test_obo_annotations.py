"""OBO annotations (IAO:0000115, rdfs:isDefinedBy, oboInOwl synonyms, owl:NamedIndividual)
are derived from the W3C ones in every committed file, and the derivation catches gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from exop import graph as package_graph
from exop import obo, resources
from exop.namespaces import EXOP, EXOPD, ONTOLOGY_IRI

FILES = (resources.ONTOLOGY_FILE, *resources.data_files())
HINT = f"run `{obo.FIX_COMMAND}` (then `exop fmt --check`)"


def _gaps(path: Path) -> tuple[obo.OboGap, ...]:
    graph = package_graph.parse_file(path)
    if path == resources.ONTOLOGY_FILE:
        return obo.ontology_gaps(graph) + obo.data_gaps(graph)
    return obo.data_gaps(graph)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_carries_the_derived_obo_annotations(path: Path) -> None:
    gaps = _gaps(path)
    listed = "\n".join(f"  {g.subject}: {g.problem}" for g in gaps[:20])
    assert gaps == (), f"{path.name}: {len(gaps)} OBO annotation gaps; {HINT}\n{listed}"


def test_every_minted_term_has_an_iao_definition_equal_to_its_skos_definition() -> None:
    ontology = package_graph.parse_file(resources.ONTOLOGY_FILE)
    terms = obo.minted_terms(ontology)
    assert len(terms) > 50
    for term in terms:
        definitions = set(ontology.objects(term, obo.IAO_DEFINITION))
        assert definitions, f"{term} has no IAO:0000115; {HINT}"
        assert definitions == set(ontology.objects(term, SKOS.definition)), f"{term}; {HINT}"


def test_value_set_and_data_individuals_are_named_individuals() -> None:
    package = package_graph.load_package().union()
    value_sets = [EXOP.increases, EXOP.decreases, EXOP.noEffect, EXOP.anabolic]
    data_individuals = obo.individuals(package_graph.load_data())
    assert len(data_individuals) > 100
    for individual in (*value_sets, *data_individuals):
        assert (individual, RDF.type, OWL.NamedIndividual) in package, f"{individual}; {HINT}"


def test_ontology_header_has_the_obo_foundry_metadata() -> None:
    ontology = package_graph.parse_file(resources.ONTOLOGY_FILE)
    for predicate in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        OWL.versionInfo,
        OWL.versionIRI,
    ):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate


def test_the_obo_annotation_properties_are_declared() -> None:
    ontology = package_graph.parse_file(resources.ONTOLOGY_FILE)
    for prop in (obo.IAO_DEFINITION, obo.HAS_EXACT_SYNONYM):
        assert (prop, RDF.type, OWL.AnnotationProperty) in ontology


# --- the derivation itself ------------------------------------------------------------------


def _tiny() -> Graph:
    graph = Graph()
    term = EXOP.Tiny
    graph.add((term, RDF.type, OWL.Class))
    graph.add((term, SKOS.definition, Literal("A tiny class for a test.", lang="en")))
    graph.add((term, SKOS.altLabel, Literal("wee", lang="en")))
    graph.add((EXOPD["tiny-1"], RDF.type, term))
    graph.add((EXOPD["tiny-1"], SKOS.altLabel, Literal("tiny one")))
    return graph


def test_gaps_are_found_and_annotation_closes_them() -> None:
    graph = _tiny()
    problems = {(g.subject, g.problem) for g in obo.ontology_gaps(graph) + obo.data_gaps(graph)}
    assert (str(EXOP.Tiny), "IAO:0000115 differs from skos:definition") in problems
    assert (str(EXOPD["tiny-1"]), "not declared owl:NamedIndividual") in problems
    assert len(problems) == 5
    obo.annotate_data(obo.annotate_ontology(graph))
    assert obo.ontology_gaps(graph) == () and obo.data_gaps(graph) == ()
    assert graph.value(EXOP.Tiny, obo.HAS_EXACT_SYNONYM) == Literal("wee", lang="en")
    assert graph.value(EXOPD["tiny-1"], obo.HAS_EXACT_SYNONYM) == Literal("tiny one")


def test_a_changed_definition_is_a_gap_until_rederived() -> None:
    graph = obo.annotate_ontology(_tiny())
    graph.set((EXOP.Tiny, SKOS.definition, Literal("A different definition.", lang="en")))
    assert [g.problem for g in obo.ontology_gaps(graph)] == [
        "IAO:0000115 differs from skos:definition"
    ]
    obo.annotate_ontology(graph)
    assert graph.value(EXOP.Tiny, obo.IAO_DEFINITION) == Literal(
        "A different definition.", lang="en"
    )


def test_individuals_shapes_and_modules_are_not_minted_terms() -> None:
    for iri in (
        EXOPD["cell-osteoblast"],
        URIRef("https://w3id.org/exop/shapes/FindingShape"),
        ONTOLOGY_IRI,
        URIRef("https://w3id.org/exop/ontology/imports"),
    ):
        assert not obo.is_minted(iri), iri
    assert obo.is_minted(EXOP.Finding)
