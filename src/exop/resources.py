"""Where the packaged artefacts are: the one module that knows the file layout.

In a wheel the folders ship as ``exop/_resources/{ontology,shapes,data,queries,sources}``
(``sources/`` holds the review's text); in a source checkout (editable install) they sit
at the repository root, two levels above ``src/exop``. Both are found through
:mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = "exop"


def _package_root() -> Path:
    here = Path(str(resources.files(_PACKAGE)))
    bundled = here / "_resources"
    if bundled.is_dir():
        return bundled
    return here.parent.parent


ROOT: Path = _package_root()
"""The folder that holds ontology/, shapes/, data/, queries/ and sources/."""

ONTOLOGY_DIR: Path = ROOT / "ontology"
IMPORTS_DIR: Path = ONTOLOGY_DIR / "imports"
SHAPES_DIR: Path = ROOT / "shapes"
DATA_DIR: Path = ROOT / "data"
QUERIES_DIR: Path = ROOT / "queries"

ONTOLOGY_FILE: Path = ONTOLOGY_DIR / "exop.ttl"

SOURCES_DIR: Path = ROOT / "sources"
REVIEW_FILE: Path = SOURCES_DIR / "review.txt"
"""The review's full text (CC BY-NC 4.0, attribution in sources/README.md)."""


def _ttl_files(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.ttl"))) if folder.is_dir() else ()


def ontology_files() -> tuple[Path, ...]:
    """The ontology (exop.ttl) followed by its import modules (ontology/imports/*.ttl)."""
    main = (ONTOLOGY_FILE,) if ONTOLOGY_FILE.is_file() else ()
    others = tuple(p for p in _ttl_files(ONTOLOGY_DIR) if p != ONTOLOGY_FILE)
    return main + others + _ttl_files(IMPORTS_DIR)


def data_files() -> tuple[Path, ...]:
    """The data files (data/*.ttl), sorted by name."""
    return _ttl_files(DATA_DIR)


def shape_files() -> tuple[Path, ...]:
    """The SHACL shape files (shapes/*.ttl), sorted by name."""
    return _ttl_files(SHAPES_DIR)


def query_files() -> tuple[Path, ...]:
    """The packaged SPARQL queries (queries/*.rq), sorted by name."""
    return tuple(sorted(QUERIES_DIR.glob("*.rq"))) if QUERIES_DIR.is_dir() else ()


def rdf_source_files() -> tuple[Path, ...]:
    """Every committed RDF file that ``exop fmt`` keeps canonical."""
    return ontology_files() + shape_files() + data_files()
