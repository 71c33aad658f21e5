"""The repository stands alone: everything its tests, tools and benchmarks read is inside it.

A fresh clone in any folder must pass ``make test``, so no code may build a path to a
folder beside the repository (``../shared``, ``ROOT.parent / "shared"``). The one
exception is the tool that refreshes the import module from upstream ontology releases,
which are too large to commit; its own tests say why they skip where those are absent.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from exop import resources

from conftest import ROOT

SCANNED = ("src", "tests", "tools", "benchmarks", ".ci", "Makefile")
SUFFIXES = frozenset({".py", ".sh", ".toml", ".cfg", ".ini", ""})
ALLOWED = frozenset({"tools/build_imports.py", "tests/test_imports.py", ".ci/run"})
"""Files allowed to name a path outside the repository: the import-refresh tool, its test
(which says why it skips where the upstream files are absent) and the CI step that notes
where CI finds them."""

# A path leaving the repository for a sibling folder: "../shared", '.parent / "shared"',
# parents[2] / "shared", os.path.join(..., "..", "shared") and the like.
OUTSIDE = re.compile(
    r"""\.\./+shared"""
    r"""|\.parent\s*/\s*["']shared"""
    r"""|parents\[\d+\]\s*/\s*["']shared"""
    r"""|["']\.\.["']\s*,\s*["']shared["']"""
    r"""|/work/shared"""
)


def _scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        top = ROOT / name
        candidates = [top] if top.is_file() else sorted(top.rglob("*"))
        files += [
            p for p in candidates
            if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
        ]
    return files


def _outside_references(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE.search(line)
    ]


def test_pattern_catches_the_ways_of_reaching_a_sibling_folder() -> None:
    caught = (
        'REVIEW = ROOT.parent / "shared" / "source" / "review.txt"',
        "TSV = Path(__file__).resolve().parents[1].parent / 'shared' / 'terms.tsv'",
        'BASE = Path(__file__).parents[2] / "shared"',
        'os.path.join(here, "..", "shared", "source")',
        "cat ../shared/source/review.txt",
    )
    missed = [line for line in caught if not OUTSIDE.search(line)]
    assert missed == []
    assert not OUTSIDE.search("The helpers here are shared with other test modules.")


def test_nothing_but_the_import_refresh_tool_reads_outside_the_repository() -> None:
    files = _scanned_files()
    assert len(files) > 30, "the scan found too few files: is ROOT right?"
    offending = [
        hit
        for path in files
        if path.relative_to(ROOT).as_posix() not in ALLOWED and path != Path(__file__)
        for hit in _outside_references(path)
    ]
    assert offending == [], "paths outside the repository:\n" + "\n".join(offending)


def _recorded_sha256(readme: Path) -> str:
    found: list[str] = re.findall(r"`([0-9a-f]{64})`", readme.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{readme} should record exactly one SHA-256"
    return found[0]


def test_the_review_text_is_in_the_repository_unchanged() -> None:
    review = resources.REVIEW_FILE
    assert review == ROOT / "sources" / "review.txt"
    digest = hashlib.sha256(review.read_bytes()).hexdigest()
    assert digest == _recorded_sha256(ROOT / "sources" / "README.md"), (
        "sources/review.txt changed: it is the review's text and must stay as published"
    )


@pytest.mark.parametrize(
    ("path", "needles"),
    [
        ("sources/README.md", ("CC BY-NC 4.0", "doi:10.4252/wjsc.v15.i3.83", "Baishideng")),
        ("LICENSE-DATA.md", ("`sources/review.txt`", "`ontology/imports/verified-terms.tsv`")),
        ("ontology/imports/verified-terms.md", ("`source` column", "provenance")),
    ],
)
def test_copied_sources_carry_attribution_and_licence(path: str, needles: tuple[str, ...]) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert [n for n in needles if n not in text] == []


def test_the_verified_terms_table_keeps_its_provenance_column() -> None:
    lines = (ROOT / "ontology" / "imports" / "verified-terms.tsv").read_text(
        encoding="utf-8"
    ).splitlines()
    header = lines[0].split("\t")
    assert header[:4] == ["entity_in_review", "curie", "official_label", "source"]
    rows = [line.split("\t") for line in lines[1:] if line]
    assert len(rows) > 100
    assert [r[1] for r in rows if len(r) < 4 or not r[3].strip()] == [], "rows without a source"
