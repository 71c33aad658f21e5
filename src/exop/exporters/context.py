"""EXOP's prefix map as a JSON-LD context (``exop export --format context``).

The one prefix map (:data:`exop.namespaces.PREFIXES`) as ``{"@context": {prefix: IRI}}``:
curies' ``Converter.from_jsonld`` and Bioregistry's tools read it, and a JSON-LD document
using it compacts EXOP's IRIs to the CURIEs the package prints. EXOP's own prefixes
(``exop``, ``exopd``, ``exopsh``) are registered nowhere else, so this file is where a
consumer learns them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from exop.exporters import SINGLE, Artifact, Exporter
from exop.namespaces import PREFIXES

if TYPE_CHECKING:
    from exop.package import Package


def render(package: Package) -> Artifact:
    """The context, prefixes sorted."""
    document = {"@context": dict(sorted(PREFIXES.items()))}
    return {SINGLE: (json.dumps(document, indent=1) + "\n").encode("utf-8")}


EXPORTERS = (
    Exporter(
        name="context",
        summary="the prefix map as a JSON-LD context (curies and Bioregistry read it)",
        render=render,
        suffix=".context.jsonld",
        media_type="application/ld+json",
    ),
)
