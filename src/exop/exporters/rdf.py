"""The package in each RDF serialisation of the format registry, as one ontology.

Ontology, import module and data are one ontology here (one ``owl:Ontology`` header, no
``owl:imports``: :func:`exop.artefacts.package`), so OWL API and every other tool read the
same ontology from every serialisation, and the bytes are the same on every run
(:mod:`exop.rdfout`). Dataset formats (TriG, N-Quads) put it in the named graph that
``exop load`` writes, so a store loading the file gets the layout ``exop load`` gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exop import artefacts, formats, rdfout
from exop.exporters import SINGLE, Artifact, Exporter
from exop.namespaces import DEFAULT_GRAPH_IRI

if TYPE_CHECKING:
    from rdflib import Graph

    from exop.package import Package


def package_graph(package: Package) -> Graph:
    """What every RDF export writes: the package as one ontology (built once per package)."""
    return package.cached(
        "one-ontology", lambda: artefacts.package(package.ontology, package.data)
    )


def _nquads(graph: Graph) -> bytes:
    suffix = f" <{DEFAULT_GRAPH_IRI}> .\n"
    lines = rdfout.ntriples(graph).decode("utf-8").splitlines()
    return "".join(line[:-1].rstrip() + suffix for line in lines if line.strip()).encode()


def _trig(graph: Graph) -> bytes:
    body = rdfout.turtle(graph).decode("utf-8")
    prologue: list[str] = []
    statements: list[str] = []
    for line in body.splitlines():
        (prologue if line.startswith(("@prefix", "PREFIX", "@base", "BASE")) else
         statements).append(line)
    inner = "\n".join(f"  {line}" if line else "" for line in statements).rstrip()
    return ("\n".join(prologue) + f"\n\n<{DEFAULT_GRAPH_IRI}> {{\n{inner}\n}}\n").encode()


_WRITERS = {**rdfout.SERIALIZERS, "nquads": _nquads, "trig": _trig}


def _renderer(fmt: formats.Format) -> Exporter:
    def render(package: Package) -> Artifact:
        return {SINGLE: _WRITERS[fmt.name](package_graph(package))}

    return Exporter(
        name=fmt.name,
        summary=f"ontology, import module and data as one ontology, in {fmt.label}",
        render=render,
        suffix=fmt.suffix,
        media_type=fmt.media_type,
        triples=lambda package: len(package_graph(package)),
    )


EXPORTERS = tuple(_renderer(f) for f in formats.of_kind("rdf", "dataset") if f.name in _WRITERS)
