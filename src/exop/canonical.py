"""The one canonical form of committed RDF files.

rdflib's ``longturtle`` serialisation of a graph whose blank nodes carry canonical names
(RDFC-1.0, :func:`exop.rdfout.canonical_triples`) and whose triples are added in sorted order: the
writer sorts subjects, predicates and objects, so the bytes depend on the graph alone.
(``canon=True`` does the same with rdflib's own labelling, which took 73 s on the import
module.) Prefixes come from the EXOP prefix map; a file's own extra prefixes are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import formats, resources
from exop.errors import RdfInputError
from exop.graph import parse_file
from exop.namespaces import PREFIXES, bind_prefixes
from exop.output import atomic_write
from exop.rdfout import canonical_triples

FIX_COMMAND = "exop fmt"


@dataclass(frozen=True)
class FormatResult:
    """Which files were looked at and which were (or, with check, would be) rewritten."""

    checked: tuple[Path, ...]
    changed: tuple[Path, ...]
    check: bool


def canonical_turtle(graph: Graph) -> str:
    """*graph* as canonical longturtle text, with EXOP's prefixes."""
    out = Graph(bind_namespaces="none")
    bind_prefixes(out)
    for prefix, namespace in graph.namespaces():
        if prefix and prefix not in PREFIXES and str(namespace) not in PREFIXES.values():
            out.bind(prefix, namespace, override=False)
    for triple in canonical_triples(graph):
        out.add(triple)
    text = out.serialize(format="longturtle")
    return text if text.endswith("\n") else f"{text}\n"


def canonical_ntriples(graph: Graph) -> str:
    """*graph* as N-Triples, one line per triple, sorted, blank nodes labelled stably."""
    from exop.rdfout import ntriples

    return ntriples(graph).decode("utf-8")


CANONICAL_WRITERS = {"turtle": canonical_turtle, "nt": canonical_ntriples}
"""The formats ``exop fmt`` keeps canonical, by format name, with their writer."""


def canonical_file_text(path: Path) -> str:
    """The canonical text of *path*, in the format its suffix names (Turtle or N-Triples)."""
    fmt = formats.for_suffix(path)
    writer = CANONICAL_WRITERS.get(fmt.name)
    if writer is None:
        known = ", ".join(s for f in formats.FORMATS if f.name in CANONICAL_WRITERS
                          for s in f.suffixes)
        raise RdfInputError(
            f"{path}: exop fmt keeps {known} files canonical, not {fmt.label} ({path.suffix})",
            what="file suffix", value=path.suffix,
        )
    graph = parse_file(path, str(fmt.rdflib), into=Graph(bind_namespaces="none"))
    return writer(graph)


def format_files(paths: Iterable[Path] | None = None, *, check: bool = False) -> FormatResult:
    """Rewrite (or with *check*, only compare) RDF files in canonical form.

    *paths* defaults to every committed RDF file (ontology/, shapes/, data/).
    """
    files = tuple(paths) if paths is not None else resources.rdf_source_files()
    changed: list[Path] = []
    for path in files:
        canonical = canonical_file_text(path)
        if path.read_text(encoding="utf-8") != canonical:
            changed.append(path)
            if not check:
                atomic_write(path, canonical.encode("utf-8"))
    return FormatResult(checked=files, changed=tuple(changed), check=check)
