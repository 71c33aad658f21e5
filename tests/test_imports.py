"""The import module: reproducible, up to date, complete, well-formed identifiers."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import cast

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from exop import graph as package_graph
from exop import resources
from exop.namespaces import CONVERTER
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "ontology" / "imports" / "exop-imports.ttl"
PATTERNS = ROOT / "ontology" / "imports" / "id-patterns.tsv"
NOT_CHECKED = ("exop", "exopd", "exopsh", "rdf", "rdfs", "owl", "xsd", "skos", "sh", "dcterms")


builder = load_script("tools/build_imports.py", "build_imports")
# The verified-terms table the tool reads by default: its copy inside the repository.
TERMS_TSV: Path = builder.DEFAULT_TERMS_TSV


def _diff(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {t}" for t in sorted(only_expected)[:15]] + [
        f"+ {t}" for t in sorted(only_actual)[:15]
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def committed() -> Graph:
    return package_graph.parse_file(MODULE)


@pytest.fixture(scope="module")
def fresh() -> Graph:
    graph: Graph = builder.build(TERMS_TSV)
    return graph


def test_build_is_deterministic(fresh: Graph) -> None:
    again = builder.build(TERMS_TSV)
    assert to_isomorphic(again) == to_isomorphic(fresh), _diff(fresh, again)
    assert builder.serialize(again) == builder.serialize(fresh)


def test_committed_module_is_up_to_date(committed: Graph, fresh: Graph) -> None:
    assert to_isomorphic(committed) == to_isomorphic(fresh), (
        "ontology/imports/exop-imports.ttl is stale; run `python tools/build_imports.py`\n"
        + _diff(fresh, committed)
    )


def test_every_external_class_used_is_declared_with_a_label(committed: Graph) -> None:
    used = builder.terms_in_use(package_graph.load_package().union())
    assert len(used) > 50
    missing = []
    for curie in sorted(used):
        iri = builder.expand(curie)
        if (iri, RDF.type, OWL.Class) not in committed or committed.value(iri, RDFS.label) is None:
            missing.append(curie)
    assert missing == [], f"used but not declared with a label in the import module: {missing}"


def test_hierarchy_reaches_a_root(committed: Graph) -> None:
    # osteoclast -> ... -> cell; canonical Wnt -> ... -> biological_process
    cell_chain = set(
        committed.transitive_objects(URIRef(builder.PREFIX_MAP["CL"] + "0000092"), RDFS.subClassOf)
    )
    assert URIRef(builder.PREFIX_MAP["CL"] + "0000000") in cell_chain
    wnt_chain = set(
        committed.transitive_objects(URIRef(builder.PREFIX_MAP["GO"] + "0060070"), RDFS.subClassOf)
    )
    assert URIRef(builder.PREFIX_MAP["GO"] + "0008150") in wnt_chain


def test_module_records_its_sources_and_versions(committed: Graph) -> None:
    sources = {str(s) for s in committed.objects(builder.MODULE_IRI, DCTERMS.source)}
    table = builder.read_sources_table()
    assert len(table) >= 8
    for source_id, description in table.items():
        assert f"{source_id}: {description}" in sources
    assert any("cellxgene-ontology-guide==1.11.1" in s for s in sources)


def test_labels_agree_with_terms_tsv(committed: Graph) -> None:
    labels = builder.terms_from_tsv(TERMS_TSV)
    assert len(labels) > 100, f"{TERMS_TSV} lost its rows"
    mismatches = {
        curie: (label, str(committed.value(builder.expand(curie), RDFS.label)))
        for curie, label in labels.items()
        if (builder.expand(curie), RDFS.label, None) in committed
        and str(committed.value(builder.expand(curie), RDFS.label)) != label
    }
    assert mismatches == {}


# --- builder units ------------------------------------------------------------------------


def test_direct_parents_are_the_minimal_ancestors() -> None:
    closure = {"B": ("C", "D"), "C": ("D",), "D": (), "E": ()}
    assert builder.direct_parents({"B": 1, "C": 2, "D": 3, "E": 1}, closure) == ["B", "E"]


def test_deprecated_terms_are_marked_and_found_by_qc() -> None:
    record = builder.Record("CL:9999999", "obsolete cell", ("CL:0000000",), True, "test")
    cell = builder.Record("CL:0000000", "cell", (), False, "test")
    graph = builder.render({r.curie: r for r in (record, cell)}, builder.Snapshot(), "0.0.0")
    iri = builder.expand("CL:9999999")
    assert (iri, OWL.deprecated, Literal(True)) in graph
    graph.add((URIRef("https://w3id.org/exop/data/x"), RDF.type, iri))
    text = (ROOT / "queries" / "qc-deprecated-term-violation.rq").read_text(encoding="utf-8")
    assert len(list(graph.query(text))) == 1


def test_uberon_edges_are_part_of_restrictions() -> None:
    record = builder.Record("UBERON:0006767", "head of femur", ("UBERON:0000981",), edge="part_of")
    femur = builder.Record("UBERON:0000981", "femur")
    graph = builder.render({r.curie: r for r in (record, femur)}, builder.Snapshot(), "0.0.0")
    restriction = graph.value(builder.expand("UBERON:0006767"), RDFS.subClassOf)
    assert graph.value(restriction, OWL.onProperty) == builder.PART_OF
    assert graph.value(restriction, OWL.someValuesFrom) == builder.expand("UBERON:0000981")


def test_missing_term_names_the_fix() -> None:
    with pytest.raises(builder.BuildError, match="--refresh"):
        builder.resolve({"CL:1234567"}, builder.Snapshot(), {}, {})


# --- identifiers --------------------------------------------------------------------------


def _patterns() -> dict[str, re.Pattern[str]]:
    with PATTERNS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["prefix"]: re.compile(row["pattern"]) for row in rows}


def test_id_pattern_table_examples_match() -> None:
    with PATTERNS.open(encoding="utf-8", newline="") as handle:
        rows = list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )
    assert len(rows) >= 15
    for row in rows:
        assert re.fullmatch(row["pattern"], row["example"]), row


def test_every_external_identifier_is_well_formed() -> None:
    patterns = _patterns()
    graph = Graph()
    for path in (*resources.ontology_files(), *resources.data_files()):
        graph += package_graph.parse_file(path)
    nodes = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    bad: list[str] = []
    checked = 0
    for node in sorted(nodes):
        curie = cast("str | None", CONVERTER.compress(str(node)))
        if curie is None:
            continue
        prefix, _, local = curie.partition(":")
        if prefix in NOT_CHECKED or prefix not in patterns:
            continue
        checked += 1
        if not patterns[prefix].match(local):
            bad.append(curie)
    assert checked > 100
    assert bad == [], f"identifiers not matching their prefix's pattern: {bad}"
