"""Biolink Model terms for EXOP's entities: CURIEs as Biolink spells them, and categories.

Biolink 4 (the biolink-model package's ``biolink_model.yaml``) says, per class, which
prefixes its identifiers use (``id_prefixes``) and, in its prefix map, how each prefix is
spelled (``HGNC``, ``DRUGBANK``, ``MESH``, ``NCBITaxon``). A node id here uses that spelling
where Biolink has the prefix, and Bioregistry's canonical prefix (``mirbase.mature``,
``cellosaurus``, with Bioregistry's local-id form) where it has not; the tests check that
Bioregistry normalises every id and that KGX's validator accepts them.

The category of a class follows from where it sits: its ontology (a CL class is a
``biolink:Cell``) or, for GO, the GO root it descends from in the import module (process,
function or component). EXOP's own classes take the category of the external class they
specialise (``exop:ExosomePreparation`` is a GO extracellular exosome, hence a
``biolink:CellularComponent``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from rdflib import RDF, RDFS, Graph, URIRef

from exop.namespaces import PREFIXES

_OBO = "http://purl.obolibrary.org/obo/"

# Bioregistry's Cellosaurus local id is the part after the banana CVCL_.
_CELLOSAURUS = PREFIXES["cellosaurus"] + (
    "" if PREFIXES["cellosaurus"].endswith("CVCL_") else "CVCL_")

KGX_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        # Biolink's own spelling (biolink_model/prefixmaps/biolink-model-prefix-map.json),
        # which for these is EXOP's
        **{prefix: PREFIXES[prefix] for prefix in (
            "CL", "GO", "UBERON", "MONDO", "NCBITaxon", "CHEBI", "ECO", "OBI", "SO", "RO",
            "BFO", "IAO", "EFO", "OBA")},
        "HGNC": PREFIXES["HGNC"],
        "DRUGBANK": PREFIXES["drugbank"],
        "MESH": PREFIXES["MESH"],
        "mirbase": PREFIXES["mirbase"],
        # Not in Biolink's prefix map: Bioregistry's canonical prefix
        "mirbase.mature": PREFIXES["mirbase.mature"],
        "cellosaurus": _CELLOSAURUS,
        # EXOP's own individuals
        "exopd": PREFIXES["exopd"],
        "exop": PREFIXES["exop"],
    }
)
"""KGX CURIE prefix -> the namespace the package's IRIs use (longest namespace wins)."""

NOT_IN_BIOLINK = frozenset({"OBA", "mirbase.mature", "cellosaurus", "exop", "exopd"})
"""The prefixes above that Biolink's prefix map lacks: the export declares them itself
(EXOP's own, and Bioregistry prefixes that Biolink has not adopted)."""

_BY_LENGTH = sorted(KGX_PREFIXES.items(), key=lambda item: -len(item[1]))


def kgx_curie(iri: str) -> str:
    """The CURIE of *iri* as the KGX export writes it (the IRI itself if no prefix fits)."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


_GO_ROOTS = (
    (URIRef(f"{_OBO}GO_0008150"), "biolink:BiologicalProcess"),
    (URIRef(f"{_OBO}GO_0003674"), "biolink:MolecularActivity"),
    (URIRef(f"{_OBO}GO_0005575"), "biolink:CellularComponent"),
)

_BY_NAMESPACE: tuple[tuple[str, str], ...] = (
    (f"{_OBO}CL_", "biolink:Cell"),
    (f"{_OBO}UBERON_", "biolink:AnatomicalEntity"),
    (f"{_OBO}MONDO_", "biolink:Disease"),
    (f"{_OBO}NCBITaxon_", "biolink:OrganismTaxon"),
    (f"{_OBO}CHEBI_", "biolink:ChemicalEntity"),
    (f"{_OBO}ECO_", "biolink:EvidenceType"),
    (f"{_OBO}OBI_", "biolink:StudyVariable"),
    (f"{_OBO}OBA_", "biolink:PhenotypicFeature"),
    (f"{_OBO}SO_", "biolink:NucleicAcidEntity"),
    ("http://www.ebi.ac.uk/efo/EFO_", "biolink:Cell"),
    (PREFIXES["HGNC"], "biolink:Gene"),
    (PREFIXES["mirbase"], "biolink:MicroRNA"),
    (PREFIXES["mirbase.mature"], "biolink:MicroRNA"),
    (PREFIXES["drugbank"], "biolink:Drug"),
    (PREFIXES["MESH"], "biolink:NamedThing"),
    (PREFIXES["cellosaurus"], "biolink:CellLine"),
)

_SPECIFIC = {
    # SO:0000276 miRNA: the class of the review's "miRNAs"
    URIRef(f"{_OBO}SO_0000276"): "biolink:MicroRNA",
    URIRef(PREFIXES["exop"] + "Drug"): "biolink:Drug",
    # biolink:GeneOrGeneProduct is a mixin, which KGX refuses as a category
    URIRef(PREFIXES["exop"] + "GeneOrGeneProduct"): "biolink:MolecularEntity",
}

NAMED_THING = "biolink:NamedThing"


def superclasses(graph: Graph, cls: URIRef) -> list[URIRef]:
    """*cls* and its named superclasses (rdfs:subClassOf*), nearest first."""
    seen: list[URIRef] = [cls]
    frontier = [cls]
    while frontier:
        nxt: list[URIRef] = []
        for current in frontier:
            parents = (p for p in graph.objects(current, RDFS.subClassOf) if isinstance(p, URIRef))
            for parent in sorted(parents):
                if parent not in seen:
                    seen.append(parent)
                    nxt.append(parent)
        frontier = nxt
    return seen


def class_category(graph: Graph, cls: URIRef) -> str:
    """The Biolink category of instances of *cls* (biolink:NamedThing if none fits)."""
    for ancestor in superclasses(graph, cls):
        if ancestor in _SPECIFIC:
            return _SPECIFIC[ancestor]
        for root, category in _GO_ROOTS:
            if ancestor == root:
                return category
        text = str(ancestor)
        if text.startswith(f"{_OBO}GO_"):
            continue
        for namespace, category in _BY_NAMESPACE:
            if text.startswith(namespace):
                return category
    if str(cls).startswith(f"{_OBO}GO_"):
        return "biolink:BiologicalProcess"
    return NAMED_THING


def is_external(iri: URIRef) -> bool:
    """True for a class IRI that no EXOP namespace and no W3C/SPAR vocabulary mints."""
    text = str(iri)
    return any(text.startswith(namespace) for namespace in KGX_PREFIXES.values()) and not (
        text.startswith(PREFIXES["exop"])
    )


def external_types(graph: Graph, node: URIRef) -> list[URIRef]:
    """The node's rdf:types that are external ontology classes, sorted."""
    return sorted(t for t in graph.objects(node, RDF.type)
                  if isinstance(t, URIRef) and is_external(t))


def categories(graph: Graph, types: Iterable[URIRef]) -> list[str]:
    """The Biolink categories for a node of these types, most specific known first, sorted."""
    found = sorted({class_category(graph, t) for t in types} - {NAMED_THING})
    return found or [NAMED_THING]
