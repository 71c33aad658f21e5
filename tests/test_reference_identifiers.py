"""Identifiers of the review and its references: data/reference-identifiers.tsv (where each
DOI, PMID and PMCID was seen) and the RDF (bibo:doi, fabio:hasPubMedId,
fabio:hasPubMedCentralId, schema:sameAs) agree row by row, and the data/README.md section
written from the table is up to date.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from exop import graph as package_graph
from exop.namespaces import compress
from exop.resources import DATA_DIR
from scripts import load_script

BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
SCHEMA = Namespace("http://schema.org/")
EXOPD = Namespace("https://w3id.org/exop/data/")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

TABLE = DATA_DIR / "reference-identifiers.tsv"
COLUMNS = [
    "reference",
    "doi",
    "pmid",
    "pmcid",
    "doi_seen_at",
    "pmid_seen_at",
    "pmcid_seen_at",
    "checked_on",
    "note",
]
PROPERTY = {"doi": BIBO.doi, "pmid": FABIO.hasPubMedId, "pmcid": FABIO.hasPubMedCentralId}
PATTERN = {
    "doi": re.compile(r"^10\.\d{4,9}/\S+$"),
    "pmid": re.compile(r"^[1-9]\d*$"),
    "pmcid": re.compile(r"^PMC\d+$"),
}
RESOLVER = {
    "doi": "https://doi.org/{}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}/",
    "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/",
}
PUBMED_HOSTS = {"pubmed.ncbi.nlm.nih.gov", "www.pubmed.gov", "pubmed.gov"}
PMC_HOSTS = {"pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov"}
CROSSREF_HOSTS = {"api.crossref.org", "search.crossref.org"}
# The publishers' own article sites an identifier was seen on. A new one is added here by
# hand, after checking that the site is the journal's publisher and not a copy.
PUBLISHER_HOSTS = {
    "wjgnet.com",
    "www.wjgnet.com",
    "www.frontiersin.org",
    "science.sciencemag.org",
    "www.thno.org",
    "www.nature.com",
    "biolres.biomedcentral.com",
    "stemcellres.biomedcentral.com",
    "www.mdpi.com",
}
OFFICIAL_HOSTS = {
    "doi": PUBMED_HOSTS | PMC_HOSTS | CROSSREF_HOSTS | PUBLISHER_HOSTS,
    "pmid": PUBMED_HOSTS,
    "pmcid": PMC_HOSTS,
}
N_REFERENCES = 40


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(
            (line for line in handle if not line.startswith("#")), delimiter="\t"
        )
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def table() -> list[dict[str, str]]:
    columns, rows = _read(TABLE)
    assert columns == COLUMNS, f"{TABLE.name}: columns {columns}, expected {COLUMNS}"
    return rows


@pytest.fixture(scope="module")
def data() -> Graph:
    return package_graph.load_data()


def _work(reference: str) -> URIRef:
    return EXOPD["review"] if reference == "review" else EXOPD[f"reference-{reference}"]


def _name(reference: str) -> str:
    return "the review" if reference == "review" else f"reference {reference}"


def rdf_disagreements(row: dict[str, str], data: Graph) -> list[str]:
    """What the RDF says differently from one table row, each naming the work."""
    work, name = _work(row["reference"]), _name(row["reference"])
    problems = []
    links: set[URIRef] = set()
    for kind, prop in PROPERTY.items():
        in_rdf = {str(o) for o in data.objects(work, prop)}
        in_table = {row[kind]} if row[kind] else set()
        if in_rdf != in_table:
            problems.append(
                f"{name}: {compress(str(prop))} is {sorted(in_rdf)} in the RDF,"
                f" {sorted(in_table)} in {TABLE.name}"
            )
        links |= {URIRef(RESOLVER[kind].format(v)) for v in in_table}
    sameas = set(data.objects(work, SCHEMA.sameAs))
    if sameas != links:
        problems.append(
            f"{name}: schema:sameAs is {sorted(map(str, sameas))} in the RDF, "
            f"{sorted(map(str, links))} from {TABLE.name}"
        )
    return problems


def table_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with one table row on its own, each naming the work."""
    name = _name(row["reference"])
    problems = []
    for kind in PROPERTY:
        value, seen_at = row[kind], row[f"{kind}_seen_at"]
        if bool(value) != bool(seen_at):
            problems.append(f"{name}: {kind} {value!r} and {kind}_seen_at {seen_at!r} go together")
            continue
        if not value:
            continue
        if not PATTERN[kind].match(value):
            problems.append(f"{name}: {kind} {value!r} is not well formed")
        url = urlsplit(seen_at)
        if url.scheme not in {"http", "https"} or url.hostname not in OFFICIAL_HOSTS[kind]:
            problems.append(f"{name}: {kind} seen at {seen_at!r}, not an official record for it")
    if not row["note"].strip():
        problems.append(f"{name}: empty note")
    try:
        date.fromisoformat(row["checked_on"])
    except ValueError:
        problems.append(f"{name}: checked_on {row['checked_on']!r} is not a date")
    return problems


# ------------------------------------------------------------- the table itself
def test_one_row_for_the_review_and_each_reference_in_order(table: list[dict[str, str]]) -> None:
    expected = ["review"] + [str(n) for n in range(1, N_REFERENCES + 1)]
    assert [row["reference"] for row in table] == expected


def test_every_row_is_well_formed(table: list[dict[str, str]]) -> None:
    problems = [p for row in table for p in table_problems(row)]
    assert problems == [], "\n".join(problems)


def test_the_review_keeps_the_doi_it_prints(table: list[dict[str, str]], data: Graph) -> None:
    review = table[0]
    assert review["doi"] == str(data.value(EXOPD.review, BIBO.doi))


# ------------------------------------------------------------- table and RDF agree
@pytest.mark.parametrize("number", ["review", *map(str, range(1, N_REFERENCES + 1))])
def test_table_and_rdf_agree(table: list[dict[str, str]], data: Graph, number: str) -> None:
    row = next(r for r in table if r["reference"] == number)
    problems = rdf_disagreements(row, data)
    assert problems == [], "\n".join(problems)


def test_no_other_node_has_an_identifier_or_a_resolver_link(data: Graph) -> None:
    works = {_work("review")} | {_work(str(n)) for n in range(1, N_REFERENCES + 1)}
    others = sorted(
        {str(s) for p in (*PROPERTY.values(), SCHEMA.sameAs) for s in data.subjects(p, None)}
        - {str(w) for w in works}
    )
    assert others == []


def test_identifiers_are_plain_strings(data: Graph) -> None:
    typed = sorted(
        f"{s.n3()} {p.n3()} {o.n3()}"
        for p in PROPERTY.values()
        for s, o in data.subject_objects(p)
        if not (isinstance(o, Literal) and o.datatype in (None, XSD_STRING) and not o.language)
    )
    assert typed == []


# ------------------------------------------------------------- the checks can fail
def test_a_disagreement_names_the_reference(data: Graph) -> None:
    row = dict.fromkeys(COLUMNS, "")
    row.update(reference="17", doi="10.4252/wjsc.v12.i5.339", checked_on="2026-12-01", note="x")
    problems = rdf_disagreements(row, data)
    assert problems and all(p.startswith("reference 17: ") for p in problems)
    assert any("fabio:hasPubMedId" in p for p in problems)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"pmid": "PMID:1"}, "not well formed"),
        (
            {"pmid": "1", "pmid_seen_at": "https://suppr.wilddata.cn/browses/detail/pubmed/1"},
            "not an official record",
        ),
        ({"pmcid": "PMC1"}, "go together"),
        ({"note": " "}, "empty note"),
        ({"checked_on": "01/12/2026"}, "not a date"),
    ],
)
def test_a_bad_row_is_reported(change: dict[str, str], complaint: str) -> None:
    row = dict.fromkeys(COLUMNS, "")
    row.update(reference="3", checked_on="2026-12-01", note="x", pmid_seen_at="")
    if "pmid" in change and "pmid_seen_at" not in change:
        row["pmid_seen_at"] = "https://pubmed.ncbi.nlm.nih.gov/1/"
    row.update(change)
    problems = table_problems(row)
    assert any(p.startswith("reference 3: ") and complaint in p for p in problems), problems


# ------------------------------------------------------------- the README section
def test_readme_section_is_up_to_date() -> None:
    generator = load_script("tools/gen_reference_identifiers.py", "gen_reference_identifiers")
    readme = generator.README.read_text(encoding="utf-8")
    expected = generator.render(readme, generator.read_rows(generator.TABLE))
    assert readme == expected, f"{generator.README} is stale: run `{generator.COMMAND}`"


def test_readme_section_names_every_work_once() -> None:
    generator = load_script("tools/gen_reference_identifiers.py", "gen_reference_identifiers")
    rows = generator.read_rows(generator.TABLE)
    block = generator.render_block(rows)
    for row in rows:
        mentions = re.findall(rf"(?m)^(?:\| |- ){re.escape(row.name)}[ :|]", block)
        assert len(mentions) == 1, f"{row.name} appears {len(mentions)} times in the README block"


def test_check_mode_reports_a_stale_section(tmp_path: Path) -> None:
    generator = load_script("tools/gen_reference_identifiers.py", "gen_reference_identifiers")
    stale = tmp_path / "README.md"
    stale.write_text("# data/\n", encoding="utf-8")
    setattr(generator, "README", stale)  # noqa: B010 (a module attribute, for this test)
    assert generator.main(["--check"]) == 1
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0
    assert generator.START in stale.read_text(encoding="utf-8")
