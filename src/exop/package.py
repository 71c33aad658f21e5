"""The package as one object: its graphs and a warm query store, each loaded once.

A :class:`Package` replaces hidden module-level caches: whoever needs the package's RDF
(an engine, an exporter, the site, the server) is handed a Package, or asks for the shared
default one with :func:`default_package`. Each part is loaded on first use, under a lock,
so concurrent readers (server threads) load it once and then only read it. Graphs and the
store must be treated as read-only by everyone who is handed them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph
from rdflib import Graph

from exop import graph as package_graph
from exop import resources

T = TypeVar("T")


class Package:
    """The package's ontology, data and shapes (rdflib) and a query store (Oxigraph)."""

    def __init__(
        self,
        ontology_files: Sequence[Path] | None = None,
        data_files: Sequence[Path] | None = None,
        shape_files: Sequence[Path] | None = None,
    ) -> None:
        self.ontology_files = tuple(
            resources.ontology_files() if ontology_files is None else ontology_files
        )
        self.data_files = tuple(resources.data_files() if data_files is None else data_files)
        self.shape_files = tuple(resources.shape_files() if shape_files is None else shape_files)
        self._lock = threading.RLock()
        self._parts: dict[str, object] = {}

    def cached(self, name: str, load: Callable[[], T]) -> T:
        """*load()*'s value, computed once per package (for what several users derive)."""
        return self._part(f"derived:{name}", load)

    def _part(self, name: str, load: Callable[[], T]) -> T:
        try:
            return self._parts[name]  # type: ignore[return-value]
        except KeyError:
            pass
        with self._lock:
            if name not in self._parts:
                self._parts[name] = load()
            return self._parts[name]  # type: ignore[return-value]

    @property
    def ontology(self) -> Graph:
        """The ontology and its import module, as one rdflib graph."""
        return self._part("ontology", lambda: package_graph.parse_files(self.ontology_files))

    @property
    def data(self) -> Graph:
        """The data, as one rdflib graph."""
        return self._part("data", lambda: package_graph.parse_files(self.data_files))

    @property
    def shapes(self) -> Graph:
        """The SHACL shapes, as one rdflib graph."""
        return self._part("shapes", lambda: package_graph.parse_files(self.shape_files))

    @property
    def union(self) -> Graph:
        """Ontology and data in one rdflib graph (what queries and exports see)."""
        return self._part("union", self._union)

    @property
    def store(self) -> pyoxigraph.Store:
        """An in-memory Oxigraph store with ontology and data in its default graph."""
        return self._part(
            "store", lambda: package_graph.load_store(self.ontology_files + self.data_files)
        )

    def _union(self) -> Graph:
        return package_graph.PackageGraph(self.ontology, self.data, None).union()


_default: Package | None = None
_default_lock = threading.Lock()


def default_package() -> Package:
    """The package as shipped, shared by everything in this process that does not pass one."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Package()
        return _default
