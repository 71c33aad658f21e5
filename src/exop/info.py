"""A summary of the package: version, ontology IRIs, triple counts, findings, references."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version as distribution_version

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from exop import resources
from exop.catalog import query_ids
from exop.graph import parse_files
from exop.namespaces import FINDING, ONTOLOGY_IRI, REFERENCE_NUMBER


@dataclass(frozen=True)
class Component:
    """One part of the package and its size."""

    name: str
    files: int
    triples: int


@dataclass(frozen=True)
class PackageInfo:
    """What ``exop info`` reports."""

    version: str
    ontology_iri: str
    version_iri: str | None
    version_info: str | None
    components: tuple[Component, ...]
    findings: int
    references: int
    queries: int


def package_info() -> PackageInfo:
    """Read the package and summarise it."""
    ontology = parse_files(resources.ontology_files())
    imports = (
        tuple(sorted(resources.IMPORTS_DIR.glob("*.ttl")))
        if resources.IMPORTS_DIR.is_dir()
        else ()
    )
    main_files = tuple(p for p in resources.ontology_files() if p not in imports)
    data = parse_files(resources.data_files())
    shapes: Graph = parse_files(resources.shape_files())
    components = (
        Component("ontology", len(main_files), len(parse_files(main_files))),
        Component("imports", len(imports), len(parse_files(imports))),
        Component("data", len(resources.data_files()), len(data)),
        Component("shapes", len(resources.shape_files()), len(shapes)),
    )
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    version_info = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    return PackageInfo(
        version=distribution_version("exop"),
        ontology_iri=str(ONTOLOGY_IRI),
        version_iri=str(version_iri) if version_iri else None,
        version_info=str(version_info) if version_info else None,
        components=components,
        findings=len(set(data.subjects(RDF.type, FINDING))),
        references=len(set(data.subjects(REFERENCE_NUMBER, None))),
        queries=len(query_ids()),
    )
