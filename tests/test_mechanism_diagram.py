"""The mechanism diagram (docs/mechanisms.dot and .svg), the review's Figure 2 drawn from the
data by tools/mechanism_diagram.py: current, deterministic, and linked to the data.

Graphviz renders the SVG; where ``dot`` is missing the SVG checks skip, except under CI=true,
where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from exop.graph import load_data
from exop.namespaces import EXOP, EXOPD
from scripts import load_script

diagram = load_script("tools/mechanism_diagram.py", "mechanism_diagram")
HINT = "run `python tools/mechanism_diagram.py`"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not IN_CI,
    reason="Graphviz 'dot' not installed (Debian package graphviz)",
)


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_data()


@pytest.fixture(scope="module")
def dot_text(data: Graph) -> str:
    return str(diagram.dot(data))


def test_dot_file_is_current(dot_text: str) -> None:
    assert diagram.DOT_PATH.read_text(encoding="utf-8") == dot_text, (
        f"docs/mechanisms.dot is stale; {HINT}"
    )


def test_dot_does_not_depend_on_triple_order(data: Graph, dot_text: str) -> None:
    shuffled = Graph()
    for triple in sorted(data, key=lambda t: str(t[::-1]), reverse=True):
        shuffled.add(triple)
    assert diagram.dot(shuffled) == dot_text


def test_nodes_link_to_entities_and_edges_to_findings(data: Graph, dot_text: str) -> None:
    node_urls = re.findall(r'^  "[^"]+" \[label=.*URL="([^"]+)"', dot_text, re.M)
    edge_urls = re.findall(r'^  "[^"]+" -> "[^"]+" \[.*URL="([^"]+)"', dot_text, re.M)
    assert len(node_urls) >= 20 and len(edge_urls) >= 20
    for url in node_urls:
        assert url.startswith(str(EXOPD)) and data.value(URIRef(url), RDFS.label) is not None, url
    for url in edge_urls:
        assert (URIRef(url), RDF.type, EXOP.Finding) in data, url


def test_every_causal_link_between_findings_is_drawn(data: Graph) -> None:
    drawn = {(e.finding, e.sign) for e in diagram.edges(data)}
    for link, sign in diagram.SIGNS.items():
        for upstream, downstream in data.subject_objects(link):
            both_findings = all((s, RDF.type, EXOP.Finding) in data for s in (upstream, downstream))
            if both_findings and diagram.changes(data, upstream) != diagram.changes(
                data, downstream
            ):
                assert (upstream, sign) in drawn, (upstream, link, downstream)


def test_title_statements_are_not_drawn(data: Graph) -> None:
    titles = set(data.subjects(RDF.type, EXOP.TitleStatement))
    assert titles and not {e.finding for e in diagram.edges(data)} & titles


@needs_dot
def test_svg_file_is_rendered_from_the_current_dot(dot_text: str) -> None:
    svg = diagram.render_svg(dot_text)
    assert diagram.SVG_PATH.read_text(encoding="utf-8") == svg, (
        f"docs/mechanisms.svg is stale; {HINT}"
    )
    assert svg.count('xlink:href="https://w3id.org/exop/data/') >= 40


@needs_dot
def test_check_reports_a_stale_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "mechanisms.dot"
    stale.write_text("digraph old {}\n", encoding="utf-8")
    monkeypatch.setattr(diagram, "DOT_PATH", stale)
    monkeypatch.setattr(diagram, "REPO", tmp_path)
    assert diagram.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "digraph old {}\n"
