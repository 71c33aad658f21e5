"""Write the package (ontology and data) in a chosen RDF serialisation, atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import graph as package_graph
from exop.errors import OutputError

EXPORT_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "nt": "nt",
    "xml": "xml",
    "jsonld": "json-ld",
}
"""Format name on the command line -> rdflib serializer."""


@dataclass(frozen=True)
class ExportResult:
    """What was written where."""

    path: Path
    format: str
    triples: int
    bytes: int


def atomic_write(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder and a rename.

    Either the whole new file is there afterwards, or the old one (or none) is.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(tmp_name).replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error


def serialize(graph: Graph, rdf_format: str) -> bytes:
    """*graph* in *rdf_format* (one of :data:`EXPORT_FORMATS`) as UTF-8 bytes."""
    if rdf_format not in EXPORT_FORMATS:
        known = ", ".join(EXPORT_FORMATS)
        raise OutputError(f"unknown export format {rdf_format!r}; use one of: {known}")
    return graph.serialize(format=EXPORT_FORMATS[rdf_format], encoding="utf-8")


def export(
    path: Path | str, rdf_format: str = "turtle", graph: Graph | None = None
) -> ExportResult:
    """Write *graph* (default: the package's ontology and data) to *path* atomically."""
    target = graph if graph is not None else package_graph.load_package().union()
    data = serialize(target, rdf_format)
    atomic_write(Path(path), data)
    return ExportResult(path=Path(path), format=rdf_format, triples=len(target), bytes=len(data))
