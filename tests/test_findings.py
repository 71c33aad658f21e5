"""Integrity of the findings (data/findings.ttl) and their entities (data/entities.ttl)."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

from exop.coverage import cited_references
from exop.namespaces import CITO, EXOP, EXOPD

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "sources" / "review.txt"
DATA = ROOT / "data"
EXPECTED = tomllib.loads(
    (Path(__file__).parent / "expected_counts.toml").read_text(encoding="utf-8")
)
ECO = "http://purl.obolibrary.org/obo/ECO_"
SECTIONS = {
    "introduction",
    "exosomes-and-mscs",
    "treatment-of-op",
    "osteoblasts",
    "osteoclasts",
    "bone-immunity",
    "conclusion",
    "abstract",
    "core-tip",
}
ENTITY_SLOTS = (
    EXOP.preparation,
    EXOP.cargo,
    EXOP.targetCell,
    EXOP.molecularTarget,
    EXOP.pathway,
    EXOP.outcome,
    EXOP.experimentalSystem,
    EXOP.studyEvidenceType,
    EXOP.evidenceType,
    EXOP.agent,
    EXOP.mediator,
)

@pytest.fixture(scope="module")
def findings() -> Graph:
    return Graph().parse(DATA / "findings.ttl")


@pytest.fixture(scope="module")
def entities() -> Graph:
    return Graph().parse(DATA / "entities.ttl")


def _all_findings(graph: Graph) -> list[URIRef]:
    found = sorted(f for f in graph.subjects(RDF.type, EXOP.Finding) if isinstance(f, URIRef))
    assert found, "no findings loaded"
    return found


def _section(finding: URIRef) -> str:
    local = str(finding).removeprefix(str(EXOPD))
    # A Table 1 row holds one finding for the row and, where the row states a mechanism,
    # one more per further step of it (finding-table-1-row-N-<step>).
    match = re.fullmatch(r"finding-(table-1)-row-[1-9](?:-[a-z]+)?|finding-(.+)-\d{2}", local)
    assert match, f"{local}: not finding-<section>-NN or finding-table-1-row-N[-<step>]"
    return match.group(1) or match.group(2)


def _refs(graph: Graph, finding: URIRef) -> set[int]:
    return {
        int(str(r).removeprefix(f"{EXOPD}reference-"))
        for r in graph.objects(finding, CITO.citesAsEvidence)
    }


def test_no_blank_nodes(findings: Graph, entities: Graph) -> None:
    for graph in (findings, entities):
        assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


def test_findings_per_section(findings: Graph) -> None:
    counts = Counter(_section(f) for f in _all_findings(findings))
    assert set(counts) <= SECTIONS | {"table-1"}
    assert dict(counts) == EXPECTED["findings"]["per_section"]
    assert sum(counts.values()) == EXPECTED["findings"]["total"]


@pytest.mark.parametrize("prop", [RDFS.label, EXOP.evidenceQuote, EXOP.evidenceType])
def test_each_finding_has_exactly_one(findings: Graph, prop: URIRef) -> None:
    bad = [f for f in _all_findings(findings) if len(list(findings.objects(f, prop))) != 1]
    assert bad == [], f"findings without exactly one {prop}"


def test_each_finding_is_stated_in_its_section(findings: Graph) -> None:
    for finding in _all_findings(findings):
        places = {str(p).removeprefix(str(EXOPD)) for p in findings.objects(finding, EXOP.statedIn)}
        section = _section(finding)
        if section == "table-1":
            number = re.sub(r"^.*-row-([1-9]).*$", r"\1", str(finding))
            assert places == {f"table-1-row-{number}"}, finding
        elif section in ("abstract", "core-tip"):
            assert places == {f"review-{section}"}, finding
        else:
            assert f"section-{section}" in places, finding
            assert places <= {f"section-{section}", "figure-1", "figure-2"}, finding


def test_quotes_are_verbatim(findings: Graph) -> None:
    text = REVIEW.read_text(encoding="utf-8")
    missing = [
        f for f in _all_findings(findings) if str(findings.value(f, EXOP.evidenceQuote)) not in text
    ]
    assert missing == [], "evidence quotes not found character for character in the review"


def test_citations_come_from_the_quote(findings: Graph) -> None:
    for finding in _all_findings(findings):
        quoted = set(cited_references(str(findings.value(finding, EXOP.evidenceQuote))))
        assert _refs(findings, finding) <= quoted, finding


def test_table_1_has_one_finding_per_row_citing_its_reference(findings: Graph) -> None:
    in_table = [f for f in _all_findings(findings) if _section(f) == "table-1"]
    rows = [f for f in in_table if re.fullmatch(r".*/finding-table-1-row-[1-9]", str(f))]
    assert len(rows) == EXPECTED["publication"]["table_1_rows"]
    for finding in in_table:
        quote = str(findings.value(finding, EXOP.evidenceQuote))
        assert len(cited_references(quote)) == 1
        assert _refs(findings, finding) == set(cited_references(quote)), finding


def test_evidence_type_follows_citation(findings: Graph) -> None:
    traceable = EXOPD["evidence-traceable-author-statement"]
    plain = EXOPD["evidence-author-statement"]
    inference = EXOPD["evidence-author-inference"]
    for finding in _all_findings(findings):
        kind = findings.value(finding, EXOP.evidenceType)
        assert kind in (traceable, plain, inference), finding
        if kind == traceable:
            assert _refs(findings, finding), f"{finding}: traceable statement without citation"
        if kind == plain:
            assert not _refs(findings, finding), (
                f"{finding}: cites but typed plain author statement"
            )


def test_direction_is_one_of_three(findings: Graph) -> None:
    allowed = {EXOP.increases, EXOP.decreases, EXOP.noEffect}
    for finding in _all_findings(findings):
        values = set(findings.objects(finding, EXOP.direction))
        assert len(values) <= 1 and values <= allowed, finding


def test_adverse_and_no_effect_findings_exist(findings: Graph) -> None:
    no_effect = [
        f for f in _all_findings(findings) if (f, EXOP.direction, EXOP.noEffect) in findings
    ]
    assert {_refs(findings, f) == {34} for f in no_effect} == {True} and len(no_effect) == 2
    mir31 = EXOPD["mirna-mir-31a-5p"]
    adverse = [
        f
        for f in _all_findings(findings)
        if (f, EXOP.cargo, mir31) in findings and (f, EXOP.direction, EXOP.increases) in findings
    ]
    assert len(adverse) == 3


def test_every_slot_value_is_a_described_entity(findings: Graph, entities: Graph) -> None:
    for finding in _all_findings(findings):
        for prop in ENTITY_SLOTS:
            for value in findings.objects(finding, prop):
                assert str(value).startswith(str(EXOPD)), (finding, prop, value)
                assert entities.value(value, RDFS.label) is not None, (finding, prop, value)
                assert entities.value(value, RDF.type) is not None, (finding, prop, value)


def test_every_entity_has_one_plain_label_and_a_type(entities: Graph) -> None:
    subjects = {s for s in entities.subjects() if isinstance(s, URIRef)}
    assert subjects
    for subject in subjects:
        labels = list(entities.objects(subject, RDFS.label))
        assert len(labels) == 1 and isinstance(labels[0], Literal), subject
        assert labels[0].language is None and labels[0].datatype is None, subject
        assert list(entities.objects(subject, RDF.type)), subject


def test_evidence_individuals_are_eco_typed(entities: Graph) -> None:
    for key, code in [
        ("evidence-traceable-author-statement", "0000033"),
        ("evidence-author-statement", "0000204"),
        ("evidence-author-inference", "0006185"),
        ("evidence-animal-model", "0000179"),
        ("evidence-cell-based-assay", "0001565"),
    ]:
        assert (EXOPD[key], RDF.type, URIRef(ECO + code)) in entities


def test_romosozumab_targets_sclerostin(entities: Graph) -> None:
    drug = EXOPD["drug-romosozumab"]
    assert (drug, EXOP.drugTarget, EXOPD["gene-sost"]) in entities
    assert (drug, EXOP.modeOfAction, EXOP.dualAction) in entities
    assert (drug, RDF.type, URIRef("https://go.drugbank.com/drugs/DB11866")) in entities


def test_reference_count() -> None:
    graph = Graph().parse(DATA / "references.ttl")
    numbers = set(graph.objects(None, EXOP.referenceNumber))
    assert len(numbers) == EXPECTED["publication"]["references"]


def test_cited_references_exist() -> None:
    graph = Graph().parse(DATA / "references.ttl")
    cited = set(Graph().parse(DATA / "findings.ttl").objects(None, CITO.citesAsEvidence))
    assert cited and cited <= set(graph.subjects()), cited - set(graph.subjects())
