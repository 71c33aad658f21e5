"""pyrudof (rudof's SHACL engine, in Rust) as a conformance engine.

It reads the ontology and the data as one N-Triples graph
(:func:`~exop.validation.engines.write_ntriples`: given file by file, pyrudof would merge
blank nodes of the same label), so that ``sh:class`` sees the class hierarchy as pySHACL
does with its ontology graph; in strict mode, so a syntax error fails and is not skipped.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from exop.validation.engines import (
    EngineError,
    RdfSource,
    Verdict,
    register_engine,
    write_ntriples,
)


def _term(text: str) -> Node:
    """A focus node as pyrudof prints it: an IRI, ``_:label`` or a quoted literal."""
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        return Literal(text.strip('"'))  # only ever compared for being a literal
    return URIRef(text.strip("<>"))


def _read_shapes(rudof: Any, pyrudof: Any, shapes: RdfSource) -> None:
    turtle_files = [p for p, fmt in shapes.formats() if fmt == "turtle"]
    if shapes.graph is None and len(turtle_files) == 1 == len(shapes.files):
        rudof.read_shacl(str(turtle_files[0]), format=pyrudof.ShaclFormat.Turtle)
    else:
        # Several files (the packaged shapes are two) merged as N-Triples by Oxigraph:
        # through rdflib, exop validate of the package took 0.60 s as a process, now 0.48 s.
        merged = io.BytesIO()
        write_ntriples(merged, shapes)
        rudof.read_shacl(merged.getvalue().decode("utf-8"), format=pyrudof.ShaclFormat.NTriples)


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
            with tempfile.TemporaryDirectory(prefix="exop-rudof-") as scratch:
                merged = Path(scratch) / "data.nt"
                with merged.open("wb") as out:
                    write_ntriples(out, ontology, data)
                rudof.read_data(
                    str(merged),
                    format=pyrudof.RDFFormat.NTriples,
                    reader_mode=pyrudof.ReaderMode.Strict,
                )
            _read_shapes(rudof, pyrudof, shapes)
            report = rudof.validate_shacl()
        except Exception as error:  # pyrudof raises its own exception types
            detail = " ".join(str(error).split())[:300]
            raise EngineError(f"pyrudof could not validate: {detail}") from error
        entries = list(report)
        focus = frozenset(_term(str(entry.focus_node)) for entry in entries)
        return Verdict(
            conforms=bool(report.conforms) and not entries, results=len(entries), focus_nodes=focus
        )


ENGINE = register_engine(PyrudofEngine())
