"""The KGX export: Biolink categories, CURIEs, qualifiers and provenance, validated by KGX.

The files are checked by KGX's own validator (and its TSV reader) against the Biolink model
that the biolink-model package ships, offline (tests/ecosystem.py), and the ids by
Bioregistry. The expected numbers come from the data, never from a copy of the output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, URIRef

from exop.exporters import _findings as fd
from exop.exporters import get_exporter
from exop.package import default_package

from ecosystem import biolink_version, no_network, offline_kgx, require


@pytest.fixture(scope="module")
def tsv_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kgx")
    for name, data in get_exporter("kgx").render(default_package()).items():
        (folder / name).write_bytes(data)
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter="\t",
                               quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("name", ["kgx", "kgx-jsonl"])
def test_export_is_byte_identical_across_runs(name: str) -> None:
    from exop.package import Package

    first = get_exporter(name).render(default_package())
    second = get_exporter(name).render(Package())
    assert dict(first) == dict(second)


def _kgx_prefixes(folder: Path) -> dict[str, str]:
    declared: dict[str, str] = json.loads((folder / "prefixes.json").read_text("utf-8"))
    return declared


def _without_acronym_false_positives(errors: dict[str, dict[str, list[str]]],
                                     toolkit: object) -> dict[str, dict[str, list[str]]]:
    # KGX tests a category against ^([A-Z][a-z\d]+)+$, which rejects Biolink's own class
    # names with acronyms (MicroRNA): drop only those messages, and only for names bmt
    # confirms are Biolink categories.
    kept: dict[str, dict[str, list[str]]] = {}
    for kind, messages in errors.items():
        for message, ids in messages.items():
            match = re.fullmatch(r"Category '(\w+)' is not in CamelCase form", message)
            if (kind == "INVALID_CATEGORY" and match
                    and toolkit.is_category(f"biolink:{match[1]}")):  # type: ignore[attr-defined]
                continue
            kept.setdefault(kind, {})[message] = ids
    return kept


def test_export_declares_only_prefixes_biolink_lacks(tsv_files: Path) -> None:
    require("biolink_model")
    import importlib.resources

    biolink = json.loads((importlib.resources.files("biolink_model") / "prefixmaps"
                          / "biolink-model-prefix-map.json").read_text("utf-8"))
    declared = _kgx_prefixes(tsv_files)
    assert not set(declared) & set(biolink)
    used = {i.split(":", 1)[0] for n in _rows(tsv_files / "nodes.tsv") for i in [n["id"]]}
    assert used <= set(biolink) | set(declared)
    bioregistry = require("bioregistry")
    assert {p for p in declared if bioregistry.normalize_prefix(p) is None} == {"exop", "exopd"}


def test_kgx_validator_reports_no_error(tsv_files: Path) -> None:
    validator_module = offline_kgx(_kgx_prefixes(tsv_files))
    transformer_module = require("kgx.transformer")
    with no_network():
        validator = validator_module.Validator()
        assert validator.get_validation_model_version() == biolink_version()
        transformer = transformer_module.Transformer(stream=True)
        transformer.transform(
            input_args={"filename": [str(tsv_files / "nodes.tsv"), str(tsv_files / "edges.tsv")],
                        "format": "tsv"},
            output_args={"format": "null"},
            inspector=validator,
        )
    errors = validator.get_errors()
    real = _without_acronym_false_positives(errors.get("ERROR", {}), validator.validating_toolkit)
    assert real == {}, json.dumps(real, indent=1)[:3000]
    assert transformer.store.graph.number_of_nodes() == 0  # streamed: nothing kept
    nodes, edges = _rows(tsv_files / "nodes.tsv"), _rows(tsv_files / "edges.tsv")
    assert validator.get_errors().get("CRITICAL", {}) == {}
    assert len(nodes) > 0 and len(edges) > 0


def test_kgx_reads_every_node_and_edge(tsv_files: Path) -> None:
    offline_kgx()
    transformer_module = require("kgx.transformer")
    with no_network():
        transformer = transformer_module.Transformer()
        transformer.transform(
            input_args={"filename": [str(tsv_files / "nodes.tsv"), str(tsv_files / "edges.tsv")],
                        "format": "tsv"},
        )
    graph = transformer.store.graph
    assert graph.number_of_nodes() == len(_rows(tsv_files / "nodes.tsv"))
    # KGX keys an edge by (subject, predicate, object): of several findings stating the same
    # relation, its in-memory graph keeps one (the files keep them all).
    edges = _rows(tsv_files / "edges.tsv")
    assert graph.number_of_edges() == len({(e["subject"], e["predicate"], e["object"])
                                           for e in edges})


def test_kgx_reads_the_jsonl_export(tmp_path: Path) -> None:
    offline_kgx()
    transformer_module = require("kgx.transformer")
    artifact = get_exporter("kgx-jsonl").render(default_package())
    for name, data in artifact.items():
        (tmp_path / name).write_bytes(data)
    with no_network():
        transformer = transformer_module.Transformer()
        transformer.transform(input_args={
            "filename": [str(tmp_path / "nodes.jsonl"), str(tmp_path / "edges.jsonl")],
            "format": "jsonl"})
    nodes = artifact["nodes.jsonl"].decode().splitlines()
    edges = artifact["edges.jsonl"].decode().splitlines()
    assert transformer.store.graph.number_of_nodes() == len(nodes)
    triples = {(r["subject"], r["predicate"], r["object"]) for r in map(json.loads, edges)}
    assert transformer.store.graph.number_of_edges() == len(triples)


def test_bmt_knows_every_category_predicate_and_qualifier_value(tsv_files: Path) -> None:
    validator_module = offline_kgx(_kgx_prefixes(tsv_files))
    toolkit = validator_module.Validator.get_toolkit()
    for node in _rows(tsv_files / "nodes.tsv"):
        for category in node["category"].split("|"):
            assert toolkit.is_category(category), (node["id"], category)
        assert category != "biolink:NamedThing", f"{node['id']} has no specific category"
    for edge in _rows(tsv_files / "edges.tsv"):
        assert toolkit.is_predicate(edge["predicate"]), edge["id"]
        if edge["object_direction_qualifier"]:
            assert toolkit.validate_qualifier(
                "object_direction_qualifier", edge["object_direction_qualifier"]), edge["id"]
        if edge["object_aspect_qualifier"]:
            assert toolkit.validate_qualifier(
                "object_aspect_qualifier", edge["object_aspect_qualifier"]), edge["id"]


def test_every_external_id_is_a_curie_bioregistry_normalises(tsv_files: Path) -> None:
    bioregistry = require("bioregistry")
    ids = [n["id"] for n in _rows(tsv_files / "nodes.tsv")]
    ids += [p for e in _rows(tsv_files / "edges.tsv") for p in e["publications"].split("|") if p]
    assert all(":" in i and "://" not in i for i in ids)
    external = [i for i in ids if not i.startswith(("exopd:", "exop:"))]
    assert external
    unnormalised = [i for i in external if bioregistry.normalize_curie(i) is None]
    assert unnormalised == []


def test_each_finding_with_two_ends_gives_edges_with_its_evidence(tsv_files: Path) -> None:
    graph = default_package().data
    edges = [e for e in _rows(tsv_files / "edges.tsv") if e["predicate"] == "biolink:affects"]
    by_quote: dict[str, list[dict[str, str]]] = {}
    for edge in edges:
        by_quote.setdefault(edge["supporting_text"], []).append(edge)
    expected = 0
    for finding in fd.findings(graph):
        pairs = list(fd.pairs(finding))
        expected += len(pairs)
        if not pairs:
            continue
        # Chain steps share their row's quote and extend its IRI: match the id exactly.
        own = "exopd:" + str(finding.iri).rsplit("/", 1)[1]
        mine = [e for e in by_quote[finding.quote]
                if e["id"] == own or e["id"].startswith(own + "-edge-")]
        assert len(mine) == len(pairs), finding.iri
        for edge in mine:
            assert edge["knowledge_level"] == (
                "prediction" if finding.inferred else "knowledge_assertion")
            assert edge["agent_type"] == "manual_agent"
            assert "doi:10.4252/wjsc.v15.i3.83" in edge["publications"].split("|")
            direction = str(finding.direction or "").rsplit("/", 1)[-1]
            assert edge["object_direction_qualifier"] == {
                "increases": "increased", "decreases": "decreased"}.get(direction, "")
            assert (edge["negated"] == "True") == (direction == "noEffect")
    assert len(edges) == expected > 0


def test_every_entity_reaches_its_external_class(tsv_files: Path) -> None:
    graph = default_package().data
    type_edges = {(e["subject"], e["object"]) for e in _rows(tsv_files / "edges.tsv")
                  if e["predicate"] == "biolink:subclass_of"}
    node_ids = {n["id"] for n in _rows(tsv_files / "nodes.tsv")}
    entity_ids = {i for i in node_ids if i.startswith("exopd:")}
    typed = {s for s, _ in type_edges}
    untyped = []
    for entity in entity_ids:
        iri = URIRef("https://w3id.org/exop/data/" + entity.split(":", 1)[1])
        # owl:NamedIndividual says what the node is in OWL, not which class it belongs to.
        has_external = any(not str(t).startswith(("https://w3id.org/exop/", str(OWL)))
                           for t in graph.objects(iri, RDF.type))
        if has_external and entity not in typed:
            untyped.append(entity)
    assert untyped == []
    assert {o for _, o in type_edges} <= node_ids


def test_cited_reference_identifiers_become_publications() -> None:
    # The data may or may not record PMIDs yet: build a package with one and check it is used.
    from rdflib import Literal

    from exop.exporters import kgx

    package = default_package()
    finding = next(f for f in fd.findings(package.data) if f.references and list(fd.pairs(f)))
    triple = (finding.references[0], fd.FABIO_PMID, Literal("12345678"))
    graphs = (package.data, package.union)
    for graph in graphs:
        graph.add(triple)
    try:
        assert "PMID:12345678" in fd.finding_publications(package.union, finding)
        assert any("PMID:12345678" in e.get("publications", [])  # type: ignore[operator]
                   for e in kgx.knowledge_graph(package).edges)
    finally:
        for graph in graphs:
            graph.remove(triple)
