"""Deterministic scaled inputs: the package's findings replicated N times with fresh IRIs.

Size N is the real package (ontology, imports and data) plus N - 1 replicas of its
findings layer. A replica copies every triple whose subject is a finding or a node that
only findings use (exosome preparations, experimental systems, treatments), renames each
of those nodes by appending ``-r<k>`` to its IRI and marks its ``rdfs:label`` with
`` [r<k>]`` (so label-based QC queries do not meet N copies of one label). Everything a
replica points at that is shared (cells, genes, outcomes, references, sections, the
ontology) keeps its IRI, as a second review citing the same biology would.

Output is N-Triples, sorted, so the same N always gives the same bytes; N-Triples is also
valid Turtle, so one file feeds every parser.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.serializers.nt import _quoteLiteral

from exop import graph as package_graph
from exop.namespaces import PREFIXES
from exop.rdfout import relabelled

EXOP = PREFIXES["exop"]
REPLICATED_CLASSES: tuple[URIRef, ...] = tuple(
    URIRef(EXOP + name)
    for name in ("Finding", "ExosomePreparation", "ExperimentalSystem", "Treatment",
                 "TitleStatement", "MechanismChain")
)
"""Instances of these classes are the findings-specific nodes each replica renames (a chain
with its steps, so that each replica's steps belong to exactly one chain, as a shape
requires)."""

_MARK = "\x00"  # cannot occur in N-Triples (it would be escaped), so it is a safe placeholder


def replica_suffix(k: int) -> str:
    """The IRI suffix of replica *k* (k >= 1; replica 0 is the package itself)."""
    return f"-r{k}"


def replica_iri(node: URIRef, k: int) -> URIRef:
    """The fresh IRI of *node* in replica *k*."""
    return URIRef(f"{node}{replica_suffix(k)}")


def replica_label(label: str, k: int) -> str:
    """The rdfs:label of a renamed node in replica *k*."""
    return f"{label} [r{k}]"


def replicated_nodes(data: Graph) -> frozenset[URIRef]:
    """The findings-specific nodes of *data*: every instance of :data:`REPLICATED_CLASSES`."""
    return frozenset(
        node
        for cls in REPLICATED_CLASSES
        for node in data.subjects(RDF.type, cls)
        if isinstance(node, URIRef)
    )


def _nt_term(term: object) -> str:
    if isinstance(term, Literal):
        return _quoteLiteral(term)
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):  # only in canonical graphs (see _nt_lines): stable labels
        return f"_:{term}"
    raise ValueError(f"unexpected RDF term: {term!r}")


def _template_term(term: object, nodes: frozenset[URIRef]) -> str:
    if isinstance(term, BNode):
        raise ValueError("a finding-specific triple has a blank node; replicas would share it")
    if isinstance(term, URIRef) and term in nodes:
        return f"<{term}{_MARK}>"
    return _nt_term(term)


def _template_line(triple: tuple[object, object, object], nodes: frozenset[URIRef]) -> str:
    s, p, o = triple
    if p == RDFS.label and isinstance(o, Literal):
        o = Literal(f"{o}{_MARK}", lang=o.language, datatype=o.datatype)
    return " ".join(_template_term(t, nodes) for t in (s, p, o)) + " .\n"


@dataclass(frozen=True)
class Template:
    """The package as N-Triples lines, and the replica pattern with placeholders."""

    base: tuple[str, ...]
    """The real package (ontology, imports, data), sorted N-Triples lines."""
    data_base: tuple[str, ...]
    """The real package's data only (what ``exop validate`` checks), sorted."""
    replica: tuple[str, ...]
    """One replica's lines, with a placeholder where the replica number goes."""
    nodes: frozenset[URIRef]

    @property
    def base_triples(self) -> int:
        return len(self.base)

    @property
    def replica_triples(self) -> int:
        return len(self.replica)

    def triples(self, n: int) -> int:
        """How many triples size *n* has."""
        return self.base_triples + (n - 1) * self.replica_triples

    def size_for(self, triples: int) -> int:
        """The smallest N whose size reaches *triples*."""
        extra = max(0, triples - self.base_triples)
        return 1 + math.ceil(extra / self.replica_triples)

    def replica_lines(self, k: int) -> Iterator[str]:
        """The N-Triples lines of replica *k* (k >= 1)."""
        if k < 1:
            raise ValueError("replica numbers start at 1 (0 is the package itself)")
        iri_suffix, label_suffix = replica_suffix(k), f" [r{k}]"
        for line in self.replica:
            # IRIs end the placeholder with '>', labels with '"'; rename each accordingly.
            yield line.replace(f"{_MARK}>", f"{iri_suffix}>").replace(_MARK, label_suffix)

    def lines(self, n: int, data_only: bool = False) -> Iterator[str]:
        """All N-Triples lines of size *n*: the package, then replicas 1 .. n - 1.

        With *data_only*, the package's data without ontology and imports.
        """
        if n < 1:
            raise ValueError("size N starts at 1 (the package itself)")
        yield from self.data_base if data_only else self.base
        for k in range(1, n):
            yield from self.replica_lines(k)


def _nt_lines(graph: Graph) -> list[str]:
    """Sorted N-Triples lines; blank nodes (OWL axioms) get content-derived labels."""
    return sorted(" ".join(_nt_term(t) for t in triple) + " .\n" for triple in relabelled(graph))


def build_template(ontology: Graph, data: Graph) -> Template:
    """The template for the package made of *ontology* and *data*."""
    nodes = replicated_nodes(data)
    # One labelling over both: RDFC-1.0 names the blank nodes of each graph from c14n0 up.
    base = _nt_lines(ontology + data)
    replica = sorted(_template_line(triple, nodes) for triple in data if triple[0] in nodes)
    return Template(
        base=tuple(base),
        data_base=tuple(_nt_lines(data)),
        replica=tuple(replica),
        nodes=nodes,
    )


@functools.lru_cache(maxsize=1)
def package_template() -> Template:
    """The template of the installed package."""
    parts = package_graph.load_package()
    return build_template(parts.ontology, parts.data)


@dataclass(frozen=True)
class ScaledInput:
    """One scaled input on disk."""

    n: int
    path: Path
    """N-Triples (also valid Turtle) with ontology, data and the replicas."""
    data_path: Path
    """The same without ontology and imports: the data graph ``exop validate`` checks."""
    triples: int
    data_triples: int
    sha256: str


def write_lines(lines: Iterable[str], path: Path) -> tuple[int, str]:
    """Write *lines* to *path*; return how many and the SHA-256 of the bytes."""
    digest = hashlib.sha256()
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            count += 1
            if len(buffer) >= 50_000:
                chunk = "".join(buffer)
                out.write(chunk)
                digest.update(chunk.encode("utf-8"))
                buffer.clear()
        chunk = "".join(buffer)
        out.write(chunk)
        digest.update(chunk.encode("utf-8"))
    return count, digest.hexdigest()


def write_scaled(n: int, folder: Path, template: Template | None = None) -> ScaledInput:
    """Write size *n* to ``folder/exop-x<n>.nt`` and its data to ``exop-x<n>-data.nt``."""
    template = template or package_template()
    folder.mkdir(parents=True, exist_ok=True)
    path, data_path = folder / f"exop-x{n}.nt", folder / f"exop-x{n}-data.nt"
    count, digest = write_lines(template.lines(n), path)
    data_count, _ = write_lines(template.lines(n, data_only=True), data_path)
    return ScaledInput(
        n=n, path=path, data_path=data_path, triples=count, data_triples=data_count, sha256=digest
    )


def default_sizes(template: Template, max_triples: int = 1_000_000) -> tuple[int, ...]:
    """1, 10, 100 and the N that reaches about *max_triples*."""
    largest = template.size_for(max_triples)
    return tuple(sorted({n for n in (1, 10, 100) if n < largest} | {largest}))
