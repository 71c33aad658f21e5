"""The package's ontology and data in each RDF serialisation of the format registry.

Graph formats write the union of ontology and data; dataset formats (TriG, N-Quads) put it
in the named graph that ``exop load`` writes, so a store loading the file gets the same
layout as one loaded with ``exop load``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rdflib import Dataset

from exop import formats
from exop.canonical import ntriples_lines, stable_graph
from exop.exporters import SINGLE, Artifact, Exporter
from exop.namespaces import DEFAULT_GRAPH_IRI, PREFIXES, bind_prefixes
from exop.rdfxml import write_rdfxml

if TYPE_CHECKING:
    from exop.package import Package


def _renderer(fmt: formats.Format) -> Exporter:
    def render(package: Package) -> Artifact:
        graph = stable_graph(package.union)
        if fmt.name == "nt":
            return {SINGLE: "".join(f"{line}\n" for line in ntriples_lines(graph)).encode()}
        if fmt.name == "nquads":
            graph_term = f"<{DEFAULT_GRAPH_IRI}>"
            lines = (f"{line[:-1].rstrip()} {graph_term} .\n" for line in ntriples_lines(graph))
            return {SINGLE: "".join(lines).encode()}
        if fmt.name == "xml":
            return {SINGLE: write_rdfxml(graph, PREFIXES)}
        if fmt.kind == "dataset":
            dataset = Dataset()
            named = bind_prefixes(dataset.graph(DEFAULT_GRAPH_IRI))
            for triple in graph:
                named.add(triple)
            return {SINGLE: dataset.serialize(format=str(fmt.writer), encoding="utf-8")}
        if fmt.name == "jsonld":
            data = graph.serialize(format="json-ld", encoding="utf-8", context=_context())
            return {SINGLE: _sorted_json(data)}
        return {SINGLE: graph.serialize(format=str(fmt.writer), encoding="utf-8")}

    return Exporter(
        name=fmt.name,
        summary=f"ontology and data as {fmt.label}",
        render=render,
        suffix=fmt.suffix,
        media_type=fmt.media_type,
    )


EXPORTERS = tuple(_renderer(f) for f in formats.of_kind("rdf", "dataset") if f.name != "n3")


def _sort_values(node: Any) -> Any:
    """JSON-LD with arrays in a stable order (arrays are unordered unless in @list)."""
    if isinstance(node, dict):
        return {k: (v if k == "@list" else _sort_values(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sort_values(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def _sorted_json(data: bytes) -> bytes:
    document = _sort_values(json.loads(data))
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _context() -> dict[str, str]:
    """The JSON-LD @context: EXOP's one prefix map."""
    return dict(PREFIXES)
