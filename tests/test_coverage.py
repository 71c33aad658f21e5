"""The coverage module: sentence splitting, cited references, and full coverage of the review."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from exop.coverage import (
    TextUnit,
    body_units,
    cited_references,
    coverage,
    coverage_of,
    front_units,
    non_factual_sentences,
    split_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "sources" / "review.txt"
FINDINGS = ROOT / "data" / "findings.ttl"
KNOWLEDGE_GAPS = ROOT / "data" / "knowledge-gaps.ttl"
"""A knowledge gap rests on its own sentence too, so coverage counts it like a finding."""
EXPECTED = tomllib.loads(
    (Path(__file__).parent / "expected_counts.toml").read_text(encoding="utf-8")
)

@pytest.fixture(scope="module")
def review_text() -> str:
    return REVIEW.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def findings() -> Graph:
    return Graph().parse(FINDINGS).parse(KNOWLEDGE_GAPS)


# ---------------------------------------------------------------- splitter and citations
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1]", (1,)),
        ("fractures[1].", (1,)),
        ("OP[16,17].", (16, 17)),
        ("animal studies[7-13] (Figure 1).", (7, 8, 9, 10, 11, 12, 13)),
        ("drugs[22-24].", (22, 23, 24)),
        ("a[3] and b[3]", (3,)),
        ("interleukin (IL)-12 and IL-6", ()),
        ("Wnt5a/JNK (Figure 2)", ()),
    ],
)
def test_cited_references(text: str, expected: tuple[int, ...]) -> None:
    assert cited_references(text) == expected


def test_splitter_keeps_et_al_and_interleukins_whole() -> None:
    paragraph = (
        "In 1974, Friedenstein et al[14] first discovered it. Levels of interleukin (IL)-12 and "
        "IL-6 reduced[38]. hFOB 1.19 cells grew[25]. Shown (Figure 1). Next one."
    )
    assert split_sentences(paragraph) == (
        "In 1974, Friedenstein et al[14] first discovered it.",
        "Levels of interleukin (IL)-12 and IL-6 reduced[38].",
        "hFOB 1.19 cells grew[25].",
        "Shown (Figure 1).",
        "Next one.",
    )


def test_splitter_does_not_split_after_et_al_with_period() -> None:
    assert split_sentences("As Smith et al. Showed, it holds. Yes.") == (
        "As Smith et al. Showed, it holds.",
        "Yes.",
    )


def test_coverage_of_matches_quotes_exactly() -> None:
    graph = Graph().parse(
        data="@prefix exop: <https://w3id.org/exop/> . "
        '<https://w3id.org/exop/data/f1> exop:evidenceQuote "A b[1]." .',
        format="turtle",
    )
    units = (TextUnit("s", 1, "sentence", "A b[1]."), TextUnit("s", 2, "sentence", "A b[1]"))
    report = coverage_of(units, graph)
    assert [u.covered for u in report.units] == [True, False]
    assert report.uncovered == (units[1],)
    assert report.unmatched_findings == ()


# ---------------------------------------------------------------- the review itself
def test_body_unit_counts(review_text: str) -> None:
    kinds = Counter(u.kind for u in body_units(review_text))
    assert kinds["sentence"] == EXPECTED["coverage"]["body_sentences"]
    assert kinds["table-row"] == EXPECTED["coverage"]["body_table_rows"]
    assert kinds["table-row"] == EXPECTED["publication"]["table_1_rows"]


def test_body_leaves_out_headings_and_captions(review_text: str) -> None:
    texts = [u.text for u in body_units(review_text)]
    assert not any(t.startswith(("Figure ", "Table ")) for t in texts)
    assert "INTRODUCTION" not in texts and "Consequence" not in texts
    assert not any("Footnotes" in t or "Provenance" in t for t in texts)


def test_non_factual_sentences_ship_with_the_package() -> None:
    listed = non_factual_sentences()
    assert listed, "the packaged list of non-factual sentences is empty"
    assert all(u.section and u.text and u.reason.strip() for u in listed)
    assert len({(u.section, u.text) for u in listed}) == len(listed), "a sentence listed twice"


def test_every_factual_sentence_is_covered(review_text: str, findings: Graph) -> None:
    report = coverage(review_text, findings, include_front_matter=True)
    expected = {(u.section, u.text) for u in non_factual_sentences()}
    actual = {(u.section, u.text) for u in report.uncovered}
    assert actual - expected == set(), "sentences with no finding (add findings or justify them)"
    assert expected - actual == set(), "sentences listed as uncovered now have findings"
    assert report.unmatched_findings == (), "findings whose quote is no sentence of the review"


def test_sentence_citations_equal_the_findings_citations(review_text: str, findings: Graph) -> None:
    from exop.namespaces import CITO, EXOPD

    report = coverage(review_text, findings, include_front_matter=True)
    problems = []
    for item in report.units:
        cited: set[int] = set()
        for finding in item.findings:
            numbers = {
                int(str(ref).removeprefix(str(EXOPD) + "reference-"))
                for ref in findings.objects(finding, CITO.citesAsEvidence)
            }
            if not numbers <= set(item.unit.references):
                problems.append(f"{finding} cites {sorted(numbers)} beyond its sentence")
            if item.unit.kind == "table-row" and numbers != set(item.unit.references):
                problems.append(f"{finding} must cite exactly its row's reference")
            cited |= numbers
        if item.findings and cited != set(item.unit.references):
            head = item.unit.text[:60]
            problems.append(f"{head!r} cites {item.unit.references}, findings {sorted(cited)}")
    assert problems == []


def test_front_matter_units(review_text: str) -> None:
    sections = Counter(u.section for u in front_units(review_text))
    assert sections == {"abstract": 7, "core-tip": 4}
