"""The one prefix map of EXOP, and named constants for every IRI the code uses.

Everything that writes or reads CURIEs (canonical Turtle, query results, CLI tables,
parameter values) goes through :data:`PREFIXES`, :func:`compress` and :func:`expand`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from rdflib import Graph, Namespace, URIRef

if TYPE_CHECKING:
    import curies

_OBO = "http://purl.obolibrary.org/obo/"

PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        # EXOP itself (exopsh: names the SHACL shapes)
        "exop": "https://w3id.org/exop/",
        "exopd": "https://w3id.org/exop/data/",
        # W3C and SPAR
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "sh": "http://www.w3.org/ns/shacl#",
        "dcterms": "http://purl.org/dc/terms/",
        "prov": "http://www.w3.org/ns/prov#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "bibo": "http://purl.org/ontology/bibo/",
        "fabio": "http://purl.org/spar/fabio/",
        "cito": "http://purl.org/spar/cito/",
        "doco": "http://purl.org/spar/doco/",
        "c4o": "http://purl.org/spar/c4o/",
        # schema.org: only schema:sameAs, linking a work to its resolver pages
        "schema": "http://schema.org/",
        "exopsh": "https://w3id.org/exop/shapes/",
        # OBO Foundry
        "CL": f"{_OBO}CL_",
        "GO": f"{_OBO}GO_",
        "UBERON": f"{_OBO}UBERON_",
        "MONDO": f"{_OBO}MONDO_",
        "NCBITaxon": f"{_OBO}NCBITaxon_",
        "CHEBI": f"{_OBO}CHEBI_",
        "ECO": f"{_OBO}ECO_",
        "OBI": f"{_OBO}OBI_",
        "OBA": f"{_OBO}OBA_",
        "SO": f"{_OBO}SO_",
        "RO": f"{_OBO}RO_",
        "BFO": f"{_OBO}BFO_",
        "IAO": f"{_OBO}IAO_",
        "EFO": "http://www.ebi.ac.uk/efo/EFO_",
        # as Bioregistry writes them (docs/iris.md, External IRIs)
        "HGNC": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
        "mirbase": "http://www.mirbase.org/cgi-bin/mirna_entry.pl?acc=",
        "mirbase.mature": "http://mirbase.org/cgi-bin/mature.pl?mature_acc=",
        "drugbank": "https://go.drugbank.com/drugs/",
        "MESH": "http://id.nlm.nih.gov/mesh/",
        "cellosaurus": "https://www.cellosaurus.org/CVCL_",
    }
)



@functools.cache
def converter() -> curies.Converter:
    """A ``curies`` converter for :data:`PREFIXES`, for callers that need one.

    EXOP's own code compresses and expands with :func:`compress` and :func:`expand`:
    importing curies pulls in pydantic, about 0.2 s of CPU on every command that showed an
    IRI.
    """
    import curies

    return curies.Converter.from_prefix_map(dict(PREFIXES))


# Longest namespace first, so a CURIE names the most specific prefix (mirbase.mature over
# mirbase, as curies' trie chooses).
_NAMESPACES_LONGEST_FIRST = tuple(
    sorted(((namespace, prefix) for prefix, namespace in PREFIXES.items()),
           key=lambda item: (-len(item[0]), item[1]))
)

EXOP = Namespace(PREFIXES["exop"])
EXOPD = Namespace(PREFIXES["exopd"])
FABIO = Namespace(PREFIXES["fabio"])
CITO = Namespace(PREFIXES["cito"])

ONTOLOGY_IRI = URIRef("https://w3id.org/exop/ontology")
IMPORTS_IRI = URIRef("https://w3id.org/exop/ontology/imports")
DEFAULT_GRAPH_IRI = URIRef("https://w3id.org/exop/graph")
"""Named graph that ``exop load`` replaces on a remote store unless told otherwise."""

FINDING = EXOP.Finding
REFERENCE_NUMBER = EXOP.referenceNumber


_BASE = re.escape("https://w3id.org/exop/")
_RELEASE = r"releases/[0-9]+\.[0-9]+\.[0-9]+"
_RESERVED = "data|shapes|ontology|releases|graph"

IRI_FAMILIES: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        "term": re.compile(rf"{_BASE}(?!(?:{_RESERVED})$)[A-Za-z][A-Za-z0-9]*"),
        "individual": re.compile(rf"{_BASE}data/[a-z0-9]+(?:-[a-z0-9]+)*"),
        "shape": re.compile(
            rf"{_BASE}shapes/(?:[A-Z][A-Za-z0-9]*(?:-[a-z][A-Za-z0-9]*)?|prefix-[A-Za-z][A-Za-z0-9.]*)"
        ),
        "ontology": re.compile(rf"{_BASE}ontology"),
        "imports module": re.compile(rf"{_BASE}ontology/imports"),
        "shapes module": re.compile(rf"{_BASE}shapes"),
        "ontology version": re.compile(rf"{_BASE}{_RELEASE}/ontology"),
        "imports version": re.compile(rf"{_BASE}{_RELEASE}/ontology/imports"),
        "named graph": re.compile(rf"{_BASE}graph"),
        # >>> release modules (exop release, exop.artefacts) >>>
        "base module": re.compile(rf"{_BASE}ontology/base"),
        "data module": re.compile(rf"{_BASE}data"),
        "base version": re.compile(rf"{_BASE}{_RELEASE}/ontology/base"),
        "data version": re.compile(rf"{_BASE}{_RELEASE}/data"),
        "graph version": re.compile(rf"{_BASE}{_RELEASE}/graph"),
        # <<< release modules <<<
    }
)
"""Every family of IRI minted under https://w3id.org/exop/ (docs/iris.md), to fullmatch."""


def version_iri(version: str) -> URIRef:
    """The ontology version IRI of a release, e.g. ``.../releases/0.1.0/ontology``."""
    return URIRef(f"https://w3id.org/exop/releases/{version}/ontology")


def imports_version_iri(version: str) -> URIRef:
    """The version IRI of the import module of a release."""
    return URIRef(f"https://w3id.org/exop/releases/{version}/ontology/imports")


def expand(curie_or_iri: str) -> str | None:
    """Expand a CURIE with the EXOP prefix map; return None if the prefix is unknown."""
    prefix, colon, local = curie_or_iri.partition(":")
    namespace = PREFIXES.get(prefix) if colon else None
    return None if namespace is None else namespace + local


def compress_or_none(iri: str) -> str | None:
    """The CURIE of *iri* under the EXOP prefix map, or None where no namespace covers it."""
    for namespace, prefix in _NAMESPACES_LONGEST_FIRST:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def compress(iri: str) -> str:
    """Compress an IRI to a CURIE where the prefix map allows, else return it unchanged."""
    return compress_or_none(iri) or iri


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the EXOP prefix map on *graph* (replacing other bindings of the same prefix)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph
