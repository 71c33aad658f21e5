"""The one canonical form of committed RDF files.

rdflib's ``longturtle`` serialisation with ``canon=True`` (blank nodes canonicalised,
statements sorted) was the only Turtle output measured byte-stable across runs with blank
nodes. Prefixes come from the EXOP prefix map; a file's own extra prefixes are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import resources
from exop.graph import parse_file
from exop.namespaces import PREFIXES, bind_prefixes
from exop.output import atomic_write

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
    for triple in graph:
        out.add(triple)
    text = out.serialize(format="longturtle", canon=True)
    return text if text.endswith("\n") else f"{text}\n"


def canonical_file_text(path: Path) -> str:
    """The canonical text of the Turtle file *path*."""
    return canonical_turtle(parse_file(path, "turtle", into=Graph(bind_namespaces="none")))


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
