"""The SSSOM mapping set: parsed, validated and round-tripped by sssom-py; every term checked.

Subjects must be EXOP terms with that label; Biolink objects must be elements of the Biolink
model that the biolink-model package ships (bmt, offline), with that name; OBO objects must
be the superclass or superproperty that the ontology asserts for the subject, with the label
the ontology graph records.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import RDFS, URIRef

from exop.exporters import SINGLE, get_exporter
from exop.exporters.sssom import mapping_file
from exop.namespaces import expand
from exop.package import default_package

from ecosystem import no_network, offline_kgx, require


def _rows() -> list[dict[str, str]]:
    text = mapping_file().read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def test_export_is_the_committed_file() -> None:
    assert get_exporter("sssom").render(default_package())[SINGLE] == mapping_file().read_bytes()


def test_sssom_py_parses_validates_and_round_trips_every_row(tmp_path: Path) -> None:
    require("sssom")
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate
    from sssom.writers import write_table

    with no_network():
        msdf = parse_sssom_table(mapping_file())
        # sssom-py drops a misaligned row with only a warning: count them.
        assert len(msdf.df) == len(_rows()) > 0
        validate(msdf, fail_on_error=True)
        out = tmp_path / "round.sssom.tsv"
        with out.open("w", encoding="utf-8") as handle:
            write_table(msdf, handle)
        again = parse_sssom_table(out)
    key = ["subject_id", "predicate_id", "object_id"]
    assert sorted(map(tuple, again.df[key].values.tolist())) == sorted(
        map(tuple, msdf.df[key].values.tolist()))
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}


def test_each_row_is_justified_dated_and_authored() -> None:
    for row in _rows():
        assert row["mapping_justification"] and row["author_label"] and row["mapping_date"]
        assert row["predicate_id"] in {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch",
                                       "skos:narrowMatch", "skos:relatedMatch"}


def test_every_subject_is_an_exop_term_with_that_label() -> None:
    graph = default_package().ontology
    for row in _rows():
        iri = URIRef(str(expand(row["subject_id"])))
        labels = {str(v) for v in graph.objects(iri, RDFS.label)}
        assert row["subject_label"] in labels, row["subject_id"]


def test_every_biolink_object_is_in_the_packaged_model() -> None:
    toolkit = offline_kgx().Validator.get_toolkit()
    rows = [r for r in _rows() if r["object_id"].startswith("biolink:")]
    assert rows
    for row in rows:
        element = toolkit.get_element(row["object_id"])
        assert element is not None, row["object_id"]
        assert element.name == row["object_label"], row["object_id"]


def test_every_obo_object_is_what_the_ontology_asserts() -> None:
    graph = default_package().ontology
    rows = [r for r in _rows() if not r["object_id"].startswith("biolink:")]
    assert rows
    for row in rows:
        subject = URIRef(str(expand(row["subject_id"])))
        obj = URIRef(str(expand(row["object_id"])))
        assert row["predicate_id"] == "skos:broadMatch"
        parents = set(graph.objects(subject, RDFS.subClassOf)) | set(
            graph.objects(subject, RDFS.subPropertyOf))
        assert obj in parents, row
        assert row["object_label"] in {str(v) for v in graph.objects(obj, RDFS.label)}, row


@pytest.mark.parametrize("column", ["subject_id", "object_id"])
def test_every_prefix_is_in_the_header(column: str) -> None:
    header = mapping_file().read_text("utf-8").split("\n")
    declared = {line.split(":")[0].strip("# ").strip() for line in header
                if line.startswith("#   ")}
    assert {r[column].split(":")[0] for r in _rows()} <= declared
