"""Publication layer (data/review.ttl, data/references.ttl) checked against the review's text.

The review text (``sources/review.txt``) is the only authority.
Tests that read it skip, with a reason, where it is absent (e.g. an installed wheel).

Whitespace convention: the source text carries U+00A0 no-break spaces from the publisher's
HTML (title-page lines, "Figure 1<NBSP>...", two Table 1 Ref. cells, the reference list). They
are layout, not content, so the data writes them as U+0020 and these tests compare against
the text with U+00A0 replaced by U+0020. Nothing else is normalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS
from rdflib.term import Node

from exop.resources import DATA_DIR

EXOP = Namespace("https://w3id.org/exop/")
C4O = Namespace("http://purl.org/spar/c4o/")
EXOPD = Namespace("https://w3id.org/exop/data/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
DOCO = Namespace("http://purl.org/spar/doco/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

REVIEW_TXT = Path(__file__).resolve().parents[1] / "sources" / "review.txt"
PUBLICATION_FILES = ("review.ttl", "references.ttl")
N_REFERENCES = 40
N_TABLE_ROWS = 9
SECTION_KEYS = (
    "introduction",
    "exosomes-and-mscs",
    "treatment-of-op",
    "osteoblasts",
    "osteoclasts",
    "bone-immunity",
    "conclusion",
)
TABLE_1_HEADERS = ("Ref.", "Exosome source", "Cell type", "Consequence")
CELL_PROPERTIES = (EXOP.refCell, EXOP.exosomeSourceCell, EXOP.cellTypeCell, EXOP.consequenceCell)
ROLES = {
    "background": EXOPD["role-background"],
    "primary": EXOPD["role-primary-study"],
    "table": EXOPD["role-table-1"],
}


# ------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for name in PUBLICATION_FILES:
        path = DATA_DIR / name
        assert path.is_file(), f"missing {path}"
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return REVIEW_TXT.read_text(encoding="utf-8").replace("\u00a0", " ").split("\n")


def one(g: Graph, s: Node, p: URIRef) -> Literal | URIRef:
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s.n3()} {p.n3()}: expected one value, got {values}"
    value = values[0]
    assert isinstance(value, (Literal, URIRef))
    return value


def text(g: Graph, s: Node, p: URIRef) -> str:
    value = one(g, s, p)
    assert isinstance(value, Literal), f"{s.n3()} {p.n3()} is not a literal"
    return str(value)


def line_starting(lines: list[str], prefix: str) -> str:
    hits = [line for line in lines if line.startswith(prefix)]
    assert len(hits) == 1, f"expected one line starting {prefix!r}, found {len(hits)}"
    return hits[0]


def reference_line(lines: list[str], n: int) -> str:
    start = lines.index("References")
    return line_starting(lines[start + 1 :], f"{n}.  ")


def table_rows(g: Graph) -> list[URIRef]:
    rows = sorted(
        (int(one(g, r, EXOP.position)), r)
        for r in g.subjects(RDF.type, EXOP.TableRow)
        if isinstance(r, URIRef)
    )
    return [r for _, r in rows]


def role_numbers(g: Graph, role: str) -> set[int]:
    return {
        int(one(g, r, EXOP.referenceNumber)) for r in g.subjects(EXOP.citationRole, ROLES[role])
    }


def _literals(g: Graph) -> Iterator[tuple[Node, Node, Literal]]:
    for s, p, o in g:
        if isinstance(o, Literal):
            yield s, p, o


# ------------------------------------------------------------- graph-only checks
def test_no_blank_nodes(graph: Graph) -> None:
    blank = [t for t in graph if any(isinstance(x, BNode) for x in t)]
    assert not blank, f"blank nodes in publication data: {blank[:3]}"


def test_no_no_break_spaces_in_literals(graph: Graph) -> None:
    bad = [(s, p) for s, p, o in _literals(graph) if "\u00a0" in str(o)]
    assert not bad, f"U+00A0 in literals (write U+0020): {bad}"


def test_forty_references_numbered_one_to_forty(graph: Graph) -> None:
    numbers = sorted(
        int(one(graph, r, EXOP.referenceNumber))
        for r in graph.subjects(RDF.type, FABIO.JournalArticle)
    )
    assert numbers == list(range(1, N_REFERENCES + 1))
    for n in numbers:
        assert (
            EXOPD[f"reference-{n}"],
            EXOP.referenceNumber,
            Literal(n, datatype=XSD.integer),
        ) in graph


def test_review_cites_every_reference(graph: Graph) -> None:
    cited = set(graph.objects(EXOPD.review, CITO.cites))
    assert cited == {EXOPD[f"reference-{n}"] for n in range(1, N_REFERENCES + 1)}


@pytest.mark.parametrize("n", range(1, N_REFERENCES + 1))
def test_reference_has_a_citation_role(graph: Graph, n: int) -> None:
    roles = set(graph.objects(EXOPD[f"reference-{n}"], EXOP.citationRole))
    assert roles, f"reference {n} has no citation role"
    assert roles <= set(ROLES.values()), f"reference {n}: unknown role {roles}"


def test_table_role_is_exactly_the_references_of_table_1(graph: Graph) -> None:
    in_table = {one(graph, row, CITO.cites) for row in table_rows(graph)}
    with_role = set(graph.subjects(EXOP.citationRole, ROLES["table"]))
    assert with_role == in_table
    # a Table 1 row reports the study's own result: every Table 1 reference is a primary study
    assert in_table <= set(graph.subjects(EXOP.citationRole, ROLES["primary"]))


def test_table_1_rows_and_columns(graph: Graph) -> None:
    rows = table_rows(graph)
    assert [int(one(graph, r, EXOP.position)) for r in rows] == list(range(1, N_TABLE_ROWS + 1))
    assert rows == [EXOPD[f"table-1-row-{i}"] for i in range(1, N_TABLE_ROWS + 1)]
    for r in rows:
        assert one(graph, r, DCTERMS.isPartOf) == EXOPD["table-1"]
    columns = sorted(
        (int(one(graph, c, EXOP.position)), c) for c in graph.subjects(RDF.type, EXOP.TableColumn)
    )
    assert tuple(text(graph, c, EXOP.header) for _, c in columns) == TABLE_1_HEADERS
    assert tuple(one(graph, c, EXOP.cellProperty) for _, c in columns) == CELL_PROPERTIES


@pytest.mark.parametrize("row", range(1, N_TABLE_ROWS + 1))
def test_table_row_year_and_reference_agree(graph: Graph, row: int) -> None:
    r = EXOPD[f"table-1-row-{row}"]
    ref = one(graph, r, CITO.cites)
    assert isinstance(ref, URIRef)
    number = int(one(graph, ref, EXOP.referenceNumber))
    ref_cell = text(graph, r, EXOP.refCell)
    assert f"[{number}], " in ref_cell, (
        f"row {row}: Ref. cell {ref_cell!r} does not cite [{number}]"
    )
    assert ref_cell.endswith(", " + str(one(graph, r, EXOP.citedYear)))
    assert one(graph, r, EXOP.citedYear) == one(graph, ref, FABIO.hasPublicationYear)


def test_sections_in_order(graph: Graph) -> None:
    found = sorted(
        (int(one(graph, s, EXOP.position)), s) for s in graph.subjects(RDF.type, DOCO.Section)
    )
    assert [s for _, s in found] == [EXOPD[f"section-{k}"] for k in SECTION_KEYS]
    assert [p for p, _ in found] == list(range(1, len(SECTION_KEYS) + 1))


def test_authorships_in_order(graph: Graph) -> None:
    slots = sorted(
        (int(one(graph, a, EXOP.authorPosition)), one(graph, a, EXOP.author))
        for a in graph.objects(EXOPD.review, EXOP.authorship)
    )
    assert [p for p, _ in slots] == [1, 2, 3, 4]
    assert set(graph.objects(EXOPD.review, DCTERMS.creator)) == {person for _, person in slots}
    for _, person in slots:
        assert (person, RDF.type, FOAF.Person) in graph
        assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", text(graph, person, EXOP.orcid))


# ------------------------------------------------------------- checks against review.txt
@pytest.mark.parametrize("n", range(1, N_REFERENCES + 1))
def test_reference_fields_occur_in_its_reference_line(
    graph: Graph, source_lines: list[str], n: int
) -> None:
    ref = EXOPD[f"reference-{n}"]
    line = reference_line(source_lines, n)
    authors = text(graph, ref, EXOP.authorString)
    title = text(graph, ref, DCTERMS.title)
    year = text(graph, ref, FABIO.hasPublicationYear)
    journal = one(graph, ref, DCTERMS.isPartOf)
    assert isinstance(journal, URIRef)
    abbreviation = text(graph, journal, FABIO.hasShortTitle)
    for label, value in (
        ("authors", authors),
        ("title", title),
        ("year", year),
        ("journal", abbreviation),
    ):
        assert value in line, f"reference {n}: {label} {value!r} not in its reference line"
    # and the whole citation, rebuilt from the graph, is the start of the line
    locator = ""
    volumes = list(graph.objects(ref, BIBO.volume))
    if volumes:
        locator = str(volumes[0])
        starts = list(graph.objects(ref, BIBO.pageStart))
        numbers = list(graph.objects(ref, BIBO.locator))
        if starts:
            locator += f":{starts[0]}-{one(graph, ref, BIBO.pageEnd)}"
        elif numbers:
            locator += f":{numbers[0]}"
    rebuilt = f"{n}.  {authors}. {title}. {abbreviation}. {year};{locator}.  [PubMed]"
    assert line.startswith(rebuilt), (
        f"reference {n}: rebuilt {rebuilt!r}\n  line: {line[: len(rebuilt) + 20]!r}"
    )


@pytest.mark.parametrize("row", range(1, N_TABLE_ROWS + 1))
def test_table_row_cells_concatenate_to_the_flattened_line(
    graph: Graph, source_lines: list[str], row: int
) -> None:
    header = source_lines.index("Ref.")
    assert tuple(source_lines[header : header + 4]) == TABLE_1_HEADERS
    flattened = source_lines[header + 3 + row]
    r = EXOPD[f"table-1-row-{row}"]
    cells = [text(graph, r, p) for p in CELL_PROPERTIES]
    assert "".join(cells) == flattened, f"row {row}: {cells} != {flattened!r}"
    assert all(cells), f"row {row}: empty cell"


def test_table_1_has_nine_rows_in_the_text(source_lines: list[str]) -> None:
    header = source_lines.index("Ref.")
    block = source_lines[header + 4 : header + 4 + N_TABLE_ROWS + 1]
    assert all(re.match(r"^\w+ et al\[\d+\], \d{4}", line) for line in block[:N_TABLE_ROWS])
    assert not re.match(r"^\w+ et al\[\d+\]", block[N_TABLE_ROWS])


def test_table_caption(graph: Graph, source_lines: list[str]) -> None:
    caption = text(graph, EXOPD["table-1"], EXOP.caption)
    assert "Table 1 " + caption in source_lines


def test_section_headings_appear_in_order(graph: Graph, source_lines: list[str]) -> None:
    headings = [text(graph, EXOPD[f"section-{k}"], DCTERMS.title) for k in SECTION_KEYS]
    positions = [source_lines.index(h) for h in headings]
    assert positions == sorted(positions), (
        f"headings out of order: {list(zip(headings, positions, strict=True))}"
    )


@pytest.mark.parametrize("n", [1, 2])
def test_figure_caption_verbatim(graph: Graph, source_lines: list[str], n: int) -> None:
    figure = EXOPD[f"figure-{n}"]
    assert (figure, RDF.type, DOCO.Figure) in graph
    caption = text(graph, figure, EXOP.caption)
    assert f"Figure {n} {caption}" in source_lines


def test_title_and_doi(graph: Graph, source_lines: list[str]) -> None:
    assert text(graph, EXOPD.review, DCTERMS.title) in source_lines
    doi = text(graph, EXOPD.review, BIBO.doi)
    assert f"doi: {doi}" in line_starting(source_lines, "Published online Mar")
    volume, issue = text(graph, EXOPD.review, BIBO.volume), text(graph, EXOPD.review, BIBO.issue)
    pages = f"{text(graph, EXOPD.review, BIBO.pageStart)}-{text(graph, EXOPD.review, BIBO.pageEnd)}"
    assert f"{volume}({issue}): {pages}" in line_starting(source_lines, "World J Stem Cells.")


def test_orcids_verbatim(graph: Graph, source_lines: list[str]) -> None:
    line = line_starting(source_lines, "ORCID number: ")
    in_text = re.findall(r"([\w-]+ \w+) \((\d{4}-\d{4}-\d{4}-\d{3}[\dX])\)", line)
    authorships = sorted(
        (int(one(graph, a, EXOP.authorPosition)), one(graph, a, EXOP.author))
        for a in graph.objects(EXOPD.review, EXOP.authorship)
    )
    in_graph = [
        (text(graph, person, FOAF.name), text(graph, person, EXOP.orcid))
        for _, person in authorships
    ]
    assert in_graph == in_text


def test_affiliations_verbatim(graph: Graph, source_lines: list[str]) -> None:
    title_page = source_lines[5:8]
    for person in graph.objects(EXOPD.review, DCTERMS.creator):
        name = text(graph, person, FOAF.name)
        affiliation = one(graph, person, EXOP.affiliation)
        assert isinstance(affiliation, URIRef)
        org = text(graph, affiliation, FOAF.name)
        lines = [line for line in title_page if line.endswith(", " + org)]
        assert len(lines) == 1, f"{name}: affiliation {org!r} not on the title page"
        assert name in lines[0].removesuffix(org), f"{name} not listed with {org!r}"


def test_grant_numbers_and_funders_verbatim(graph: Graph, source_lines: list[str]) -> None:
    line = line_starting(source_lines, "Supported by ")
    grants = list(graph.objects(EXOPD.review, EXOP.fundedBy))
    assert len(grants) == line.count(", No. ") == 5
    for grant in grants:
        number = text(graph, grant, EXOP.grantNumber)
        funder = one(graph, grant, EXOP.funder)
        assert isinstance(funder, URIRef)
        printed = f"{text(graph, funder, FOAF.name)}, No. {number}"
        assert re.search(rf"(?:by |; |and ){re.escape(printed)}[;.]", line), printed


def test_corresponding_author_and_mailbox(graph: Graph, source_lines: list[str]) -> None:
    person = one(graph, EXOPD.review, EXOP.correspondingAuthor)
    assert isinstance(person, URIRef)
    line = line_starting(source_lines, "Corresponding author: ")
    assert line.startswith(f"Corresponding author: {text(graph, person, FOAF.name)}, ")
    mbox = str(one(graph, person, FOAF.mbox))
    assert mbox.startswith("mailto:") and line.endswith(" " + mbox.removeprefix("mailto:"))


@pytest.mark.parametrize(
    ("prop", "label"),
    [
        (DCTERMS.dateSubmitted, "Received"),
        (EXOP.datePeerReviewStarted, "Peer-review started"),
        (EXOP.dateFirstDecision, "First decision"),
        (DCTERMS.modified, "Revised"),
        (DCTERMS.dateAccepted, "Accepted"),
        (EXOP.dateInPress, "Article in press"),
        (DCTERMS.issued, "Published online"),
    ],
)
def test_dates(graph: Graph, source_lines: list[str], prop: URIRef, label: str) -> None:
    value = one(graph, EXOPD.review, prop)
    assert isinstance(value, Literal) and value.datatype == XSD.date
    printed = line_starting(source_lines, f"{label}: ").removeprefix(f"{label}: ")
    assert value.toPython().strftime("%B %-d, %Y") == printed


def test_statements_verbatim(graph: Graph, source_lines: list[str]) -> None:
    review = EXOPD.review
    assert (
        "Conflict-of-interest statement: " + text(graph, review, EXOP.conflictOfInterestStatement)
        in source_lines
    )
    assert "Author contributions: " + text(graph, review, EXOP.authorContributions) in source_lines
    assert text(graph, review, EXOP.articleType) == source_lines[0].split(" ")[0]
    keywords = line_starting(source_lines, "Key Words: ").removeprefix("Key Words: ").split("; ")
    assert sorted(str(k) for k in graph.objects(review, EXOP.keyword)) == sorted(keywords)


def test_abstract_and_core_tip_verbatim(graph: Graph, source_lines: list[str]) -> None:
    abstract = one(graph, EXOPD.review, DCTERMS.abstract)
    core_tip = one(graph, EXOPD.review, EXOP.coreTip)
    assert isinstance(abstract, URIRef) and isinstance(core_tip, URIRef)
    assert text(graph, abstract, C4O.hasContent) == source_lines[source_lines.index("Abstract") + 2]
    assert "Core Tip: " + text(graph, core_tip, C4O.hasContent) in source_lines
    for passage in (abstract, core_tip):
        assert (passage, RDF.type, EXOP.TextPassage) in graph
        assert one(graph, passage, DCTERMS.isPartOf) == EXOPD.review
        assert one(graph, passage, RDFS.label)


def test_citation_roles_follow_the_body(graph: Graph, source_lines: list[str]) -> None:
    """Background: cited in a group citation, or for general statements; every reference cited
    in a group ([7-13], [16,17], ...) is background. Primary-study references are cited alone."""
    body = source_lines[source_lines.index("INTRODUCTION") : source_lines.index("Footnotes")]
    single: set[int] = set()
    group: set[int] = set()
    for line in body:
        if re.match(r"^\w+ et al\[\d+\], \d{4}", line):
            continue
        for match in re.finditer(r"\[(\d+(?:[-,]\d+)*)\]", line):
            numbers: list[int] = []
            for part in match.group(1).split(","):
                a, _, b = part.partition("-")
                numbers += range(int(a), int(b or a) + 1)
            (single if len(numbers) == 1 else group).update(numbers)
    assert single | group == set(range(1, N_REFERENCES + 1)), "every reference is cited in the body"
    background, primary, table = (
        role_numbers(graph, k) for k in ("background", "primary", "table")
    )
    assert group <= background
    assert primary - table <= single - group
    assert background | primary == set(range(1, N_REFERENCES + 1))
