"""The dataset description (VoID) of the base IRI https://w3id.org/exop/."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from exop.namespaces import PREFIXES, bind_prefixes
from exop.site import paths
from exop.site.context import SiteContext

VOID = "http://rdfs.org/ns/void#"


def dump_size(context: SiteContext) -> int:
    """Triples in the full dump (ontology, import module and data), as exop load puts them."""
    return len(set(context.ontology) | set(context.data))


def void_graph(context: SiteContext, triples: int) -> Graph:
    """The dataset description of the base IRI https://w3id.org/exop/."""
    void = bind_prefixes(Graph())
    void.bind("void", VOID)
    dataset = URIRef(paths.BASE)

    def v(local: str) -> URIRef:
        return URIRef(f"{VOID}{local}")

    void.add((dataset, RDF.type, v("Dataset")))
    void.add((dataset, DCTERMS.title, Literal("EXOP: MSC-derived exosomes for osteoporosis "
                                              "treatment, as linked data", lang="en")))
    void.add((dataset, DCTERMS.source, URIRef("https://doi.org/10.4252/wjsc.v15.i3.83")))
    void.add((dataset, DCTERMS.license,
              URIRef("https://creativecommons.org/licenses/by-nc/4.0/")))
    void.add((dataset, v("uriSpace"), Literal(paths.BASE)))
    void.add((dataset, v("triples"), Literal(triples, datatype=XSD.integer)))
    void.add((dataset, v("dataDump"), URIRef(f"{paths.BASE}graph")))
    void.add((dataset, v("rootResource"), context.ontology_iri))
    for example in ("data/finding-table-1-row-6", "data/cell-osteoblast", "Finding"):
        void.add((dataset, v("exampleResource"), URIRef(f"{paths.BASE}{example}")))
    for prefix in ("exop", "cito", "fabio", "dcterms"):
        void.add((dataset, v("vocabulary"), URIRef(PREFIXES[prefix])))
    return void
