"""Exporters: a registry of the forms the package is released in.

Every module of this package defines ``EXPORTERS``, a tuple of :class:`Exporter`, so a new
format (SSSOM, KGX, nanopublications, dataset descriptions) is a new module here, not an
edit elsewhere. An exporter renders a :class:`~exop.package.Package` into an
:data:`Artifact`: one file (the key ``""``) or several (relative paths), as bytes, so the
caller decides where and how they are written; :func:`export` writes them atomically.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exop.errors import FormatError, OutputError
from exop.output import atomic_write, atomic_write_tree

if TYPE_CHECKING:
    from exop.package import Package

Artifact = Mapping[str, bytes]
"""Relative file name -> content; the single key ``""`` for a one-file artifact."""

SINGLE = ""


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    name: str
    summary: str
    render: Callable[[Package], Artifact]
    suffix: str = ""
    """The suffix of a one-file artifact (empty for a folder of files)."""
    media_type: str | None = None
    triples: Callable[[Package], int] | None = None
    """How many triples the artifact holds, for exporters that write RDF."""

    @property
    def single_file(self) -> bool:
        """True when the artifact is one file (written to a file, not a folder)."""
        return bool(self.suffix)


@dataclass(frozen=True)
class ExportResult:
    """What was written where."""

    path: Path
    format: str
    files: int
    bytes: int
    triples: int | None = None
    """Triples written, for RDF formats."""


@functools.cache
def exporters() -> Mapping[str, Exporter]:
    """Every exporter by name, in the order modules and their tuples list them."""
    found: dict[str, Exporter] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        for exporter in importlib.import_module(f"{__name__}.{module.name}").EXPORTERS:
            if exporter.name in found:
                raise RuntimeError(f"two exporters are called {exporter.name!r}")
            found[exporter.name] = exporter
    return found


def exporter_names() -> tuple[str, ...]:
    """The names of all export formats (RDF serialisations first)."""
    return tuple(exporters())


def get_exporter(name: str) -> Exporter:
    """The exporter called *name*; FormatError with the known names otherwise."""
    try:
        return exporters()[name]
    except KeyError:
        raise FormatError(what="export format", value=name, allowed=exporter_names()) from None


def export(
    path: Path | str,
    rdf_format: str = "turtle",
    package: Package | None = None,
) -> ExportResult:
    """Write the package (default: the shipped one) in format *rdf_format* to *path*.

    One-file formats go to the file *path*, written atomically; multi-file formats to the
    folder *path*, replaced as a whole.
    """
    from exop.package import default_package

    exporter = get_exporter(rdf_format)
    source = package or default_package()
    artifact = exporter.render(source)
    target = Path(path)
    if str(path) == "-" and not exporter.single_file:
        raise OutputError(f"{exporter.name} writes several files: give a folder, not -",
                          what="output", value="-")
    if exporter.single_file:
        atomic_write(target, artifact[SINGLE])
    else:
        atomic_write_tree(target, artifact)
    triples = exporter.triples(source) if exporter.triples is not None else None
    return ExportResult(path=target, format=exporter.name, files=len(artifact),
                        bytes=sum(len(d) for d in artifact.values()), triples=triples)
