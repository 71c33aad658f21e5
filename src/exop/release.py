"""Write the release files of EXOP into a folder, the way ODK ontologies publish them.

Every file is built in memory first and then written atomically, so a failure leaves no
half-written file. The output depends only on the packaged files, the package version and
:data:`RELEASE_DATE`, so rebuilding a release gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version as distribution_version
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import Graph

from exop import artefacts, rdfout, resources
from exop import graph as package_graph
from exop.errors import OutputError
from exop.namespaces import IMPORTS_IRI, ONTOLOGY_IRI
from exop.output import atomic_write

RELEASE_DATE = "2026-12-01"
"""The date of the release of the current package version (dcterms:issued of every
header). The one place it lives: change it together with the version in pyproject.toml."""

CATALOG_NAME = "catalog-v001.xml"
CATALOG_COMMAND = "python tools/write_catalog.py"
"""Regenerates ontology/catalog-v001.xml."""

ONTOLOGY_FORMATS = {"owl": "xml", "ttl": "turtle"}
DATA_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "jsonld"}


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release."""

    path: Path
    artefact: str
    """exop (full), exop-base, exop-imports, exop-data, exop-package or catalog."""
    format: str
    ontology_iri: str | None
    version_iri: str | None
    triples: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ReleaseResult:
    """What ``release`` wrote."""

    directory: Path
    version: str
    date: str
    files: tuple[ReleaseFile, ...]


@dataclass(frozen=True)
class _Inputs:
    main: Graph
    imports: Graph
    ontology: Graph
    data: Graph


def _inputs() -> _Inputs:
    files = resources.ontology_files()
    main = package_graph.parse_file(resources.ONTOLOGY_FILE)
    imports = package_graph.parse_files(p for p in files if p != resources.ONTOLOGY_FILE)
    ontology = package_graph.parse_files(files)
    return _Inputs(main, imports, ontology, package_graph.load_data())


_Builder = Callable[[_Inputs, artefacts.Release], Graph]

ARTEFACTS: Mapping[str, tuple[_Builder, Mapping[str, str]]] = {
    "exop": (lambda i, r: artefacts.full_ontology(i.ontology, r), ONTOLOGY_FORMATS),
    "exop-base": (lambda i, r: artefacts.base_ontology(i.main, i.imports, r), ONTOLOGY_FORMATS),
    "exop-imports": (
        lambda i, r: artefacts.imports_module(i.imports, i.main, r), ONTOLOGY_FORMATS
    ),
    "exop-data": (lambda i, r: artefacts.data_module(i.data, r), DATA_FORMATS),
    "exop-package": (lambda i, r: artefacts.package(i.ontology, i.data, r), DATA_FORMATS),
}
"""Artefact name -> (graph builder, file suffix -> export format). Each module's file in
RDF/XML (.owl) is the one the catalog maps its IRIs to."""

_CATALOG_TARGETS = {
    ONTOLOGY_IRI: "exop.owl",
    artefacts.BASE_MODULE_IRI: "exop-base.owl",
    IMPORTS_IRI: "exop-imports.owl",
    artefacts.DATA_MODULE_IRI: "exop-data.rdf",
    artefacts.PACKAGE_IRI: "exop-package.rdf",
}


def catalog_xml(mapping: Mapping[str, str]) -> str:
    """An OASIS XML catalog (the catalog-v001.xml that Protégé and ROBOT read) mapping each
    IRI of *mapping* to its file, relative to the catalog."""
    rows = "".join(
        f"    <uri name={quoteattr(iri)} uri={quoteattr(target)}/>\n"
        for iri, target in sorted(mapping.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f"{rows}</catalog>\n"
    )


def repository_catalog() -> str:
    """ontology/catalog-v001.xml: the import of exop.ttl resolved to the committed module."""
    return catalog_xml({str(IMPORTS_IRI): "imports/exop-imports.ttl"})


def release_catalog(version: str) -> str:
    """The release's catalog: each module's stable and version IRI to its RDF/XML file."""
    mapping: dict[str, str] = {}
    for iri, target in _CATALOG_TARGETS.items():
        mapping[str(iri)] = target
        mapping[str(artefacts.version_iri(iri, version))] = target
    return catalog_xml(mapping)


def _prepare_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{directory}: cannot create folder: {error.strerror}") from error


def release(directory: Path | str, *, date: str = RELEASE_DATE) -> ReleaseResult:
    """Write every release file into *directory* (created if missing); see ARTEFACTS."""
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    version = distribution_version("exop")
    stamp = artefacts.Release(version=version, date=date)
    inputs = _inputs()
    planned: list[tuple[ReleaseFile, bytes]] = []
    for name, (build, formats) in ARTEFACTS.items():
        graph = build(inputs, stamp)
        iri, version_iri = artefacts.header_of(graph)
        labelled = rdfout.canonical(graph)
        for suffix, rdf_format in formats.items():
            data = rdfout.SERIALIZERS[rdf_format](labelled)
            planned.append((ReleaseFile(
                path=folder / f"{name}.{suffix}", artefact=name, format=rdf_format,
                ontology_iri=str(iri) if iri else None,
                version_iri=str(version_iri) if version_iri else None,
                triples=len(graph), bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
            ), data))
    catalog = release_catalog(version).encode("utf-8")
    planned.append((ReleaseFile(
        path=folder / CATALOG_NAME, artefact="catalog", format="xml-catalog", ontology_iri=None,
        version_iri=None, triples=0, bytes=len(catalog),
        sha256=hashlib.sha256(catalog).hexdigest(),
    ), catalog))
    _prepare_folder(folder)
    for file, data in planned:
        atomic_write(file.path, data)
    return ReleaseResult(
        directory=folder, version=version, date=date, files=tuple(f for f, _ in planned)
    )
