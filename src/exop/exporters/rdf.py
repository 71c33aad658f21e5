"""The package's ontology and data in each RDF serialisation of the format registry.

Graph formats write the union of ontology and data; dataset formats (TriG, N-Quads) put it
in the named graph that ``exop load`` writes, so a store loading the file gets the same
layout as one loaded with ``exop load``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Dataset

from exop import formats
from exop.exporters import SINGLE, Artifact, Exporter
from exop.namespaces import DEFAULT_GRAPH_IRI, bind_prefixes

if TYPE_CHECKING:
    from exop.package import Package


def _renderer(fmt: formats.Format) -> Exporter:
    def render(package: Package) -> Artifact:
        if fmt.kind == "dataset":
            dataset = Dataset()
            named = bind_prefixes(dataset.graph(DEFAULT_GRAPH_IRI))
            for triple in package.union:
                named.add(triple)
            return {SINGLE: dataset.serialize(format=str(fmt.writer), encoding="utf-8")}
        return {SINGLE: package.union.serialize(format=str(fmt.writer), encoding="utf-8")}

    return Exporter(
        name=fmt.name,
        summary=f"ontology and data as {fmt.label}",
        render=render,
        suffix=fmt.suffix,
        media_type=fmt.media_type,
    )


EXPORTERS = tuple(_renderer(f) for f in formats.of_kind("rdf", "dataset") if f.name != "n3")
