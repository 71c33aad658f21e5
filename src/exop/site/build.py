"""Write the whole static site: pages, RDF slices, release artefacts, catalogue, VoID, 404.

The site is built in a temporary folder beside the target and swapped in at the end, so a
failed build leaves the previous site whole. Everything written is a function of the
package alone (sorted, canonical blank nodes), so a rebuild is byte-identical.

Release artefacts are a registry (:data:`DEFAULT_ARTEFACTS`): each is a name and a function
from the package to a graph, written in every RDF format under each release tree; a
release command can pass more with ``build_site(..., artefacts=DEFAULT_ARTEFACTS + extra)``.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exop import resources
from exop.errors import OutputError
from exop.graph import parse_files
from exop.site import paths
from exop.site.catalogue import not_found_page, queries_page
from exop.site.context import SiteContext
from exop.site.html import page
from exop.site.pages import renderer_for
from exop.site.slices import serialize
from exop.site.void import dump_size, void_graph

RESERVED_FILES = frozenset({"index", "queries", "void", "exop", "imports", "404"})
"""Stems the site writes at the top of a tree, so no term may be named so."""


@dataclass(frozen=True)
class Artefact:
    """A release file set: ``<stem>.{ttl,nt,rdf,jsonld}`` in each release tree."""

    stem: str
    title: str
    graph: Callable[[SiteContext], Graph]


def _union(context: SiteContext) -> Graph:
    merged = Graph()
    for part in (context.ontology, context.data):
        for triple in part:
            merged.add(triple)
    return merged


DEFAULT_ARTEFACTS: tuple[Artefact, ...] = (
    Artefact("ontology", "the ontology (ontology/exop.ttl)",
             lambda _: parse_files((resources.ONTOLOGY_FILE,))),
    Artefact("imports", "the import module (ontology/imports/)",
             lambda _: parse_files(sorted(resources.IMPORTS_DIR.glob("*.ttl")))),
    Artefact("shapes", "the SHACL shapes (shapes/)", lambda c: c.shapes),
    Artefact("exop", "ontology, import module and data: what exop load puts in the graph",
             _union),
)


@dataclass(frozen=True)
class SiteResult:
    """What a build wrote."""

    root: Path
    pages: int
    files: int
    bytes: int
    trees: tuple[str, ...]


class _Tree:
    """The files of one release tree, in memory until the build is complete."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, name: str, data: bytes | str) -> None:
        if name in self.files:
            raise OutputError(f"two site files would be written at {name}")
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data


def _check_names(context: SiteContext) -> None:
    for iri in context.minted():
        if paths.family(str(iri)) == "term" and paths.iri_path(str(iri)) in RESERVED_FILES:
            raise OutputError(f"term {iri} would overwrite a file of the site")


def build_tree(context: SiteContext,
               artefacts: Sequence[Artefact] = DEFAULT_ARTEFACTS) -> dict[str, bytes]:
    """Every file of one release tree (path inside the tree -> bytes)."""
    _check_names(context)
    renderer = renderer_for(context)
    tree = _Tree()
    pages = 0
    for iri in context.minted():
        where = paths.tree_and_path(str(iri))
        if where is None or where[0] != paths.CURRENT:
            continue
        path = where[1]
        if path == "":
            tree.add("index.html", renderer.landing_page())
        else:
            tree.add(paths.page_file(path), renderer.resource_page(iri))
        pages += 1
        if path in paths.MODULE_DOCUMENTS:
            continue
        piece = renderer.slice(iri)
        for fmt in paths.RDF_FORMATS:
            tree.add(paths.rdf_file(path, fmt), serialize(piece, fmt))
    tree.add("queries.html", queries_page(context))
    graphs = {artefact.stem: artefact.graph(context) for artefact in artefacts}
    graphs["void"] = void_graph(context, dump_size(context))
    for stem, graph in graphs.items():
        for fmt in paths.RDF_FORMATS:
            tree.add(f"{stem}{fmt.suffix}", serialize(graph, fmt))
    return tree.files


def _root_index(version: str) -> str:
    body = (
        "<h1>EXOP</h1>\n<p>The current release: "
        '<a href="current/index.html">current/</a>. Release '
        f'{version}: <a href="releases/{version}/index.html">releases/{version}/</a>.</p>\n'
    )
    return page(title="EXOP", body=body, home="current/index.html", nav=[], version=version)


def _write_all(root: Path, files: dict[str, bytes]) -> int:
    total = 0
    for name in sorted(files):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
        total += len(files[name])
    return total


def _swap_in(built: Path, target: Path) -> None:
    """Replace *target* by *built* (two renames: the old site stays until the new is in)."""
    old: Path | None = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{built.name.rsplit('.', 1)[-1]}")
        target.rename(old)
    try:
        built.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(directory: Path | str, context: SiteContext | None = None, *,
               artefacts: Sequence[Artefact] = DEFAULT_ARTEFACTS) -> SiteResult:
    """Write the static site into *directory* (replaced whole, atomically)."""
    target = Path(directory)
    parent = target.parent if str(target.parent) else Path()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    ctx = context if context is not None else SiteContext.from_package()
    tree = build_tree(ctx, artefacts)
    files: dict[str, bytes] = {}
    trees = (paths.CURRENT, f"{paths.RELEASES}/{ctx.version}")
    for prefix in trees:
        files.update({f"{prefix}/{name}": data for name, data in tree.items()})
    files["index.html"] = _root_index(ctx.version).encode("utf-8")
    files["404.html"] = not_found_page(ctx.version).encode("utf-8")
    try:
        built = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror}") from error
    try:
        size = _write_all(built, files)
        built.chmod(0o755)
        _swap_in(built, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            shutil.rmtree(built)
        raise OutputError(f"{target}: cannot write: {error.strerror}") from error
    pages = sum(1 for name in tree if name.endswith(".html"))
    return SiteResult(target, pages, len(files), size, trees)

