"""Write the package (ontology and data) in a chosen RDF serialisation, atomically.

The package is one ontology: the import module merged in, one owl:Ontology header and no
owl:imports (exop.artefacts.package), so every tool reads the same ontology from every
serialisation. The bytes are stable across runs (exop.rdfout).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import artefacts, rdfout
from exop import graph as package_graph
from exop.errors import OutputError

EXPORT_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "nt": "nt",
    "xml": "xml",
    "jsonld": "json-ld",
}
"""Format name on the command line -> the rdflib parser that reads it back."""


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
        # mkstemp makes the file private; the result should be as readable as any new file
        # (or keep the mode of the file it replaces).
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(tmp_name).chmod(mode)
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
    return rdfout.SERIALIZERS[rdf_format](graph)


def export(
    path: Path | str, rdf_format: str = "turtle", graph: Graph | None = None
) -> ExportResult:
    """Write *graph* (default: the package's ontology and data as one ontology) to *path*
    atomically."""
    if graph is None:
        loaded = package_graph.load_package()
        target = artefacts.package(loaded.ontology, loaded.data)
    else:
        target = graph
    data = serialize(target, rdf_format)
    atomic_write(Path(path), data)
    return ExportResult(path=Path(path), format=rdf_format, triples=len(target), bytes=len(data))
