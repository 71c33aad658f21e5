"""A machine-readable description of the package: VoID, DCAT and the HCLS dataset profile.

Three levels, after the W3C HCLS Community Profile for dataset descriptions (2015): the
summary level (EXOP, independent of version and format), the version level (this release,
``pav:version``, ``dcterms:isVersionOf`` the summary) and the distribution level (the
release's Turtle file, a ``dcat:Distribution`` and ``void:Dataset`` with its statistics:
triples, classes, properties, entities, distinct subjects and objects, and one
``void:Linkset`` per external ontology counting the rdf:type links from EXOP's individuals
to that ontology's classes). Every number is computed from the package's graphs, so the
description cannot drift from the data; the tests compare them with the packaged
``dataset-statistics`` query and validate the description with the HCLS shapes in
``shapes/profiles/hcls.ttl``.
"""

from __future__ import annotations

from collections import Counter
from importlib import metadata
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from exop.exporters import SINGLE, Artifact, Exporter
from exop.exporters import _biolink as bl
from exop.namespaces import ONTOLOGY_IRI, PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from exop.package import Package

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTYPES = Namespace("http://purl.org/dc/dcmitype/")
PAV = Namespace("http://purl.org/pav/")
DCTERMS = Namespace(PREFIXES["dcterms"])
FORMATS = Namespace("http://www.w3.org/ns/formats/")

SUMMARY = URIRef("https://w3id.org/exop/dataset")
DATA_PREFIX = PREFIXES["exopd"]
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by-nc/4.0/")
TITLE = "EXOP: MSC-derived exosomes for osteoporosis treatment"
DESCRIPTION = (
    "The claims of one review (Huo, Yang, Zhang, Shao, World J Stem Cells 2023;15(3):83-89, "
    "doi:10.4252/wjsc.v15.i3.83) as a knowledge graph: findings with their exosomes, target "
    "cells, pathways, outcomes, evidence quotes and cited studies, typed with CL, GO, UBERON, "
    "MONDO, NCBITaxon, HGNC and miRBase classes."
)


def version() -> str:
    """The package version (the one place it lives is pyproject.toml)."""
    return metadata.version("exop")


def version_iri(release: str) -> URIRef:
    return URIRef(f"https://w3id.org/exop/releases/{release}/dataset")


def distribution_iri(release: str) -> URIRef:
    return URIRef(f"https://w3id.org/exop/releases/{release}/exop.ttl")


def _ontology_of(cls: URIRef) -> str | None:
    curie = bl.kgx_curie(str(cls))
    return curie.split(":", 1)[0] if curie != str(cls) and ":" in curie else None


def statistics(union: Graph) -> dict[str, int]:
    """VoID's counts over *union* (ontology and data)."""
    classes = {o for o in union.objects(None, RDF.type) if isinstance(o, URIRef)}
    entities = {s for s in union.subjects() if isinstance(s, URIRef)
                and str(s).startswith(DATA_PREFIX)}
    return {
        "triples": len(union),
        "classes": len(classes),
        "properties": len(set(union.predicates())),
        "entities": len(entities),
        "distinctSubjects": len(set(union.subjects())),
        "distinctObjects": len(set(union.objects())),
    }


def linksets(union: Graph) -> dict[str, tuple[int, int]]:
    """Per external ontology prefix: (rdf:type links from EXOP individuals, classes)."""
    links: Counter[str] = Counter()
    classes: dict[str, set[URIRef]] = {}
    for s, o in union.subject_objects(RDF.type):
        if not (isinstance(o, URIRef) and str(s).startswith(DATA_PREFIX) and bl.is_external(o)):
            continue
        prefix = _ontology_of(o)
        if prefix is None:
            continue
        links[prefix] += 1
        classes.setdefault(prefix, set()).add(o)
    return {p: (links[p], len(classes[p])) for p in sorted(links)}


def description(package: Package, release: str | None = None) -> Graph:
    """The three-level description of the package."""
    release = release or version()
    graph = bind_prefixes(Graph())
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dctypes", DCTYPES), ("pav", PAV)):
        graph.bind(prefix, ns)
    summary, ver, dist = SUMMARY, version_iri(release), distribution_iri(release)
    publisher = ONTOLOGY_IRI
    for node, title in ((summary, TITLE), (ver, f"{TITLE}, release {release}"),
                        (dist, f"{TITLE}, release {release}, Turtle")):
        graph.add((node, RDF.type, DCTYPES.Dataset))
        graph.add((node, DCTERMS.title, Literal(title, lang="en")))
        graph.add((node, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
        graph.add((node, DCTERMS.publisher, publisher))
    graph.add((summary, DCAT.landingPage, URIRef("https://w3id.org/exop/")))
    graph.add((ver, DCTERMS.isVersionOf, summary))
    graph.add((ver, PAV.version, Literal(release)))
    graph.add((ver, DCTERMS.license, DATA_LICENSE))
    graph.add((ver, DCAT.distribution, dist))
    graph.add((dist, RDF.type, DCAT.Distribution))
    graph.add((dist, RDF.type, VOID.Dataset))
    graph.add((dist, PAV.version, Literal(release)))
    graph.add((dist, DCTERMS.license, DATA_LICENSE))
    graph.add((dist, DCTERMS["format"], FORMATS.Turtle))
    graph.add((dist, DCAT.mediaType, Literal("text/turtle")))
    graph.add((dist, DCAT.downloadURL, dist))
    graph.add((dist, VOID.dataDump, dist))
    graph.add((dist, VOID.vocabulary, URIRef(PREFIXES["exop"])))
    for name, value in statistics(package.union).items():
        graph.add((dist, VOID[name], Literal(value, datatype=XSD.integer)))
    for prefix, (links, classes) in linksets(package.union).items():
        linkset = URIRef(f"{dist}#linkset-{prefix}")
        graph.add((dist, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, RDFS.label, Literal(f"rdf:type links to {prefix}", lang="en")))
        graph.add((linkset, VOID.linkPredicate, RDF.type))
        graph.add((linkset, VOID.subjectsTarget, dist))
        graph.add((linkset, VOID.triples, Literal(links, datatype=XSD.integer)))
        graph.add((linkset, VOID.distinctObjects, Literal(classes, datatype=XSD.integer)))
    return graph


def render(package: Package) -> Artifact:
    """The description as Turtle (rdflib's writer sorts subjects and predicates)."""
    from exop.canonical import canonical_turtle

    return {SINGLE: canonical_turtle(description(package)).encode("utf-8")}


EXPORTERS = (
    Exporter(
        name="void",
        summary="VoID + DCAT + HCLS dataset description (summary, version, distribution)",
        render=render,
        suffix=".ttl",
        media_type="text/turtle",
    ),
)
