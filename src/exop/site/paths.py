"""Where each EXOP IRI lives on the publication host: its page and its RDF documents.

One function decides it for the static site, the w3id rules and the live server, so the
three cannot disagree. The host publishes one tree per release (``releases/<version>/``)
and a copy of the latest one (``current/``); inside a tree every page sits at the IRI's
path below ``https://w3id.org/exop/`` plus ``.html`` (the base itself: ``index.html``), and
its RDF slice beside it with the format's suffix. The module IRIs (ontology, imports module,
shapes module) are described by their whole module file, the named graph by the full dump
and the base by the dataset description (VoID).
"""

from __future__ import annotations

import re

from exop import formats
from exop.namespaces import IRI_FAMILIES, PREFIXES

BASE = PREFIXES["exop"]
CURRENT = "current"
RELEASES = "releases"

NEGOTIATED: tuple[formats.Format, ...] = tuple(
    formats.get(name) for name in ("turtle", "nt", "xml", "jsonld", "html")
)
"""What every EXOP IRI is offered as, in the server's order of preference: a client that
rates several equally (``*/*``, no Accept header) gets the first, Turtle."""

RDF_FORMATS: tuple[formats.Format, ...] = tuple(f for f in NEGOTIATED if f.kind == "rdf")
"""The RDF serialisations every slice and release artefact is written in."""

MODULE_DOCUMENTS: dict[str, str] = {
    "": "void",
    "ontology": "ontology",
    "ontology/imports": "imports",
    "shapes": "shapes",
    "graph": "exop",
}
"""IRI path -> the stem of the release artefact that describes it."""

_RELEASE_PATH = re.compile(r"releases/([0-9]+\.[0-9]+\.[0-9]+)/(ontology(?:/imports)?)")


def iri_path(iri: str) -> str | None:
    """The path of *iri* below the EXOP base ('' for the base), or None for other IRIs."""
    return iri[len(BASE):] if iri.startswith(BASE) else None


def family(iri: str) -> str | None:
    """The IRI family (docs/iris.md) *iri* belongs to, or None when it is no EXOP IRI."""
    if iri == BASE:
        return "base"
    return next((name for name, rx in IRI_FAMILIES.items() if rx.fullmatch(iri)), None)


def tree_and_path(iri: str) -> tuple[str, str] | None:
    """The release tree (``current`` or ``releases/<version>``) and the path inside it.

    Version IRIs name their own release's tree; every other IRI the current one.
    """
    path = iri_path(iri)
    if path is None or family(iri) is None:
        return None
    release = _RELEASE_PATH.fullmatch(path)
    if release:
        return f"{RELEASES}/{release.group(1)}", release.group(2)
    return CURRENT, path


def page_file(path: str) -> str:
    """The page of the IRI at *path* (inside a tree); the named graph's is the home page."""
    return "index.html" if path in ("", "graph") else f"{path}.html"


def rdf_file(path: str, fmt: formats.Format) -> str:
    """The RDF document that describes the IRI at *path*, in *fmt* (inside a tree)."""
    return f"{MODULE_DOCUMENTS.get(path, path)}{fmt.suffix}"


def document_for(iri: str, fmt: formats.Format) -> str | None:
    """Host path (below the host root) of the document for *iri* in *fmt*, or None."""
    where = tree_and_path(iri)
    if where is None:
        return None
    tree, path = where
    name = page_file(path) if fmt.kind == "page" else rdf_file(path, fmt)
    return f"{tree}/{name}"


def relative_link(from_page: str, to_file: str) -> str:
    """A relative URL from one file of a tree to another, so the site works under any root."""
    depth = from_page.count("/")
    return "../" * depth + to_file
