"""Everything a page needs to know about the package, indexed once.

:class:`SiteContext` holds the union of ontology, import module, data and shapes, the name
of every node, the minted IRIs and the findings about each entity, so rendering one page
(for the static site, or per request in a server) is a few index look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from exop.graph import PackageGraph, load_package
from exop.namespaces import EXOP, ONTOLOGY_IRI, bind_prefixes, compress
from exop.site import paths
from exop.site.review import ReviewText, review_text_path

SH = URIRef("http://www.w3.org/ns/shacl#")
SH_NAME = URIRef(f"{SH}name")
SH_DESCRIPTION = URIRef(f"{SH}description")

NAME_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title,
                                       SH_NAME)
"""What names a node, best first (docs/iris.md: every individual has exactly one)."""

DEFINITION_PREDICATES: tuple[URIRef, ...] = (SKOS.definition, DCTERMS.description,
                                             SH_DESCRIPTION, RDFS.comment)


def _package_version() -> str:
    try:
        return version("exop")
    except PackageNotFoundError:
        return "0+unknown"


def _prefer_english(values: Iterable[Node]) -> Literal | None:
    literals = sorted((v for v in values if isinstance(v, Literal)), key=str)
    for literal in literals:
        if literal.language in (None, "en"):
            return literal
    return literals[0] if literals else None


@dataclass
class SiteContext:
    """The package graphs with the indexes that rendering uses."""

    graph: Graph
    """Ontology, import module, data and shapes together."""
    ontology: Graph
    data: Graph
    shapes: Graph
    version: str
    review: ReviewText | None = None
    _names: dict[Node, str] = field(default_factory=dict, repr=False)
    renderer: Any = field(default=None, repr=False, compare=False)
    """The page renderer built on first use (exop.site.pages.renderer_for)."""

    @classmethod
    def from_package(cls, package: PackageGraph | None = None,
                     review: ReviewText | None = None,
                     version: str | None = None) -> SiteContext:
        """Index *package* (default: the installed one, with shapes)."""
        package = package if package is not None else load_package(include_shapes=True)
        shapes = package.shapes if package.shapes is not None else Graph()
        union = bind_prefixes(Graph())
        for part in (package.ontology, package.data, shapes):
            for triple in part:
                union.add(triple)
        if review is None:
            found = review_text_path()
            review = ReviewText.read(found) if found else None
        return cls(union, package.ontology, package.data, shapes,
                   version or _package_version(), review)

    # -- names ------------------------------------------------------------------------------

    def name(self, node: Node) -> str:
        """The node's label (best name predicate, English preferred), else its CURIE."""
        cached = self._names.get(node)
        if cached is not None:
            return cached
        text: str | None = None
        for predicate in NAME_PREDICATES:
            best = _prefer_english(self.graph.objects(node, predicate))
            if best is not None:
                text = str(best)
                break
        if text is None:
            text = compress(str(node)) if isinstance(node, URIRef) else str(node)
        self._names[node] = text
        return text

    def definition(self, node: Node) -> str | None:
        for predicate in DEFINITION_PREDICATES:
            best = _prefer_english(self.graph.objects(node, predicate))
            if best is not None:
                return str(best)
        return None

    def types(self, node: Node) -> tuple[URIRef, ...]:
        return tuple(sorted(t for t in self.graph.objects(node, RDF.type)
                            if isinstance(t, URIRef)))

    # -- what is minted ---------------------------------------------------------------------

    def minted(self) -> tuple[URIRef, ...]:
        """Every EXOP IRI that is described (a subject) here and gets a page, sorted."""
        found = {s for s in self.graph.subjects() if isinstance(s, URIRef)
                 and paths.family(str(s)) is not None}
        found.add(URIRef(paths.BASE))
        return tuple(sorted(found))

    def is_finding(self, node: Node) -> bool:
        return (node, RDF.type, EXOP.Finding) in self.graph

    def findings_about(self) -> Mapping[Node, tuple[tuple[URIRef, URIRef], ...]]:
        """Entity -> (finding, property) for every finding that points at it."""
        table: dict[Node, set[tuple[URIRef, URIRef]]] = defaultdict(set)
        for finding in self.graph.subjects(RDF.type, EXOP.Finding):
            if not isinstance(finding, URIRef):
                continue
            for predicate, obj in self.graph.predicate_objects(finding):
                if isinstance(obj, URIRef) and predicate != RDF.type \
                        and isinstance(predicate, URIRef):
                    table[obj].add((finding, predicate))
        return {node: tuple(sorted(pairs)) for node, pairs in table.items()}

    def ontology_terms(self) -> Mapping[str, tuple[URIRef, ...]]:
        """The ontology's own terms, grouped: classes, object/datatype/annotation properties,
        and named individuals (the value sets)."""
        groups = {
            "Classes": OWL.Class,
            "Object properties": OWL.ObjectProperty,
            "Datatype properties": OWL.DatatypeProperty,
            "Annotation properties": OWL.AnnotationProperty,
            "Individuals of the value sets": OWL.NamedIndividual,
        }
        result: dict[str, tuple[URIRef, ...]] = {}
        for title, kind in groups.items():
            members = {s for s in self.ontology.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and paths.family(str(s)) == "term"}
            result[title] = tuple(sorted(members, key=lambda t: (self.name(t).lower(), t)))
        return result

    @property
    def ontology_iri(self) -> URIRef:
        return ONTOLOGY_IRI


def is_blank(node: Node) -> bool:
    return isinstance(node, BNode)
