"""SHACL engines that decide conformance, as a registry, and how ``auto`` picks one.

An engine answers one question fast: do the data (with the ontology mixed in, as pySHACL
gets it) conform to the shapes, and if not, which focus nodes have results. The detailed
report stays pySHACL's (:mod:`exop.validation.detail`). A new engine is an object with a
``name``, ``unavailable()`` and ``check()``, given to :func:`register_engine`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node

from exop.errors import ExopError

BYTES_PER_TRIPLE = {"nt": 160, "nquads": 170}
"""Measured on the package's scaled N-Triples; other syntaxes (Turtle) come near
:data:`OTHER_BYTES_PER_TRIPLE` on the package's own files."""
OTHER_BYTES_PER_TRIPLE = 60


class EngineError(ExopError):
    """An engine could not run (missing, crashed, or could not read its input)."""


@dataclass(frozen=True)
class RdfSource:
    """One RDF input: a parsed rdflib graph, or files (with an optional parser name)."""

    graph: Graph | None = None
    files: tuple[Path, ...] = ()
    rdf_format: str | None = None
    """rdflib's parser name for all *files*; None: from each file's suffix."""
    _parsed: dict[str, Graph] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of_graph(cls, graph: Graph) -> RdfSource:
        return cls(graph=graph)

    @classmethod
    def of_files(cls, files: Iterable[Path | str], rdf_format: str | None = None) -> RdfSource:
        return cls(files=tuple(Path(p) for p in files), rdf_format=rdf_format)

    def formats(self) -> tuple[tuple[Path, str], ...]:
        """Each file with the rdflib parser name it is read with."""
        from exop.graph import rdf_format_for

        return tuple((p, self.rdf_format or rdf_format_for(p)) for p in self.files)

    def parsed(self) -> Graph:
        """The input as one rdflib graph (parsed once; raises RdfInputError if malformed)."""
        if self.graph is not None:
            return self.graph
        if "graph" not in self._parsed:
            from exop.graph import parse_files

            self._parsed["graph"] = parse_files(self.files, self.rdf_format)
        return self._parsed["graph"]

    def estimated_triples(self) -> int:
        """The number of triples, counted for a graph, estimated from file sizes otherwise."""
        if self.graph is not None:
            return len(self.graph)
        return sum(
            path.stat().st_size // BYTES_PER_TRIPLE.get(fmt, OTHER_BYTES_PER_TRIPLE)
            for path, fmt in self.formats()
        )


@dataclass(frozen=True)
class Verdict:
    """What a conformance engine found."""

    conforms: bool
    focus_nodes: frozenset[Node]
    """The focus nodes of the report's results (empty when the data conform)."""


class Engine(Protocol):
    """A SHACL engine that decides conformance of data + ontology against shapes."""

    @property
    def name(self) -> str: ...

    def unavailable(self) -> str | None:
        """Why the engine cannot run here (a sentence), or None when it can."""

    def check(self, data: RdfSource, ontology: RdfSource, shapes: RdfSource) -> Verdict:
        """Validate; raise EngineError when the engine cannot run or read its input."""


ENGINES: dict[str, Engine] = {}
"""Conformance engines by name, in registration order."""

PYSHACL = "pyshacl"
"""The engine that writes the detailed report; also selectable on its own."""

AUTO = "auto"

AUTO_PYRUDOF_MAX_TRIPLES = 60_000
"""``auto`` hands inputs up to this size to pyrudof and larger ones to Jena: measured on
the package's scaled inputs, pyrudof is faster below (0.3 s against Jena's 1.7 s on the
package) and Jena above (its start-up is paid back and it grows more slowly)."""


def register_engine(engine: Engine) -> Engine:
    """Add *engine* to :data:`ENGINES` under its name (replacing one of the same name)."""
    ENGINES[engine.name] = engine
    return engine


def engine_names() -> tuple[str, ...]:
    """Every engine a caller may ask for: ``auto``, pySHACL and the registered ones."""
    _load_builtin_engines()
    return (AUTO, PYSHACL, *ENGINES)


def _load_builtin_engines() -> None:
    from exop.validation import jena, rudof

    for engine in (rudof.ENGINE, jena.ENGINE):
        ENGINES.setdefault(engine.name, engine)


def choose_engine(requested: str, triples: int) -> str:
    """The engine to decide conformance: *requested*, or for ``auto`` one by size.

    ``auto`` takes pyrudof up to :data:`AUTO_PYRUDOF_MAX_TRIPLES` triples and Jena beyond,
    each only where it can run, falling back to the other, then to pySHACL.
    """
    names = engine_names()
    if requested not in names:
        raise ExopError(f"unknown SHACL engine {requested!r}; known: {', '.join(names)}")
    if requested != AUTO:
        return requested
    preference = ("pyrudof", "jena") if triples <= AUTO_PYRUDOF_MAX_TRIPLES else ("jena", "pyrudof")
    for name in preference:
        engine = ENGINES.get(name)
        if engine is not None and engine.unavailable() is None:
            return name
    return PYSHACL


def engine(name: str) -> Engine:
    """The registered engine *name*, or ExopError saying why it cannot run here."""
    _load_builtin_engines()
    found = ENGINES.get(name)
    if found is None:
        raise ExopError(f"unknown SHACL engine {name!r}; known: {', '.join(engine_names())}")
    why = found.unavailable()
    if why is not None:
        raise ExopError(f"SHACL engine {name} cannot run: {why}")
    return found

