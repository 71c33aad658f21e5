"""The one canonical form of committed RDF files.

rdflib's ``longturtle`` serialisation with ``canon=True`` (blank nodes canonicalised,
statements sorted) was the only Turtle output measured byte-stable across runs with blank
nodes. Prefixes come from the EXOP prefix map; a file's own extra prefixes are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from exop import formats, resources
from exop.errors import RdfInputError
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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _term_key(term: Node, labels: Mapping[BNode, str]) -> str:
    return f"_:{labels[term]}" if isinstance(term, BNode) else term.n3()


def stable_blank_labels(graph: Graph, rounds: int = 4) -> dict[BNode, str]:
    """A label for each blank node that depends only on the graph, not on parse order.

    Each blank node starts from what surrounds it (its properties and values, and who
    points at it with which property, blank neighbours unnamed), and each round folds in
    the neighbours' labels (colour refinement). EXOP's blank nodes are OWL restrictions
    and lists, which this tells apart in a few rounds; nodes it cannot tell apart are
    interchangeable in the graph, so which gets which label does not change the output.
    A full canonicalisation (rdflib.compare) gives the same guarantee in general but took
    2.6 s on the package, against about 0.1 s for this.
    """
    blanks = sorted({t for triple in graph for t in triple if isinstance(t, BNode)})
    if not blanks:
        return {}
    out_edges: dict[BNode, list[tuple[Node, Node]]] = {b: [] for b in blanks}
    in_edges: dict[BNode, list[tuple[Node, Node]]] = {b: [] for b in blanks}
    for s, p, o in graph:
        if isinstance(s, BNode):
            out_edges[s].append((p, o))
        if isinstance(o, BNode):
            in_edges[o].append((s, p))
    labels = {b: "" for b in blanks}
    for _ in range(rounds):
        labels = {
            b: _digest(
                labels[b],
                *sorted(f"{p.n3()} {_term_key(o, labels)}" for p, o in out_edges[b]),
                "<-",
                *sorted(f"{_term_key(s, labels)} {p.n3()}" for s, p in in_edges[b]),
            )
            for b in blanks
        }
    ordered = sorted(blanks, key=lambda b: labels[b])
    return {b: f"b{i}" for i, b in enumerate(ordered)}


def stable_graph(graph: Graph) -> Graph:
    """*graph* with :func:`stable_blank_labels`, its triples added in sorted order.

    rdflib's serializers write triples in the order the store iterates them and blank
    nodes under labels drawn at parse time, so the same graph came out differently on
    every run; this copy serialises the same way every time.
    """
    labels = stable_blank_labels(graph)

    def relabel(term: Node) -> Node:
        return BNode(labels[term]) if isinstance(term, BNode) else term

    triples = sorted(
        ((relabel(s), relabel(p), relabel(o)) for s, p, o in graph),
        key=lambda t: tuple(x.n3() for x in t),
    )
    out = bind_prefixes(Graph())
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=False)
    for triple in triples:
        out.add(triple)
    return out


def ntriples_lines(graph: Graph) -> list[str]:
    """The N-Triples lines of *graph* with stable blank-node labels, sorted."""
    text = stable_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line for line in text.splitlines() if line.strip()})


def canonical_ntriples(graph: Graph) -> str:
    """*graph* as N-Triples, one line per triple, sorted, blank nodes labelled stably."""
    return "".join(f"{line}\n" for line in ntriples_lines(graph))


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
