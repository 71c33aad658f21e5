"""The VoID/DCAT/HCLS dataset description: its counts agree with the packaged statistics query
and with the data, and it meets the HCLS profile's MUST rules (shapes/profiles/hcls.ttl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

import exop
from exop.canonical import canonical_file_text
from exop.exporters import SINGLE, get_exporter
from exop.exporters.dataset_description import (
    DCTERMS,
    SUMMARY,
    VOID,
    description,
    distribution_iri,
    version,
    version_iri,
)
from exop.package import Package, default_package
from exop.resources import ROOT, shape_files

HCLS_SHAPES = ROOT / "shapes" / "profiles" / "hcls.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def described() -> Graph:
    return Graph().parse(data=get_exporter("void").render(default_package())[SINGLE],
                         format="turtle")


def _count(graph: Graph, node: URIRef, prop: URIRef) -> int:
    value = graph.value(node, prop)
    assert isinstance(value, Literal), (node, prop)
    return int(value)


def test_counts_agree_with_the_dataset_statistics_query(described: Graph) -> None:
    measures = {str(m): int(str(v)) for m, v in exop.run_packaged_query("dataset-statistics").rows}
    dist = distribution_iri(version())
    assert _count(described, dist, VOID.triples) == measures["triples"]
    assert _count(described, dist, VOID.entities) == measures["data individuals"]


def test_linksets_count_the_type_links_to_each_ontology(described: Graph) -> None:
    union = default_package().union
    data = "https://w3id.org/exop/data/"
    for linkset in described.subjects(RDF.type, VOID.Linkset):
        assert isinstance(linkset, URIRef)
        label = str(described.value(linkset, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        prefix = label.rsplit(" ", 1)[1]
        namespace = {"DRUGBANK": exop.namespaces.PREFIXES["drugbank"],
                     "cellosaurus": exop.namespaces.PREFIXES["cellosaurus"]}.get(
            prefix, exop.namespaces.PREFIXES.get(prefix, ""))
        assert namespace, prefix
        links = [(s, o) for s, o in union.subject_objects(RDF.type)
                 if str(s).startswith(data) and str(o).startswith(namespace)]
        assert _count(described, linkset, VOID.triples) == len(links), prefix
        assert _count(described, linkset, VOID.distinctObjects) == len({o for _, o in links})
    assert len(set(described.subjects(RDF.type, VOID.Linkset))) >= 8


def _results(data: Graph) -> list[tuple[str, str]]:
    shapes = Graph().parse(HCLS_SHAPES)
    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    assert isinstance(report, Graph)
    return sorted((str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[1],
                   str(report.value(r, SH.resultMessage)))
                  for r in report.subjects(RDF.type, SH.ValidationResult))


def test_meets_every_hcls_must_rule(described: Graph) -> None:
    results = _results(described)
    assert [r for r in results if r[0] == "Violation"] == []
    # dcterms:issued is not known before a release is made.
    assert results == [("Warning", "HCLS version level: dcterms:issued SHOULD be given")]


def test_hcls_shapes_report_a_missing_must_and_should(described: Graph) -> None:
    broken = Graph()
    for triple in described:
        broken.add(triple)
    broken.remove((version_iri(version()), DCTERMS.title, None))
    broken.remove((distribution_iri(version()), VOID.triples, None))
    broken.add((SUMMARY, URIRef("http://purl.org/pav/version"), Literal("0")))
    results = _results(broken)
    assert ("Violation", "HCLS version level: dcterms:title MUST be given") in results
    assert ("Violation", "HCLS summary level: pav:version MUST NOT be given") in results
    assert ("Warning", "HCLS distribution level: void:triples SHOULD be given") in results


def test_hcls_shapes_stay_out_of_the_package_validation() -> None:
    assert HCLS_SHAPES.is_file()
    assert HCLS_SHAPES not in shape_files()


def test_hcls_shapes_file_is_canonical() -> None:
    assert HCLS_SHAPES.read_text("utf-8") == canonical_file_text(HCLS_SHAPES), (
        "run: exop fmt shapes/profiles/hcls.ttl")


def test_rebuild_is_byte_identical() -> None:
    assert get_exporter("void").render(Package()) == get_exporter("void").render(
        default_package())


def test_release_is_an_argument(tmp_path: Path) -> None:
    graph = description(default_package(), release="9.9.9")
    assert (version_iri("9.9.9"), DCTERMS.isVersionOf, SUMMARY) in graph
