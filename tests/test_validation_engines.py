"""The conformance engines behind `exop validate`: every engine prints the report pySHACL
prints, with the same exit code; ``auto`` picks by size and falls back to pySHACL; an
engine that cannot run is one line and exit 2. (That each engine finds what pySHACL finds
on the package and on every fixture is tests/test_shapes.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from exop import graph as package_graph
from exop import resources, validation
from exop.errors import ExopError
from exop.validation import engines
from exop.validation.engines import ENGINES, RdfSource, choose_engine, engine_names

from conftest import CliRunner

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "valid" / "base.ttl"
BAD_FINDING = FIXTURES / "invalid" / "DrugShape-drugTarget--cell-as-target.ttl"
BLANK_FINDING = FIXTURES / "invalid" / "IndividualShape--blank-node-finding.ttl"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FAST_ENGINES = ("pyrudof", "jena")


def _require(name: str) -> None:
    engine_names()
    why = ENGINES[name].unavailable()
    if why is not None:
        if IN_CI:
            pytest.fail(f"SHACL engine {name} cannot run: {why}")
        pytest.skip(f"SHACL engine {name} cannot run here: {why}")


def test_the_command_offers_every_engine() -> None:
    from exop.cli import validate as command

    option = next(p for p in command.params if p.name == "engine")
    assert set(option.type.choices) == set(engine_names())  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FAST_ENGINES)
def test_conforming_report_is_pyshacls_byte_for_byte(name: str) -> None:
    _require(name)
    by_pyshacl = validation.validate(engine="pyshacl")
    by_engine = validation.validate(engine=name)
    assert by_pyshacl.conforms and by_engine.conforms
    assert by_engine.results == by_pyshacl.results == ()
    turtle = by_engine.report_graph.serialize(format="turtle")
    assert turtle == by_pyshacl.report_graph.serialize(format="turtle")
    assert dict(by_engine.report_graph.namespaces()) == dict(
        by_pyshacl.report_graph.namespaces()
    )


@pytest.mark.parametrize("name", ["pyshacl", *FAST_ENGINES])
@pytest.mark.parametrize("output", ["text", "json"])
def test_every_engine_prints_pyshacls_report(
    name: str, output: str, exop_cli: CliRunner
) -> None:
    if name != "pyshacl":
        _require(name)
    args = ("validate", str(BASE), str(BAD_FINDING), "--format", output)
    expected = exop_cli(*args, "--engine", "pyshacl")
    actual = exop_cli(*args, "--engine", name)
    assert expected.code == actual.code == 1, actual.err
    assert actual.out == expected.out
    conforming = exop_cli("validate", str(BASE), "--format", output, "--engine", name)
    assert conforming.code == 0 and conforming.out.startswith(
        "conforms" if output == "text" else "{"
    ), conforming.err


def test_an_engine_that_cannot_read_its_input_is_one_line_exit_2(exop_cli: CliRunner) -> None:
    """pyrudof fails on blank focus nodes (the known difference in test_shapes.py): named,
    that is an error; under auto, pySHACL decides and reports instead."""
    _require("pyrudof")
    named = exop_cli("validate", str(BASE), str(BLANK_FINDING), "--engine", "pyrudof")
    assert named.code == 2 and named.out == ""
    assert named.err.count("\n") == 1 and "pyrudof could not validate" in named.err
    auto = exop_cli("validate", str(BASE), str(BLANK_FINDING), "--format", "json")
    by_pyshacl = exop_cli(
        "validate", str(BASE), str(BLANK_FINDING), "--format", "json", "--engine", "pyshacl"
    )
    assert auto.code == by_pyshacl.code == 1
    assert _blank_labels_removed(auto.out) == _blank_labels_removed(by_pyshacl.out)


def _blank_labels_removed(text: str) -> str:
    """The report without rdflib's random blank node labels (which differ run to run)."""
    import re

    return re.sub(r'"n[0-9a-f]{32}b[0-9]+"', '"_:b"', text)


def test_auto_chooses_by_size_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    limit = engines.AUTO_PYRUDOF_MAX_TRIPLES
    engine_names()
    available = {n for n in FAST_ENGINES if ENGINES[n].unavailable() is None}
    if available == set(FAST_ENGINES):
        assert choose_engine("auto", limit) == "pyrudof"
        assert choose_engine("auto", limit + 1) == "jena"
    for name in FAST_ENGINES:
        assert choose_engine(name, 1) == name  # named: no size rule
    for name in FAST_ENGINES:
        monkeypatch.setattr(type(ENGINES[name]), "unavailable", lambda self: "not here")
    assert choose_engine("auto", 1) == choose_engine("auto", 10**9) == "pyshacl"
    with pytest.raises(ExopError, match="jena cannot run: not here"):
        validation.validate(engine="jena")
    with pytest.raises(ExopError, match="unknown SHACL engine"):
        choose_engine("no-such-engine", 1)


def test_size_estimate_is_near_the_triple_count(tmp_path: Path) -> None:
    data = package_graph.load_data()
    as_nt = tmp_path / "data.nt"
    data.serialize(as_nt, format="nt", encoding="utf-8")
    for source in (RdfSource.of_files(resources.data_files()), RdfSource.of_files([as_nt])):
        estimate = source.estimated_triples()
        assert len(data) / 2 <= estimate <= len(data) * 2, (source.files, estimate, len(data))
    assert RdfSource.of_graph(data).estimated_triples() == len(data)


def _two_files_saying_x(tmp_path: Path) -> list[Path]:
    exop = "https://w3id.org/exop/"
    head = f"@prefix exop: <{exop}> .\n"
    first = tmp_path / "first.ttl"
    first.write_text(head + "_:x a exop:Finding .\n")
    second = tmp_path / "second.nt"
    second.write_text(f"_:x <{exop}targetCell> <{exop}data/cell-osteoblast> .\n")
    return [first, second]


def test_one_ntriples_input_keeps_blank_nodes_of_different_files_apart(tmp_path: Path) -> None:
    """Two files that both say ``_:x`` speak of two nodes (rdflib parses them so): merged,
    a finding would borrow the other file's target cell."""
    first, second = _two_files_saying_x(tmp_path)
    for parts in (
        (RdfSource.of_files([first]), RdfSource.of_files([second])),  # the last copied as is
        (RdfSource.of_files([first, second]),),
        (RdfSource.of_graph(package_graph.parse_file(first)), RdfSource.of_files([second])),
    ):
        out = tmp_path / "merged.nt"
        with out.open("wb") as stream:
            engines.write_ntriples(stream, *parts)
        merged = Graph().parse(out, format="nt")
        assert len(merged) == 2 and len(set(merged.subjects())) == 2, parts


def test_jena_sees_blank_nodes_of_different_files_apart(tmp_path: Path) -> None:
    _require("jena")
    files = _two_files_saying_x(tmp_path)
    verdict = ENGINES["jena"].check(
        RdfSource.of_files(files),
        RdfSource.of_files(resources.ontology_files()),
        RdfSource.of_files(resources.shape_files()),
    )
    expected = validation.validate(package_graph.parse_files(files), engine="pyshacl")
    assert not expected.conforms and not verdict.conforms
    assert verdict.results == len(expected.results)
