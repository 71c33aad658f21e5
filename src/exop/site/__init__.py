"""Linked-data publishing: one HTML page and one RDF slice per EXOP IRI, and the static site.

* :func:`render_page` and :func:`rdf_slice` answer for one IRI (what a server calls per
  request);
* :func:`build_site` writes every page, slice and release artefact for a static host;
* :mod:`exop.site.paths` says where each IRI's documents live, for the site, the w3id
  rules (:mod:`exop.site.w3id`) and a server alike.
"""

from __future__ import annotations

from exop.site.build import DEFAULT_ARTEFACTS, Artefact, SiteResult, build_site
from exop.site.context import SiteContext
from exop.site.pages import render_page
from exop.site.paths import NEGOTIATED, RDF_FORMATS, document_for
from exop.site.slices import rdf_slice, serialize

__all__ = [
    "DEFAULT_ARTEFACTS",
    "NEGOTIATED",
    "RDF_FORMATS",
    "Artefact",
    "SiteContext",
    "SiteResult",
    "build_site",
    "document_for",
    "rdf_slice",
    "render_page",
    "serialize",
]
