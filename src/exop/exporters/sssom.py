"""The SSSOM mapping set of EXOP's minted classes and properties (SSSOM TSV, YAML header).

The curated mappings live in ``ontology/mappings/exop.sssom.tsv``, which is itself the
artefact: curators edit that file, and the exporter ships it unchanged, so the file in
the repository and the released one cannot differ. The tests parse and round-trip it
with sssom-py and check each external term against the Biolink model and the ontology.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from exop import resources
from exop.exporters import SINGLE, Artifact, Exporter

if TYPE_CHECKING:
    from exop.package import Package


def mapping_file() -> Path:
    """The committed SSSOM TSV (inside the ontology folder, so the wheel ships it)."""
    return resources.ONTOLOGY_DIR / "mappings" / "exop.sssom.tsv"


def render(package: Package) -> Artifact:
    """The committed mapping set, byte for byte."""
    return {SINGLE: mapping_file().read_bytes()}


EXPORTERS = (
    Exporter(
        name="sssom",
        summary="EXOP's classes and properties mapped to Biolink and OBO terms (SSSOM TSV)",
        render=render,
        suffix=".sssom.tsv",
        media_type="text/tab-separated-values",
    ),
)
