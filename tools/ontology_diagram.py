"""Generate ontology/README.md from ontology/exop.ttl: a Mermaid diagram and a term table.

Run ``python tools/ontology_diagram.py`` after editing exop.ttl; a test fails while the
README is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from exop.output import atomic_write

REPO = Path(__file__).resolve().parents[1]
EXOP_TTL = REPO / "ontology" / "exop.ttl"
README = REPO / "ontology" / "README.md"
IMPORTS_TTL = REPO / "ontology" / "imports" / "exop-imports.ttl"
EXOP = "https://w3id.org/exop/"

PREFIXES = {
    "https://w3id.org/exop/": "exop",
    "http://purl.obolibrary.org/obo/BFO_": "BFO",
    "http://purl.obolibrary.org/obo/RO_": "RO",
    "http://purl.obolibrary.org/obo/OBI_": "OBI",
    "http://purl.obolibrary.org/obo/GO_": "GO",
    "http://purl.obolibrary.org/obo/ECO_": "ECO",
    "http://purl.obolibrary.org/obo/CHEBI_": "CHEBI",
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/2004/02/skos/core#": "skos",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://purl.org/spar/doco/": "doco",
    "http://purl.org/spar/fabio/": "fabio",
    "http://purl.org/spar/cito/": "cito",
    "http://purl.org/spar/c4o/": "c4o",
    "http://www.w3.org/2001/XMLSchema#": "xsd",
    "http://www.w3.org/2002/07/owl#": "owl",
}

HEADER_TEMPLATE = Path(__file__).with_name("ontology_readme_header.md")


def curie(iri: URIRef) -> str:
    text = str(iri)
    for base, prefix in sorted(PREFIXES.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(base):
            return f"{prefix}:{text[len(base) :]}"
    return f"<{text}>"


def _node_id(iri: URIRef) -> str:
    return curie(iri).replace(":", "_").replace(".", "_")


def _minted(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(
        s
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(EXOP)
    )


def _named_parents(graph: Graph, term: URIRef, relation: URIRef) -> list[URIRef]:
    return sorted(p for p in graph.objects(term, relation) if isinstance(p, URIRef))


THING = OWL.Thing


def _class_lines(graph: Graph, classes: list[URIRef]) -> list[str]:
    """One labelled box per class, then its datatype properties as ``Class : type name``."""
    lines: list[str] = []
    datatype_props = _minted(graph, OWL.DatatypeProperty)
    for cls in classes:
        lines.append(f'  class {_node_id(cls)}["{curie(cls)}"]')
        for prop in datatype_props:
            if (prop, RDFS.domain, cls) in graph:
                rng = graph.value(prop, RDFS.range)
                kind = curie(rng).split(":")[1] if isinstance(rng, URIRef) else "literal"
                lines.append(f"  {_node_id(cls)} : {kind} {curie(prop).split(':')[1]}")
    return lines


def _property_edges(graph: Graph) -> list[tuple[URIRef, URIRef, str]]:
    """(domain, range, name) of each minted object property; owl:Thing where unstated."""
    edges = []
    for prop in _minted(graph, OWL.ObjectProperty):
        domain = graph.value(prop, RDFS.domain)
        rng = graph.value(prop, RDFS.range)
        edges.append(
            (
                domain if isinstance(domain, URIRef) else THING,
                rng if isinstance(rng, URIRef) else THING,
                curie(prop).split(":")[1],
            )
        )
    return edges


def mermaid(graph: Graph, labels: Graph | None = None) -> str:
    """A Mermaid class diagram of the minted classes and properties.

    External classes are shown with their label from *labels* (the import module).
    """
    classes = _minted(graph, OWL.Class)
    edges: set[str] = set()
    external: set[URIRef] = set()
    for cls in classes:
        for parent in _named_parents(graph, cls, RDFS.subClassOf):
            edges.add(f"  {_node_id(parent)} <|-- {_node_id(cls)}")
            external.add(parent)
    for domain, rng, name in _property_edges(graph):
        edges.add(f"  {_node_id(domain)} --> {_node_id(rng)} : {name}")
        external.update((domain, rng))
    lines = ["```mermaid", "classDiagram", "  direction LR", *_class_lines(graph, classes)]
    for ext in sorted(e for e in external if not str(e).startswith(EXOP)):
        label = labels.value(ext, RDFS.label) if labels is not None else None
        title = f"{curie(ext)} {label}" if label else curie(ext)
        lines.append(f'  class {_node_id(ext)}["{title}"]')
    return "\n".join([*lines, *sorted(edges), "```"]) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def terms_table(graph: Graph) -> str:
    """A Markdown table of every minted term: label, CURIE, kind, parent, definition."""
    rows = ["| label | IRI | kind | parent | definition |", "| --- | --- | --- | --- | --- |"]
    kinds = [
        (OWL.Class, "class", RDFS.subClassOf),
        (OWL.ObjectProperty, "object property", RDFS.subPropertyOf),
        (OWL.DatatypeProperty, "datatype property", RDFS.subPropertyOf),
        (OWL.AnnotationProperty, "annotation property", RDFS.subPropertyOf),
        (OWL.NamedIndividual, "value", RDF.type),
    ]
    for kind, name, relation in kinds:
        for term in _minted(graph, kind):
            parents = [p for p in _named_parents(graph, term, relation) if p != OWL.NamedIndividual]
            parent = ", ".join(f"`{curie(p)}`" for p in parents) or "-"
            label = _cell(str(graph.value(term, RDFS.label)))
            definition = _cell(str(graph.value(term, SKOS.definition) or ""))
            rows.append(f"| {label} | `{curie(term)}` | {name} | {parent} | {definition} |")
    return "\n".join(rows) + "\n"


def readme(graph: Graph, labels: Graph | None = None) -> str:
    """The whole README: the hand-written header, then the generated diagram and table."""
    header = HEADER_TEMPLATE.read_text(encoding="utf-8")
    body = f"{mermaid(graph, labels)}\n## Minted terms\n\n{terms_table(graph)}"
    return f"{header}\n{body}"


def load(path: Path = EXOP_TTL) -> Graph:
    graph = Graph()
    graph.parse(path)
    return graph


def main() -> int:
    text = readme(load(), load(IMPORTS_TTL))
    atomic_write(README, text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
