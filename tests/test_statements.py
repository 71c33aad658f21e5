"""What the review says between its facts: mechanism chains, title statements, knowledge gaps,
qualitative slots and context links, asked through the packaged queries.

The shapes check each statement on its own (tests/fixtures/invalid/Chain*, TitleStatement*,
KnowledgeGap*, ContextLink*); these tests check what the package as a whole answers.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from exop import catalog
from exop.graph import load_data
from exop.namespaces import CITO, EXOP, EXOPD
from exop.resources import REVIEW_FILE
from exop.run import run_packaged_query

REVIEW = REVIEW_FILE
CHAIN_REFERENCES = {24, 25, 26, 28, 31, 32, 33, 38, 40}
"""The studies whose mechanism the review (or, for 31 and 38, only the cited title) states
as a chain of causes; the issue that asked for chains named these."""
LINKS = {
    "positive": EXOP.causallyUpstreamOfPositiveEffect,
    "negative": EXOP.causallyUpstreamOfNegativeEffect,
    "unsigned": EXOP.causallyUpstreamOf,
}


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_data()


Row = dict[str, Node | None]


def _rows(query_id: str, **parameters: str) -> list[Row]:
    result = run_packaged_query(query_id, parameters or None)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def _instances(data: Graph, cls: URIRef) -> set[URIRef]:
    found = {s for s in data.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    assert found, f"no {cls} in the data"
    return found


# ---------------------------------------------------------------- mechanism chains


@pytest.fixture(scope="module")
def chains() -> dict[URIRef, list[Row]]:
    by_chain: dict[URIRef, list[Row]] = defaultdict(list)
    for row in _rows("causal-chains"):
        chain = row["chain"]
        assert isinstance(chain, URIRef)
        by_chain[chain].append(row)
    return dict(by_chain)


def test_every_named_study_has_a_chain(chains: dict[URIRef, list[Row]]) -> None:
    referenced = {
        int(str(row["reference"]))
        for rows in chains.values()
        for row in rows
        if row["reference"] is not None
    }
    assert referenced >= CHAIN_REFERENCES, f"no chain for {sorted(CHAIN_REFERENCES - referenced)}"


def test_chains_come_in_order_from_position_one(
    chains: dict[URIRef, list[Row]],
) -> None:
    for chain, rows in chains.items():
        positions = [int(str(row["position"])) for row in rows]
        assert positions == sorted(positions), chain
        assert sorted(set(positions)) == list(range(1, max(positions) + 1)), chain


def test_every_link_goes_forward_within_its_chain_with_its_sign(
    chains: dict[URIRef, list[Row]], data: Graph
) -> None:
    for chain, rows in chains.items():
        position = {row["step"]: int(str(row["position"])) for row in rows}
        links = [(row["step"], row["effect"], row["next"]) for row in rows if row["next"]]
        assert links, f"{chain} has no causal link"
        for step, effect, following in links:
            assert following in position, (chain, following)
            assert position[following] > position[step], (chain, step, following)
            assert (step, LINKS[str(effect)], following) in data, (chain, step, effect)


def test_steps_share_the_chains_quote(chains: dict[URIRef, list[Row]], data: Graph) -> None:
    for chain, rows in chains.items():
        quote = rows[0]["quote"]
        for row in rows:
            step = row["step"]
            assert isinstance(step, URIRef)
            assert quote in (
                data.value(step, EXOP.evidenceQuote),
                data.value(step, EXOP.titleQuote),
            ), (chain, step)


def test_signed_links_agree_with_the_directions(data: Graph) -> None:
    checked = 0
    for effect in ("positive", "negative"):
        for upstream, downstream in data.subject_objects(LINKS[effect]):
            first = data.value(upstream, EXOP.direction)
            second = data.value(downstream, EXOP.direction)
            if first is None or second is None:
                continue
            assert EXOP.noEffect not in (first, second)
            assert (first == second) == (effect == "positive"), (upstream, effect, downstream)
            checked += 1
    assert checked >= 10


def test_signed_graph_tells_inhibition_from_activation() -> None:
    """'By inhibiting macrophage polarization' and 'via MAPK' are edges of opposite sign."""
    result = run_packaged_query("mechanism-edges")
    assert result.graph is not None
    relation = {
        (str(s).removeprefix(str(EXOPD)), str(o).removeprefix(str(EXOPD))): str(p)
        for s, p, o in result.graph
        if str(p).startswith("http://purl.obolibrary.org/obo/RO_00023")
    }
    ro = "http://purl.obolibrary.org/obo/RO_"
    polarization = ("process-macrophage-polarization", "process-osteoblast-differentiation")
    assert relation[polarization] == ro + "0002305"
    assert relation[("process-mapk-cascade", "process-osteoblast-proliferation")] == ro + "0002304"
    assert relation[("gene-vapb", "process-canonical-wnt")] == ro + "0002305"


# ---------------------------------------------------------------- two kinds of provenance


def test_title_and_review_statements_are_disjoint(data: Graph) -> None:
    from_titles = {row["statement"] for row in _rows("title-statements")}
    from_review = {row["statement"] for row in _rows("review-statements")}
    assert from_titles == _instances(data, EXOP.TitleStatement)
    assert from_review == _instances(data, EXOP.Finding) | _instances(data, EXOP.KnowledgeGap)
    assert not from_titles & from_review


def test_title_statements_quote_their_reference_title(data: Graph) -> None:
    titles = {row["number"]: row["title"] for row in _rows("reference-list")}
    for row in _rows("title-statements"):
        assert row["title"] == titles[row["number"]], row["statement"]


def test_findings_hold_only_what_the_review_states(data: Graph) -> None:
    """The human source and TNF-alpha pretreatment of reference 32's exosomes and the
    osteonecrosis model of reference 26 come from titles only: no finding carries them."""
    findings = _instances(data, EXOP.Finding)
    for finding in findings:
        for preparation in data.objects(finding, EXOP.preparation):
            if (preparation, EXOP.sourceTissue, EXOPD["anatomy-gingiva"]) in data:
                assert data.value(preparation, EXOP.treatment) is None, (finding, preparation)
                assert data.value(preparation, EXOP.sourceOrganism) is None, (finding, preparation)
        for system in data.objects(finding, EXOP.experimentalSystem):
            disease = EXOPD["disease-osteonecrosis-of-the-femoral-head"]
            assert (system, EXOP.diseaseModel, disease) not in data, (finding, system)
    added = {row["preparationLabel"] for row in _rows("title-statements")}
    assert Literal("exosomes from TNF-\u03b1-treated human gingiva-derived MSCs") in added


def test_every_quote_of_every_kind_is_verbatim(data: Graph) -> None:
    text = REVIEW.read_text(encoding="utf-8")
    props = (EXOP.evidenceQuote, EXOP.titleQuote, EXOP.contextQuote, EXOP.chainQuote)
    quotes = [(s, o) for p in props for s, o in data.subject_objects(p)]
    assert len(quotes) > 150
    assert [s for s, o in quotes if str(o) not in text] == []


# ---------------------------------------------------------------- knowledge gaps


def test_knowledge_gaps_are_answerable_and_kept_out_of_result_queries(data: Graph) -> None:
    gaps = _instances(data, EXOP.KnowledgeGap)
    titles = _instances(data, EXOP.TitleStatement)
    assert {row["gap"] for row in _rows("knowledge-gaps")} == gaps
    allowed = {
        "knowledge-gaps": gaps,
        "review-statements": gaps,
        "title-statements": titles,
        "causal-chains": titles,
    }
    for query in catalog.list_queries():
        if query.form != "SELECT" or "federated" in query.tags or query.parameters:
            continue
        answered = {t for row in _rows(query.id) for t in row.values() if t in gaps | titles}
        assert answered <= allowed.get(query.id, set()), query.id


# ---------------------------------------------------------------- typed qualitative claims


def test_drug_drawbacks_and_exosome_delivery_properties() -> None:
    drawbacks = {str(row["drawback"]).rsplit("/", 1)[1] for row in _rows("drug-adverse-effects")}
    assert drawbacks == {"sideEffects", "contraindications", "longTermAdministration"}
    delivery = {
        str(row["property"]).rsplit("/", 1)[1] for row in _rows("exosome-delivery-properties")
    }
    assert delivery == {"goodTargetingAbility", "highPermeability", "lowToxicity"}


def test_osteoclast_precursors_are_in_the_bone_marrow() -> None:
    rows = _rows("precursor-locations")
    assert [(r["precursor"], r["location"]) for r in rows] == [
        (EXOPD["cell-hematopoietic-progenitor"], EXOPD["anatomy-bone-marrow"])
    ]


def test_cell_origins_state_develops_from_and_potency() -> None:
    claims = {
        (str(r["agentLabel"]), str(r["relation"]), str(r["objectLabel"]))
        for r in _rows("cell-origins")
    }
    assert ("mesenchymal stem cells (MSCs)", "develops into", "osteoblasts") in claims
    assert ("mesenchymal stem cells (MSCs)", "is stated to be", "pluripotent stem cells") in claims
    assert ("hematopoietic progenitor cells", "located in", "bone marrow") in claims


# ---------------------------------------------------------------- specific entities


def test_named_mirnas_are_told_from_mirnas_in_general(data: Graph) -> None:
    cargo = {c for c in data.objects(None, EXOP.cargo) if str(c).startswith(f"{EXOPD}mirna-")}
    named = {c for c in cargo if (c, RDF.type, EXOP.NamedMirna) in data}
    assert cargo - named == {EXOPD["mirna-mirnas"]}
    assert len(named) == 4


def test_msc_sources_are_told_apart_by_typed_links(data: Graph) -> None:
    part_of = URIRef("http://purl.obolibrary.org/obo/BFO_0000050")
    develops_from = URIRef("http://purl.obolibrary.org/obo/RO_0002202")
    assert (EXOPD["cell-gmsc"], part_of, EXOPD["anatomy-gingiva"]) in data
    assert (EXOPD["cell-hipsc-msc"], develops_from, EXOPD["cell-hipsc"]) in data
    assert (EXOPD["cell-msc"], part_of, None) not in data


# ---------------------------------------------------------------- context links


def test_uncited_sentences_are_found_from_the_study_they_continue(data: Graph) -> None:
    rows = _rows("findings-on-study", number="33")
    context = {r["finding"] for r in rows if r["link"] == Literal("context")}
    assert context == {EXOPD[f"finding-osteoclasts-{n}"] for n in ("10", "11", "12")}
    citing = set(data.subjects(CITO.citesAsEvidence, EXOPD["reference-33"]))
    assert {r["finding"] for r in rows if r["link"] == Literal("cites")} == citing
    assert not context & citing
