"""A summary of the package: version, ontology IRIs, triple counts, findings, references.

Counted by Oxigraph's parser and the warm query store, so ``exop info`` parses nothing
with rdflib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from rdflib.namespace import OWL

from exop import formats, resources
from exop.catalog import query_ids
from exop.namespaces import FINDING, ONTOLOGY_IRI, REFERENCE_NUMBER

if TYPE_CHECKING:
    from exop.package import Package


@dataclass(frozen=True)
class Component:
    """One part of the package and its size."""

    name: str
    files: int
    triples: int


@dataclass(frozen=True)
class PackageInfo:
    """What ``exop info`` reports."""

    version: str
    ontology_iri: str
    version_iri: str | None
    version_info: str | None
    components: tuple[Component, ...]
    findings: int
    references: int
    queries: int


def _triples(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        fmt = getattr(pyoxigraph.RdfFormat, str(formats.for_suffix(path).oxigraph))
        total += sum(1 for _ in pyoxigraph.parse(path=str(path), format=fmt))
    return total


def _component(name: str, paths: Sequence[Path]) -> Component:
    return Component(name, len(paths), _triples(paths))


def _one(store: pyoxigraph.Store, query: str) -> str | None:
    for solution in store.query(query):  # type: ignore[union-attr]
        term = solution[0]
        return None if term is None else str(term.value)
    return None


def _count(store: pyoxigraph.Store, query: str) -> int:
    value = _one(store, query)
    return int(value) if value is not None else 0


def package_info(package: Package | None = None) -> PackageInfo:
    """Summarise *package* (default: the shipped one)."""
    from exop.package import default_package

    source = package or default_package()
    imports = tuple(p for p in source.ontology_files if resources.IMPORTS_DIR in p.parents)
    main_files = tuple(p for p in source.ontology_files if p not in imports)
    store = source.store
    about = f"<{ONTOLOGY_IRI}> <{OWL}"
    return PackageInfo(
        version=distribution_version("exop"),
        ontology_iri=str(ONTOLOGY_IRI),
        version_iri=_one(store, f"SELECT ?v WHERE {{ {about}versionIRI> ?v }}"),
        version_info=_one(store, f"SELECT ?v WHERE {{ {about}versionInfo> ?v }}"),
        components=(
            _component("ontology", main_files),
            _component("imports", imports),
            _component("data", source.data_files),
            _component("shapes", source.shape_files),
        ),
        findings=_count(store, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f a <{FINDING}> }}"),
        references=_count(
            store, f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r <{REFERENCE_NUMBER}> ?x }}"
        ),
        queries=len(query_ids()),
    )
