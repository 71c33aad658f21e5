"""The graphs that EXOP publishes, each one OWL ontology with exactly one header.

ODK's release layout: the ontology with its import module merged in ('full': one
owl:Ontology header, no owl:imports, so no tool has to resolve an import), the 'base' with
EXOP's own axioms only (external entities declared, not described), the import module on
its own, the data (importing the ontology) and the package (ontology and data in one file,
what ``exop export`` writes and ``exop load`` puts in its named graph). Module and version
IRIs follow docs/iris.md: the version IRI of ``https://w3id.org/exop/<path>`` in release
``<version>`` is ``https://w3id.org/exop/releases/<version>/<path>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from exop import obo
from exop.namespaces import DEFAULT_GRAPH_IRI, IMPORTS_IRI, ONTOLOGY_IRI, bind_prefixes

BASE = "https://w3id.org/exop/"
BASE_MODULE_IRI = URIRef(f"{BASE}ontology/base")
DATA_MODULE_IRI = URIRef(f"{BASE}data")
PACKAGE_IRI = DEFAULT_GRAPH_IRI
"""The package's ontology IRI is the named graph it is loaded into (docs/iris.md)."""

ONTOLOGY_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by-nc/4.0/")

DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Datatype,
)
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_RELEASE = re.compile(re.escape(f"{BASE}releases/") + r"([^/]+)/")


@dataclass(frozen=True)
class Release:
    """What every published header states: the package version and the release date."""

    version: str
    date: str
    """ISO date, written as dcterms:issued."""


def version_iri(module_iri: URIRef, version: str) -> URIRef:
    """``https://w3id.org/exop/<path>`` -> ``https://w3id.org/exop/releases/<version>/<path>``."""
    return URIRef(f"{BASE}releases/{version}/{str(module_iri).removeprefix(BASE)}")


def _copy(*graphs: Graph) -> Graph:
    merged = bind_prefixes(Graph())
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _headers(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))


def _stamp(graph: Graph, header: URIRef, release: Release | None) -> Graph:
    """Give *header* its version IRI and, for a release, version info and release date."""
    if release is None:
        return graph
    graph.set((header, OWL.versionIRI, version_iri(header, release.version)))
    graph.set((header, OWL.versionInfo, Literal(release.version)))
    graph.set((header, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
    graph.add((DCTERMS.issued, RDF.type, OWL.AnnotationProperty))
    return graph


def _rename_header(graph: Graph, old: URIRef, new: URIRef) -> None:
    for p, o in list(graph.predicate_objects(old)):
        graph.remove((old, p, o))
        graph.add((new, p, o))
    # The header's comment explains the IRI it was written for.
    graph.remove((new, RDFS.comment, None))
    found = _RELEASE.match(str(graph.value(new, OWL.versionIRI) or ""))
    if found:
        graph.set((new, OWL.versionIRI, version_iri(new, found.group(1))))


def full_ontology(ontology: Graph, release: Release | None = None) -> Graph:
    """The ontology with its import modules merged in: the ontology's header only, no
    owl:imports (*ontology* holds exop.ttl and the modules' triples, as loaded)."""
    full = _copy(ontology)
    full.remove((None, OWL.imports, None))
    for header in _headers(full):
        if header != ONTOLOGY_IRI:
            full.remove((header, None, None))
    return _stamp(full, ONTOLOGY_IRI, release)


def _external_declarations(graph: Graph, declarations: Graph, *, minted: bool) -> Graph:
    """The declarations in *declarations* of every IRI that *graph* mentions but does not
    declare (EXOP's own terms only if *minted*)."""
    declared = {s for kind in DECLARATION_TYPES for s in graph.subjects(RDF.type, kind)}
    mentioned = {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and not str(term).startswith(_BUILT_IN)
    }
    stubs = Graph()
    for iri in sorted(mentioned - declared):
        if obo.is_minted(iri) and not minted:
            continue
        for kind in DECLARATION_TYPES:
            if (iri, RDF.type, kind) in declarations:
                stubs.add((iri, RDF.type, kind))
    return stubs


def base_ontology(main: Graph, imports: Graph, release: Release | None = None) -> Graph:
    """EXOP's own axioms (*main* is exop.ttl) with the external classes and properties it
    refers to declared, as *imports* declares them, but not described."""
    base = _copy(main)
    base.remove((None, OWL.imports, None))
    _rename_header(base, ONTOLOGY_IRI, BASE_MODULE_IRI)
    base += _external_declarations(base, imports, minted=False)
    return _stamp(base, BASE_MODULE_IRI, release)


def imports_module(imports: Graph, main: Graph, release: Release | None = None) -> Graph:
    """The import module on its own, with what it uses from the ontology (*main*: the
    superclasses exop:Drug and exop:GeneOrGeneProduct, the DCTerms annotation properties
    of its header) declared as *main* declares them, so that it is OWL 2 DL alone."""
    module = _copy(imports)
    module += _external_declarations(module, main, minted=True)
    return _stamp(module, IMPORTS_IRI, release)


def data_module(data: Graph, release: Release | None = None) -> Graph:
    """The data, as an ontology that imports the ontology it is typed by."""
    module = _copy(data)
    header = DATA_MODULE_IRI
    module.add((header, RDF.type, OWL.Ontology))
    module.add((header, OWL.imports, ONTOLOGY_IRI))
    module.add((header, DCTERMS.title, Literal("EXOP data", lang="en")))
    module.add((header, DCTERMS.description, Literal(
        "The claims of the review (Huo et al., World J Stem Cells 2023;15(3):83-89, "
        "doi:10.4252/wjsc.v15.i3.83) as individuals of the EXOP ontology: findings, exosome "
        "preparations, experimental systems, cells, genes, processes, the review and its "
        "references.", lang="en")))
    module.add((header, DCTERMS.license, DATA_LICENCE))
    module.add((header, DCTERMS.creator, Literal("EXOP contributors")))
    return _stamp(module, header, release)


def package(ontology: Graph, data: Graph, release: Release | None = None) -> Graph:
    """Ontology, import module and data in one graph with one header, no owl:imports."""
    merged = full_ontology(ontology)
    merged += data
    _rename_header(merged, ONTOLOGY_IRI, PACKAGE_IRI)
    merged.set((PACKAGE_IRI, DCTERMS.title, Literal(
        "EXOP: exosome osteoporosis ontology, import module and data", lang="en")))
    # The data that quotes the review is CC BY-NC 4.0, so the file that holds it is too.
    merged.set((PACKAGE_IRI, DCTERMS.license, DATA_LICENCE))
    return _stamp(merged, PACKAGE_IRI, release)


def header_of(graph: Graph) -> tuple[URIRef | None, URIRef | None]:
    """The (only) ontology IRI of *graph* and its version IRI."""
    headers = _headers(graph)
    if len(headers) != 1:
        return None, None
    version = graph.value(headers[0], OWL.versionIRI)
    return headers[0], version if isinstance(version, URIRef) else None
