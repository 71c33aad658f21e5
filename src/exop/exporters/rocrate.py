"""An RO-Crate 1.1 metadata file describing a release folder of every export.

The release folder holds each export under a fixed name: a one-file format ``NAME`` as
``NAME`` plus its suffix (``turtle.ttl``, ``sssom.sssom.tsv``), a folder format as the folder
``NAME/`` with its files. ``ro-crate-metadata.json`` describes that folder: the root
dataset (title, description, licence, publication date of the release, the review it
encodes) and one entity per file or folder, with its media type and what it holds. Plain
JSON: the ``rocrate`` package reads it back in the tests.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from exop.exporters import Artifact, Exporter, exporters
from exop.exporters.dataset_description import DESCRIPTION, TITLE, version
from exop.exporters.nanopub import CREATED

if TYPE_CHECKING:
    from exop.package import Package

METADATA = "ro-crate-metadata.json"
CONTEXT = "https://w3id.org/ro/crate/1.1/context"
REVIEW_DOI = "https://doi.org/10.4252/wjsc.v15.i3.83"
DATA_LICENSE = "https://creativecommons.org/licenses/by-nc/4.0/"

Json = dict[str, object]


def release_names() -> dict[str, str]:
    """Exporter name -> its path in the release folder (a folder path ends with '/')."""
    names = {}
    for name, exporter in exporters().items():
        if name == "rocrate":
            continue
        names[name] = f"{name}{exporter.suffix}" if exporter.single_file else f"{name}/"
    return names


def crate(release: str | None = None) -> Json:
    """The RO-Crate metadata document for a release folder."""
    release = release or version()
    parts: list[Json] = []
    for name, path in sorted(release_names().items(), key=lambda item: item[1]):
        exporter = exporters()[name]
        entity: Json = {"@id": path, "@type": "File" if exporter.single_file else "Dataset",
                        "name": name, "description": exporter.summary}
        if exporter.media_type:
            entity["encodingFormat"] = exporter.media_type
        parts.append(entity)
    root: Json = {
        "@id": "./", "@type": "Dataset", "name": TITLE, "description": DESCRIPTION,
        "version": release, "datePublished": str(CREATED)[:10],
        "license": {"@id": DATA_LICENSE}, "citation": {"@id": REVIEW_DOI},
        "hasPart": [{"@id": p["@id"]} for p in parts],
    }
    graph: list[Json] = [
        {"@id": METADATA, "@type": "CreativeWork",
         "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"}, "about": {"@id": "./"}},
        root,
        *parts,
        {"@id": DATA_LICENSE, "@type": "CreativeWork", "name": "CC BY-NC 4.0"},
        {"@id": REVIEW_DOI, "@type": "ScholarlyArticle",
         "name": "Mesenchymal stem/stromal cells-derived exosomes for osteoporosis treatment"},
    ]
    return {"@context": CONTEXT, "@graph": graph}


def render(package: Package) -> Artifact:
    """ro-crate-metadata.json, for the folder the other exports are written into."""
    text = json.dumps(crate(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return {METADATA: text.encode("utf-8")}


EXPORTERS = (
    Exporter(
        name="rocrate",
        summary="RO-Crate metadata (ro-crate-metadata.json) for a release folder of the exports",
        render=render,
    ),
)
