"""The query catalogue page and the 404 page."""

from __future__ import annotations

import re

from exop.catalog import PackagedQuery, list_queries
from exop.engines import QueryResult
from exop.errors import ExopError
from exop.site.context import SiteContext
from exop.site.html import e, page, table
from exop.site.pages import Renderer, renderer_for
from exop.sparqltext import mask

EXAMPLE_ROWS = 10
"""Rows of each example answer shown on the catalogue page."""

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def _example_parameters(query: PackagedQuery) -> dict[str, str] | None:
    """Example values (or defaults) for every parameter; None when a required one has none."""
    chosen: dict[str, str] = {}
    for parameter in query.parameters:
        value = parameter.example or parameter.default
        if value is None:
            if parameter.required:
                return None
            continue
        chosen[parameter.name] = value
    return chosen


def _answer(query: PackagedQuery, renderer: Renderer, here: str) -> str:
    from exop.run import run_packaged_query

    if _SERVICE.search(mask(query.text)):
        return ('<p class="muted">Not run here: the query asks a remote SPARQL endpoint '
                "(SERVICE).</p>\n")
    chosen = _example_parameters(query)
    if chosen is None:
        return '<p class="muted">Not run here: a required parameter has no example.</p>\n'
    try:
        result: QueryResult = run_packaged_query(query.id, chosen)
    except ExopError as error:
        return f'<p class="muted">Not run here: {e(error)}</p>\n'
    with_values = ", ".join(f"{k} = {v}" for k, v in sorted(chosen.items()))
    intro = f"<p>Example answer{f' for {e(with_values)}' if with_values else ''}"
    if result.kind == "ask":
        return f"{intro}: <strong>{e(result.boolean)}</strong>.</p>\n"
    if result.kind == "graph":
        size = len(result.graph) if result.graph is not None else 0
        return f"{intro}: a graph of {size} triples.</p>\n"
    rows = list(result.rows)
    if not result.ordered:
        rows.sort(key=lambda row: tuple("" if t is None else str(t) for t in row))
    shown = [
        tuple("" if t is None else renderer.node(t, here) for t in row)
        for row in rows[:EXAMPLE_ROWS]
    ]
    if not rows:
        return f"{intro}: no rows.</p>\n"
    more = f" (first {EXAMPLE_ROWS} of {len(rows)} rows)" if len(rows) > EXAMPLE_ROWS \
        else f" ({len(rows)} rows)"
    return f"{intro}{more}:</p>\n" + table(result.variables, shown, first_class="")


def _parameters(query: PackagedQuery) -> str:
    if not query.parameters:
        return '<p class="muted">No parameters.</p>\n'
    rows = [
        (f"<code>{e(p.name)}</code>", e(p.kind + (f" ({p.datatype})" if p.datatype else "")),
         "required" if p.required else "optional",
         f"<code>{e(p.default)}</code>" if p.default else "",
         f"<code>{e(p.example)}</code>" if p.example else "")
        for p in query.parameters
    ]
    return table(("parameter", "kind", "use", "default", "example"), rows, first_class="")


def queries_page(context: SiteContext) -> str:
    renderer = renderer_for(context)
    here = "queries.html"
    queries = list_queries()
    index = "".join(f'<li><a href="#{e(q.id)}">{e(q.id)}</a>: {e(q.summary)}</li>\n'
                    for q in queries)
    sections = []
    for query in queries:
        sections.append(
            f'<h2 id="{e(query.id)}">{e(query.id)}</h2>\n<p>{e(query.summary)}</p>\n'
            + (f"<p>{e(query.description)}</p>\n" if query.description else "")
            + _parameters(query)
            + f"<pre>{e(query.text)}</pre>\n"
            + _answer(query, renderer, here)
        )
    body = (
        f"<h1>Query catalogue ({len(queries)} queries)</h1>\n"
        "<p>Each packaged SPARQL query, with its parameters, its text and an example answer "
        "computed on the embedded store when this site was built. Run them with "
        "<code>exop query ID</code>.</p>\n"
        f"<ul>\n{index}</ul>\n" + "".join(sections)
    )
    return renderer.frame(title="Query catalogue", body=body, here=here, path=None, iri=None)


def not_found_page(version: str) -> str:
    """The host's 404 page: served at any depth, so its links are absolute w3id IRIs."""
    body = (
        "<h1>Not found</h1>\n<p>No EXOP page is at this address. EXOP IRIs start with "
        "<code>https://w3id.org/exop/</code>: terms such as "
        '<a href="https://w3id.org/exop/Finding">exop:Finding</a>, individuals under '
        "<code>data/</code>, shapes under <code>shapes/</code>.</p>\n"
        '<p><a href="https://w3id.org/exop/">The EXOP home page</a> · '
        '<a href="https://w3id.org/exop/ontology">the ontology</a></p>\n'
    )
    return page(title="Not found", body=body, home="https://w3id.org/exop/", nav=[],
                version=version)
