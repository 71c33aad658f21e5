"""One nanopublication per finding, in TriG (a folder: one file per finding).

Each nanopublication has the four graphs of the nanopublication guidelines: a head linking
them, the assertion (the finding's statement: what acts on what, in which direction, in
which system), the provenance of the assertion (the review's quote, where in the review it
stands, its ECO evidence type, the references it cites, ``prov:wasDerivedFrom`` the review)
and the publication info (creator, licence and a fixed creation time, so a rebuild is
byte-identical). The nanopublications are unsigned: :func:`sign` signs one with a key
given by path (nanopub-sign, imported only then), which gives it a trusty URI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef

from exop.exporters import Artifact, Exporter
from exop.exporters import _findings as fd
from exop.namespaces import CITO, EXOP, PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from exop.package import Package

NP = Namespace("http://www.nanopub.org/nschema#")
PROV = Namespace(PREFIXES["prov"])
DCTERMS = Namespace(PREFIXES["dcterms"])
NANOPUB_BASE = "https://w3id.org/exop/nanopubs/"

CREATED = Literal("2026-12-01T00:00:00Z", datatype=XSD.dateTime)
"""The creation time every nanopublication of this release states (fixed per release)."""
LICENSE = URIRef("https://creativecommons.org/licenses/by-nc/4.0/")
CREATOR = URIRef("https://w3id.org/exop/ontology")

_PROVENANCE_PROPERTIES = {EXOP.evidenceQuote, EXOP.evidenceType, EXOP.statedIn,
                          CITO.citesAsEvidence}


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[1]


def nanopublication(graph: Graph, finding: fd.Finding) -> Dataset:
    """The nanopublication of one finding."""
    base = Namespace(f"{NANOPUB_BASE}{_local(finding.iri)}")
    # A '#' after the base IRI: nanopub-sign's trusty-URI hashing recomputes the hash wrongly
    # for graph IRIs under base + '/' (a signed nanopub then fails its own check).
    sub = Namespace(f"{base}#")
    dataset = Dataset()
    dataset.bind("np", NP)
    dataset.bind("this", base)
    dataset.bind("sub", sub)
    head = bind_prefixes(dataset.graph(sub.Head))
    assertion = bind_prefixes(dataset.graph(sub.assertion))
    provenance = bind_prefixes(dataset.graph(sub.provenance))
    pubinfo = bind_prefixes(dataset.graph(sub.pubinfo))
    this = URIRef(str(base))
    head.add((this, RDF.type, NP.Nanopublication))
    head.add((this, NP.hasAssertion, sub.assertion))
    head.add((this, NP.hasProvenance, sub.provenance))
    head.add((this, NP.hasPublicationInfo, sub.pubinfo))
    for p, o in graph.predicate_objects(finding.iri):
        if p not in _PROVENANCE_PROPERTIES:
            assertion.add((finding.iri, p, o))
    provenance.add((sub.assertion, PROV.wasDerivedFrom, fd.REVIEW))
    for p in sorted(_PROVENANCE_PROPERTIES):
        for o in graph.objects(finding.iri, p):
            provenance.add((sub.assertion, p, o))
    for curie in fd.publication_curies(graph, fd.REVIEW):
        if curie.startswith("doi:"):
            provenance.add((fd.REVIEW, PROV.alternateOf,
                            URIRef("https://doi.org/" + curie.removeprefix("doi:"))))
    pubinfo.add((this, DCTERMS.created, CREATED))
    pubinfo.add((this, DCTERMS.creator, CREATOR))
    pubinfo.add((this, DCTERMS.license, LICENSE))
    return dataset


_GRAPH_ORDER = ("Head", "assertion", "provenance", "pubinfo")


def to_trig(dataset: Dataset) -> bytes:
    """The dataset as TriG with its graphs in guideline order and sorted triples.

    rdflib's TriG writer orders graphs by hash, which changes from one process to the next;
    writing each triple in N-Triples form inside its graph block keeps rebuilds identical.
    """
    blocks = []
    graphs = {str(g.identifier).rsplit("#", 1)[-1]: g for g in dataset.graphs()
              if len(g) and str(g.identifier).rsplit("#", 1)[-1] in _GRAPH_ORDER}
    for name in _GRAPH_ORDER:
        named = graphs[name]
        lines = sorted(f"    {s.n3()} {p.n3()} {o.n3()} ." for s, p, o in named)
        blocks.append(f"{named.identifier.n3()} {{\n" + "\n".join(lines) + "\n}\n")
    return "\n".join(blocks).encode("utf-8")


def render(package: Package) -> Artifact:
    """One TriG file per finding, named after it."""
    graph = package.data
    return {f"{_local(f.iri)}.trig": to_trig(nanopublication(graph, f))
            for f in fd.findings(graph)}


def sign(trig: str, private_key: Path, orcid: str, name: str = "EXOP") -> str:
    """*trig* signed with the RSA private key in the PEM file *private_key*, as TriG.

    nanopub-sign takes the key as its base64 body, without the PEM armour lines.
    """
    import nanopub_sign

    body = "".join(line for line in private_key.read_text("ascii").splitlines()
                   if line and not line.startswith("-----"))
    profile = nanopub_sign.NpProfile(private_key=body, orcid_id=orcid, name=name)
    return str(nanopub_sign.Nanopub(trig).sign(profile).rdf())


EXPORTERS = (
    Exporter(
        name="nanopub",
        summary="one nanopublication per finding (TriG files: assertion, provenance, pubinfo)",
        render=render,
    ),
)
