"""Exit codes and output formats of the `exop` command (0 ok, 1 the data said no, 2 cannot run)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from rdflib import Graph

from exop.catalog import list_queries, query_ids
from exop.namespaces import ONTOLOGY_IRI

from conftest import ROOT, CliRunner

REVIEW = ROOT / "sources" / "review.txt"
SELECT = """\
#+ summary: two labels
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?label WHERE {
  VALUES (?x ?label) { (<urn:a> "tab\\there") (<urn:b> "comma, \\"quote\\"") }
} ORDER BY ?x
"""


def _paramless_query() -> str:
    return next(
        q.id
        for q in list_queries()
        if not any(p.required and p.default is None for p in q.parameters)
    )


def test_version(exop_cli: CliRunner) -> None:
    result = exop_cli("--version")
    assert (result.code, result.out.strip()) == (0, f"exop, version {version('exop')}")


def test_info(exop_cli: CliRunner) -> None:
    result = exop_cli("info")
    assert result.code == 0
    for word in (str(ONTOLOGY_IRI), "findings", "references", "queries", version("exop")):
        assert word in result.out


def test_queries_json_lists_the_catalogue(exop_cli: CliRunner) -> None:
    result = exop_cli("queries", "--format", "json")
    assert result.code == 0
    assert [q["id"] for q in json.loads(result.out)] == list(query_ids())


def test_queries_table(exop_cli: CliRunner) -> None:
    result = exop_cli("queries")
    assert result.code == 0 and query_ids()[0] in result.out


@pytest.mark.parametrize(
    ("ask", "code", "word"), [("ASK { }", 0, "yes"), ("ASK { <urn:x> <urn:y> <urn:z> }", 1, "no")]
)
def test_ask_exit_codes(ask: str, code: int, word: str, exop_cli: CliRunner) -> None:
    result = exop_cli("sparql", "-", stdin=ask)
    assert (result.code, result.out.strip()) == (code, word)


def test_select_formats(exop_cli: CliRunner) -> None:
    as_csv = exop_cli("sparql", "-", "--format", "csv", stdin=SELECT)
    assert as_csv.code == 0
    assert list(csv.reader(io.StringIO(as_csv.out))) == [
        ["x", "label"],
        ["urn:a", "tab\there"],
        ["urn:b", 'comma, "quote"'],
    ]
    as_tsv = exop_cli("sparql", "-", "--format", "tsv", stdin=SELECT)
    assert as_tsv.out.splitlines() == [
        "?x\t?label",
        '<urn:a>\t"tab\\there"',
        '<urn:b>\t"comma, \\"quote\\""',
    ]
    as_json = json.loads(exop_cli("sparql", "-", "--format", "json", stdin=SELECT).out)
    assert as_json["head"]["vars"] == ["x", "label"]
    assert as_json["results"]["bindings"][0]["x"] == {"type": "uri", "value": "urn:a"}
    table = exop_cli("sparql", "-", stdin=SELECT)
    assert table.code == 0 and "urn:a" in table.out and "2 rows" in table.out


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_packaged_query_runs_on_each_engine(engine: str, exop_cli: CliRunner) -> None:
    result = exop_cli("query", _paramless_query(), "--engine", engine, "--format", "json")
    assert result.code == 0, result.err
    assert "head" in json.loads(result.out)


def test_validate_empty_file_conforms(tmp_path: Path, exop_cli: CliRunner) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    result = exop_cli("validate", str(empty))
    assert result.code == 0 and result.out.startswith("conforms"), result.out


def test_validate_bad_finding_exits_1(tmp_path: Path, exop_cli: CliRunner) -> None:
    data = tmp_path / "finding.ttl"
    data.write_text("<https://w3id.org/exop/data/finding-bare> a <https://w3id.org/exop/Finding> .")
    result = exop_cli("validate", str(data), "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["conforms"] is False
    focus = [group["focus_node"] for group in report["focus_nodes"]]
    assert "https://w3id.org/exop/data/finding-bare" in focus
    as_turtle = exop_cli("validate", str(data), "--format", "turtle")
    assert as_turtle.code == 1 and len(Graph().parse(data=as_turtle.out, format="turtle")) > 0


@pytest.mark.parametrize(("rdf_format", "parser"), [("nt", "nt"), ("turtle", "turtle")])
def test_export(rdf_format: str, parser: str, tmp_path: Path, exop_cli: CliRunner) -> None:
    target = tmp_path / f"exop.{rdf_format}"
    result = exop_cli("export", "--format", rdf_format, "-o", str(target))
    assert result.code == 0
    assert len(Graph().parse(target, format=parser)) > 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_real_process_exit_code_and_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "exop.cli", "query", "no-such-query"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# Imported only by the commands (or functions) that need them: a cold `exop query` imports
# rdflib, pyoxigraph, click and PyYAML, and none of these (curies pulls in pydantic).
HEAVY_MODULES = ("curies", "pydantic", "rich", "pyshacl", "owlready2", "SPARQLWrapper")
PROBE = """\
import contextlib, io, sys
from exop.cli import run
with contextlib.redirect_stdout(io.StringIO()):
    code = run(sys.argv[1:])
print(code, *sorted(m for m in {heavy} if m in sys.modules))
"""


@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (["query", "table-1", "--format", "csv"], set()),
        (["queries", "--format", "json"], set()),
        (["query", "table-1"], {"rich"}),  # the table is drawn by rich
    ],
)
def test_commands_import_only_what_they_need(args: list[str], needed: set[str]) -> None:
    probe = PROBE.format(heavy=HEAVY_MODULES)
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, *imported = done.stdout.split()
    assert code == "0", done.stderr
    assert set(imported) == needed


def test_import_exop_is_lazy() -> None:
    probe = "import sys, exop; print(*sorted(m for m in sys.modules if m.startswith('exop')))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["exop"]
    import exop

    assert callable(exop.export) and exop.__version__ == version("exop")
    assert set(exop.__all__) <= set(dir(exop))


@pytest.mark.slow
def test_packaged_ontology_and_data_are_consistent(exop_cli: CliRunner) -> None:
    result = exop_cli("reason")
    assert result.out.startswith("HermiT: consistent; 0 unsatisfiable classes"), result.out
    assert result.code == 0


# -- coverage ---------------------------------------------------------------------------------


def test_coverage_of_the_review_exits_0(exop_cli: CliRunner) -> None:
    result = exop_cli("coverage", str(REVIEW))
    assert result.code == 0, result.err
    assert "uncovered (" in result.out and "non-factual, 0 not)" in result.out
    tsv = exop_cli("coverage", str(REVIEW), "--uncovered", "--format", "tsv")
    header, *rows = [line.split("\t") for line in tsv.out.splitlines()]
    assert tsv.code == 0 and header[:4] == ["number", "section", "kind", "status"]
    assert rows and {row[3] for row in rows} == {"non-factual"}
    assert all(row[5] for row in rows), "every non-factual sentence shows its reason"


def test_coverage_without_argument_reads_the_packaged_review(exop_cli: CliRunner) -> None:
    default = exop_cli("coverage", "--format", "json")
    explicit = exop_cli("coverage", str(REVIEW), "--format", "json")
    assert default.code == 0, default.err
    assert json.loads(default.out) == json.loads(explicit.out)
    assert json.loads(default.out)["summary"]["units"] > 50


def test_coverage_exits_1_on_an_extra_factual_sentence(tmp_path: Path,
                                                       exop_cli: CliRunner) -> None:
    extra = "Exosomes from MSCs double bone mass in every patient[3]."
    text = REVIEW.read_text(encoding="utf-8")
    text = text.replace("INTRODUCTION\n", f"INTRODUCTION\n{extra}\n", 1)
    review = tmp_path / "review.txt"
    review.write_text(text, encoding="utf-8")
    result = exop_cli("coverage", str(review), "--uncovered", "--format", "json")
    assert result.code == 1
    document = json.loads(result.out)
    unexplained = [u["text"] for u in document["units"] if u["status"] == "uncovered"]
    assert unexplained == [extra]
    assert document["summary"]["unexplained"] == 1


@pytest.mark.parametrize("name", ["missing.txt", ".", "other.txt"])
def test_coverage_unreadable_review_exits_2(name: str, tmp_path: Path, exop_cli: CliRunner) -> None:
    (tmp_path / "other.txt").write_text("Not the review.\n", encoding="utf-8")
    result = exop_cli("coverage", str(tmp_path / name))
    assert result.code == 2
    assert result.out == "" and result.err.count("\n") == 1
    assert result.err.startswith("exop: error: ")
