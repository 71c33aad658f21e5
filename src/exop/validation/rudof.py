"""pyrudof (rudof's SHACL engine, in Rust) as a conformance engine.

It reads the ontology and the data into one graph (``merge=True``), so that ``sh:class``
sees the class hierarchy as pySHACL does with its ontology graph. Files in syntaxes it
reads are handed over as they are, in strict mode (a syntax error fails, it is not
skipped); anything else goes through rdflib as N-Triples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from exop.validation.engines import EngineError, RdfSource, Verdict, register_engine

_RDF_FORMATS = {"turtle": "Turtle", "nt": "NTriples", "xml": "RdfXml"}
"""rdflib parser name -> pyrudof RDFFormat member, for files pyrudof reads itself."""


def _term(text: str) -> Node:
    """A focus node as pyrudof prints it: an IRI, ``_:label`` or a quoted literal."""
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        return Literal(text.strip('"'))  # only ever compared for being a literal
    return URIRef(text.strip("<>"))


def _read(rudof: Any, pyrudof: Any, source: RdfSource) -> None:
    if source.graph is not None:
        rudof.read_data(
            source.graph.serialize(format="nt"),
            format=pyrudof.RDFFormat.NTriples,
            reader_mode=pyrudof.ReaderMode.Strict,
            merge=True,
        )
        return
    for path, fmt in source.formats():
        member = _RDF_FORMATS.get(fmt)
        if member is None:
            _read(rudof, pyrudof, RdfSource.of_graph(RdfSource.of_files([path], fmt).parsed()))
            continue
        rudof.read_data(
            str(path),
            format=getattr(pyrudof.RDFFormat, member),
            base=path.resolve().as_uri(),  # as rdflib resolves relative IRIs
            reader_mode=pyrudof.ReaderMode.Strict,
            merge=True,
        )


def _read_shapes(rudof: Any, pyrudof: Any, shapes: RdfSource) -> None:
    turtle_files = [p for p, fmt in shapes.formats() if fmt == "turtle"]
    if shapes.graph is None and len(turtle_files) == 1 == len(shapes.files):
        rudof.read_shacl(str(turtle_files[0]), format=pyrudof.ShaclFormat.Turtle)
    else:
        text = shapes.parsed().serialize(format="nt")
        rudof.read_shacl(text, format=pyrudof.ShaclFormat.NTriples)


@dataclass(frozen=True)
class PyrudofEngine:
    """rudof's native SHACL validator through its Python bindings."""

    name: str = "pyrudof"

    def unavailable(self) -> str | None:
        try:
            import pyrudof  # noqa: F401
        except ImportError:
            return "pyrudof is not installed (pip install pyrudof)"
        return None

    def check(self, data: RdfSource, ontology: RdfSource, shapes: RdfSource) -> Verdict:
        import pyrudof

        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        try:
            _read(rudof, pyrudof, ontology)
            _read(rudof, pyrudof, data)
            _read_shapes(rudof, pyrudof, shapes)
            report = rudof.validate_shacl()
        except Exception as error:  # pyrudof raises its own exception types
            detail = " ".join(str(error).split())[:300]
            raise EngineError(f"pyrudof could not validate: {detail}") from error
        focus = frozenset(_term(str(entry.focus_node)) for entry in report)
        return Verdict(conforms=bool(report.conforms) and not focus, focus_nodes=focus)


ENGINE = register_engine(PyrudofEngine())
