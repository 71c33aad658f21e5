"""Committed RDF files are in the one canonical form; `exop fmt` is the fix when they are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from exop import resources
from exop.canonical import FIX_COMMAND, canonical_file_text, format_files

from conftest import CliRunner

NOT_CANONICAL = """\
@prefix exop: <https://w3id.org/exop/> .
@prefix ex: <http://example.org/> .
ex:b exop:direction exop:increases . ex:a a exop:Finding ; ex:p [ ex:q 1 ] , "z" .
"""


def test_committed_rdf_files_are_canonical() -> None:
    files = resources.rdf_source_files()
    assert files, "no RDF files found in ontology/, shapes/ or data/"
    result = format_files(files, check=True)
    names = "\n  ".join(str(p.relative_to(resources.ROOT)) for p in result.changed)
    assert not result.changed, (
        f"these RDF files are not in canonical form:\n  {names}\n"
        f"fix: run `{FIX_COMMAND}` (or `make fmt`) and commit the result"
    )


def test_check_fails_and_names_the_fix(tmp_path: Path, exop_cli: CliRunner) -> None:
    path = tmp_path / "messy.ttl"
    path.write_text(NOT_CANONICAL, encoding="utf-8")
    result = exop_cli("fmt", "--check", str(path))
    assert result.code == 1
    assert f"run `{FIX_COMMAND}`" in result.err and str(path) in result.err
    assert path.read_text(encoding="utf-8") == NOT_CANONICAL, "--check must not write"


def test_fmt_rewrites_then_check_passes(tmp_path: Path, exop_cli: CliRunner) -> None:
    path = tmp_path / "messy.ttl"
    path.write_text(NOT_CANONICAL, encoding="utf-8")
    assert exop_cli("fmt", str(path)).code == 0
    first = path.read_bytes()
    assert exop_cli("fmt", "--check", str(path)).code == 0
    assert canonical_file_text(path).encode("utf-8") == first, "canonical form is not stable"
    assert [p.name for p in tmp_path.iterdir()] == ["messy.ttl"], "temporary file left behind"


@pytest.mark.parametrize("run", range(3))
def test_blank_nodes_serialise_byte_stably(run: int, tmp_path: Path) -> None:
    path = tmp_path / f"b{run}.ttl"
    path.write_text(NOT_CANONICAL, encoding="utf-8")
    texts = {canonical_file_text(path) for _ in range(3)}
    assert len(texts) == 1
