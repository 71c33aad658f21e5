"""Per-IRI RDF slices, and byte-stable serialisations of any graph in the negotiated formats.

A slice is what a linked-data client needs about one IRI: every triple with it as subject
(with the blank nodes hanging from them, as in a concise bounded description), every
triple with it as object, and the names of all the nodes those triples mention, so a
client can show labels without fetching each neighbour.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from exop import formats
from exop.graph import PackageGraph
from exop.namespaces import PREFIXES, bind_prefixes
from exop.rdfout import relabelled
from exop.site.context import NAME_PREDICATES, SiteContext

Triple = tuple[Node, Node, Node]


def _described(graph: Graph, subject: Node, seen: set[Node]) -> Iterable[Triple]:
    """The triples of *subject*, following blank-node objects (and RDF lists) down."""
    seen.add(subject)
    for predicate, obj in graph.predicate_objects(subject):
        yield subject, predicate, obj
        if isinstance(obj, BNode) and obj not in seen:
            yield from _described(graph, obj, seen)


def rdf_slice(graphs: Graph | PackageGraph | SiteContext, iri: URIRef | str) -> Graph:
    """The triples about *iri* and the names of its neighbours, as a new graph.

    *graphs*: one graph, the package's graphs (ontology, data and, when loaded, shapes), or
    an indexed :class:`SiteContext`.
    """
    if isinstance(graphs, SiteContext):
        graph = graphs.graph
    elif isinstance(graphs, PackageGraph):
        graph = graphs.union()
        for triple in graphs.shapes if graphs.shapes is not None else ():
            graph.add(triple)
    else:
        graph = graphs
    node = URIRef(str(iri))
    triples: set[Triple] = set(_described(graph, node, set()))
    triples.update((s, p, node) for s, p in graph.subject_predicates(node))
    neighbours = {t for s, p, o in triples for t in (s, p, o) if isinstance(t, URIRef)}
    for neighbour in neighbours:
        for predicate in NAME_PREDICATES:
            for name in graph.objects(neighbour, predicate):
                triples.add((neighbour, predicate, name))
    return _graph_of(triples)


def _sort_key(triple: Triple) -> tuple[str, ...]:
    return tuple(f"{type(t).__name__}:{t}" for t in triple)


def _graph_of(triples: Iterable[Triple]) -> Graph:
    # SimpleMemory iterates in insertion order; rdflib's default store (Memory) iterates a
    # set, so its writers would emit nodes in hash order and bytes would change between runs.
    out = bind_prefixes(Graph(store="SimpleMemory"))
    for triple in sorted(triples, key=_sort_key):
        out.add(triple)
    return out


def canonical(graph: Graph) -> Graph:
    """A copy of *graph* with blank nodes named canonically and triples added in sorted order,
    so every serialiser writes the same bytes on every run."""
    return _graph_of(relabelled(graph))


def _jsonld_context(graph: Graph) -> dict[str, str]:
    used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    used |= {str(t.datatype) for triple in graph for t in triple
             if isinstance(t, Literal) and t.datatype is not None}
    return {prefix: namespace for prefix, namespace in sorted(PREFIXES.items())
            if any(iri.startswith(namespace) for iri in used)}


def _sorted_json(value: Any, in_list: bool = False) -> Any:
    """JSON-LD with every array but ``@list`` sorted: its arrays are sets, and rdflib fills
    them in hash order."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return items if in_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def serialize(graph: Graph, fmt: formats.Format) -> bytes:
    """*graph* in the RDF format *fmt*, byte-identical for equal graphs across runs.

    rdflib writes every format from the triples in sorted order; N-Triples lines are
    sorted, JSON-LD is compacted with the EXOP prefixes the graph uses and its arrays
    sorted. RDF/XML comes from rdflib's plain writer: the pretty one names elements after
    classes, which fails for classes such as HGNC:2200, and drops statements on list nodes.
    """
    if fmt.kind != "rdf" or fmt.rdflib is None:
        raise ValueError(f"{fmt.name} is not an RDF graph format")
    stable = canonical(graph)
    if fmt.name == "nt":
        text = stable.serialize(format="nt", encoding="utf-8").decode("utf-8")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    if fmt.name == "jsonld":
        text = stable.serialize(format="json-ld", context=_jsonld_context(stable))
        tidy = json.dumps(_sorted_json(json.loads(text)), indent=1, sort_keys=True,
                          ensure_ascii=False)
        return f"{tidy}\n".encode()
    writer = "xml" if fmt.name == "xml" else fmt.rdflib
    data = stable.serialize(format=writer, encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


def jsonld_for_html(graph: Graph) -> str:
    """JSON-LD text safe inside ``<script type="application/ld+json">``."""
    text = serialize(graph, formats.get("jsonld")).decode("utf-8")
    # "</script" or "<!--" in a literal would end or confuse the script element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rdflib_parser(fmt: formats.Format) -> str:
    """rdflib's parser for *fmt* (the registry names the writer: pretty-xml has no parser)."""
    return "xml" if fmt.name == "xml" else str(fmt.rdflib)


def parse_check(data: bytes, fmt: formats.Format) -> Graph:
    """Parse *data* as *fmt* (for tests and the server's self-checks)."""
    graph = Graph()
    if fmt.name == "jsonld":
        json.loads(data)
    graph.parse(data=data, format=rdflib_parser(fmt))
    return graph
