"""SHACL engines that decide conformance, as a registry, and how ``auto`` picks one.

An engine answers one question fast: do the data (with the ontology mixed in, as pySHACL
gets it) conform to the shapes, and if not, which focus nodes have results. The detailed
report stays pySHACL's (:mod:`exop.validation.detail`). A new engine is an object with a
``name``, ``unavailable()`` and ``check()``, given to :func:`register_engine`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph
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

    def prefix_graph(self) -> Graph:
        """A graph bound to the prefixes the parsed input has (it may hold no triples).

        Turtle files' prefixes are read with Oxigraph's parser, ten times faster than
        rdflib's, and bound as rdflib's Turtle parser binds them after parsing.
        """
        formats = self.formats()
        if self.graph is not None or not formats or any(f != "turtle" for _, f in formats):
            return self.parsed()
        from exop.namespaces import bind_prefixes

        graph = bind_prefixes(Graph())
        for path, _ in formats:
            parser = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
            for _ in parser:
                pass
            for prefix, namespace in parser.prefixes.items():
                graph.bind(prefix, namespace)
        return graph

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
    results: int
    """How many results the engine's report has (nested sh:detail results not counted)."""
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


# -- one N-Triples input for engines that read one graph -------------------------------------
#
# Engines read the ontology and the data as one graph. Written as one N-Triples stream, a
# blank node label means one node throughout, so each file's (and each graph's) blank nodes
# get fresh random labels on the way; only the last part, when it is a single N-Triples
# file, is copied byte for byte (its labels cannot meet the fresh 128-bit random ones).
# pyrudof, given files one by one with merge=True, would merge ``_:x`` of two files.

_OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _write_file(out: BinaryIO, path: Path, fmt: str) -> None:
    ox_format = _OXIGRAPH_FORMATS.get(fmt)
    if ox_format is None:
        out.write(RdfSource.of_files([path], fmt).parsed().serialize(format="nt", encoding="utf-8"))
        return
    # Fresh blank node ids per file keep the files' blank nodes apart, as a merge must;
    # renaming in Oxigraph's parser is twice as fast as relabelling each triple in Python.
    quads = pyoxigraph.parse(
        path=str(path), format=ox_format, base_iri=path.resolve().as_uri(),
        rename_blank_nodes=True,
    )
    pyoxigraph.serialize(quads, out, pyoxigraph.RdfFormat.N_TRIPLES)


def _write_source(out: BinaryIO, source: RdfSource, raw_copy: bool) -> None:
    if source.graph is not None:
        out.write(source.graph.serialize(format="nt", encoding="utf-8"))
        return
    files = source.formats()
    if raw_copy and len(files) == 1 and files[0][1] == "nt":
        with files[0][0].open("rb") as data:
            shutil.copyfileobj(data, out, 1 << 20)
        out.write(b"\n")
        return
    for path, fmt in files:
        _write_file(out, path, fmt)


def write_ntriples(out: BinaryIO, *sources: RdfSource) -> None:
    """Write *sources* to *out* as one N-Triples graph (blank nodes kept apart)."""
    for index, source in enumerate(sources):
        _write_source(out, source, raw_copy=index == len(sources) - 1)
