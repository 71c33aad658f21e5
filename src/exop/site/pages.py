"""One HTML page per EXOP IRI, rendered from the package graphs.

:func:`render_page` is what the static site writes for each IRI and what a server can
call per request; it needs no file system beyond the indexed :class:`SiteContext`.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from exop.graph import PackageGraph
from exop.namespaces import CITO, EXOP, FABIO, PREFIXES, compress
from exop.site import paths
from exop.site.context import NAME_PREDICATES, SiteContext
from exop.site.html import Alternate, e, link, page, table
from exop.site.slices import jsonld_for_html, rdf_slice

BIBO = PREFIXES["bibo"]
_FINDING_FACTS: tuple[tuple[str, URIRef], ...] = (
    ("Direction", EXOP.direction),
    ("Outcome", EXOP.outcome),
    ("Agent", EXOP.agent),
    ("Exosome preparation", EXOP.preparation),
    ("Cargo", EXOP.cargo),
    ("Target cell", EXOP.targetCell),
    ("Molecular target", EXOP.molecularTarget),
    ("Pathway", EXOP.pathway),
    ("Experimental system", EXOP.experimentalSystem),
    ("Evidence type", EXOP.evidenceType),
    ("Study evidence type", EXOP.studyEvidenceType),
)
_MAX_BNODE_DEPTH = 4


class Renderer:
    """Renders the pages of one context, for pages at a given place in the tree."""

    def __init__(self, context: SiteContext) -> None:
        self.ctx = context
        self.minted = frozenset(context.minted())
        self._about = context.findings_about()
        self._slices: dict[URIRef, Graph] = {}

    def slice(self, iri: URIRef) -> Graph:
        """The RDF slice of *iri* (computed once per renderer)."""
        if iri not in self._slices:
            self._slices[iri] = rdf_slice(self.ctx.graph, iri)
        return self._slices[iri]

    # -- links ------------------------------------------------------------------------------

    def href(self, node: URIRef, here: str) -> tuple[str, bool]:
        """Where a link to *node* goes from the page *here*, and whether it leaves the site."""
        where = paths.tree_and_path(str(node))
        if where is not None and where[0] == paths.CURRENT and node in self.minted:
            return paths.relative_link(here, paths.page_file(where[1])), False
        return str(node), True

    def node(self, node: Node, here: str, depth: int = 0, *, curie: bool = True) -> str:
        """A node as HTML: a named link for IRIs (with its CURIE unless *curie* is False),
        the text for literals, nested for blank nodes."""
        if isinstance(node, URIRef):
            href, external = self.href(node, here)
            name = self.ctx.name(node)
            short = compress(str(node))
            extra = f' <code class="muted">{e(short)}</code>' if curie and short != name else ""
            return link(href, name, external=external) + extra
        if isinstance(node, Literal):
            text = e(str(node))
            if node.language:
                return f'{text} <span class="muted">@{e(node.language)}</span>'
            if node.datatype is not None and node.datatype != URIRef(f"{PREFIXES['xsd']}string"):
                return f'{text} <span class="muted">{e(compress(str(node.datatype)))}</span>'
            return text
        if isinstance(node, BNode):
            return self.blank(node, here, depth)
        return e(str(node))

    def blank(self, node: BNode, here: str, depth: int) -> str:
        if depth >= _MAX_BNODE_DEPTH:
            return "…"
        graph = self.ctx.graph
        if (node, RDF.first, None) in graph:
            items = [self.node(item, here, depth + 1) for item in Collection(graph, node)]
            return "(" + ", ".join(items) + ")"
        parts = [
            f"{self.node(p, here, depth + 1)} {self.node(o, here, depth + 1)}"
            for p, o in sorted(graph.predicate_objects(node), key=lambda po: tuple(map(str, po)))
        ]
        return "[ " + "; ".join(parts) + " ]"

    # -- shared parts -----------------------------------------------------------------------

    def nav(self, here: str) -> list[tuple[str, str]]:
        return [
            (paths.relative_link(here, "ontology.html"), "Ontology"),
            (paths.relative_link(here, "queries.html"), "Queries"),
            (paths.relative_link(here, "shapes.html"), "Shapes"),
            (paths.relative_link(here, "void.ttl"), "Dataset (VoID)"),
        ]

    def alternates(self, path: str, here: str) -> list[Alternate]:
        return [
            Alternate(f.media_type, paths.relative_link(here, paths.rdf_file(path, f)), f.label)
            for f in paths.RDF_FORMATS
        ]

    def frame(self, *, title: str, body: str, here: str, path: str | None,
              iri: URIRef | None, embedded: Graph | None = None) -> str:
        alternates = self.alternates(path, here) if path is not None else []
        described = embedded if embedded is not None else \
            (self.slice(iri) if iri is not None else None)
        jsonld = jsonld_for_html(described) if described is not None else None
        return page(title=title, body=body, home=paths.relative_link(here, "index.html"),
                    nav=self.nav(here), alternates=alternates, jsonld=jsonld,
                    version=self.ctx.version)

    def heading(self, iri: URIRef, here: str) -> str:
        ctx = self.ctx
        parts = [f"<h1>{e(ctx.name(iri))}</h1>\n"]
        curie = compress(str(iri))
        parts.append(f'<p class="iri"><code>{e(str(iri))}</code>'
                     + (f" · <code>{e(curie)}</code>" if curie != str(iri) else "") + "</p>\n")
        types = ctx.types(iri)
        if types:
            spans = "".join(f'<span class="type">{self.node(t, here)}</span>' for t in types)
            parts.append(f'<p class="types">{spans}</p>\n')
        if (iri, OWL.deprecated, Literal(True)) in ctx.graph:
            successors = [self.node(s, here) for s in ctx.graph.objects(iri, DCTERMS.isReplacedBy)]
            instead = f" Replaced by {', '.join(successors)}." if successors else ""
            parts.append(f'<p class="notice">This IRI is deprecated.{instead}</p>\n')
        definition = ctx.definition(iri)
        if definition:
            parts.append(f'<p class="definition">{e(definition)}</p>\n')
        return "".join(parts)

    def formats_nav(self, path: str, here: str) -> str:
        items = "".join(
            link(paths.relative_link(here, paths.rdf_file(path, f)), f.label)
            for f in paths.RDF_FORMATS
        )
        return f'<nav class="formats"><strong>This resource as RDF:</strong> {items}</nav>\n'

    def statements(self, iri: URIRef, here: str) -> str:
        graph = self.ctx.graph
        skip = {RDF.type, *NAME_PREDICATES[:1]}
        # Rows sort by their keys, then by what they show: blank nodes are labelled afresh
        # at every parse, and rows that show the same text are the same row on the page.
        rows = [
            cells for _, cells in sorted(
                ((self._po_key((p, o)), (self.node(p, here), self.node(o, here)))
                 for p, o in graph.predicate_objects(iri) if p not in skip),
            )
        ]
        incoming = [
            cells for _, cells in sorted(
                ((self._sp_key((s, p)), (self.node(s, here), self.node(p, here)))
                 for s, p in graph.subject_predicates(iri)),
            )
        ]
        out = ["<h2>Statements</h2>\n"]
        out.append(table(("property", "value"), rows) if rows
                   else '<p class="muted">No other statements.</p>\n')
        out.append(f"<h2>Referenced by ({len(incoming)})</h2>\n")
        out.append(table(("subject", "property"), incoming, first_class="") if incoming
                   else '<p class="muted">Nothing in EXOP points here.</p>\n')
        return "".join(out)

    def _po_key(self, po: tuple[Node, Node]) -> tuple[str, str, str]:
        p, o = po
        if isinstance(o, BNode):
            return (self.ctx.name(p).lower(), "", "")
        return (self.ctx.name(p).lower(), self.ctx.name(o).lower(), str(o))

    def _sp_key(self, sp: tuple[Node, Node]) -> tuple[str, str, str]:
        s, p = sp
        if isinstance(s, BNode):
            return (self.ctx.name(p).lower(), "", "")
        return (self.ctx.name(p).lower(), self.ctx.name(s).lower(), str(s))

    # -- findings ---------------------------------------------------------------------------

    def values(self, subject: Node, predicate: URIRef, here: str, *,
               curie: bool = True) -> list[str]:
        objects = sorted(self.ctx.graph.objects(subject, predicate),
                         key=lambda o: (self.ctx.name(o).lower(), str(o)))
        return [self.node(o, here, curie=curie) for o in objects]

    def quote_block(self, finding: URIRef, here: str) -> str:
        quote = next(iter(self.ctx.graph.objects(finding, EXOP.evidenceQuote)), None)
        if quote is None:
            return ""
        located = self.ctx.review.locate(str(quote)) if self.ctx.review else None
        where = self.values(finding, EXOP.statedIn, here)
        source = f"Stated in {', '.join(where)}" if where else "Stated in the review"
        if located is None:
            text = f"<mark>{e(str(quote))}</mark>"
            caption = f"{source}; the review's text is not shipped with this build."
        else:
            text = f"{e(located.before)}<mark>{e(located.quote)}</mark>{e(located.after)}"
            caption = f"{source}; paragraph {located.paragraph_number} of the review's text."
        return (
            '<h2>Evidence in the review</h2>\n<figure class="quote">\n'
            f"<blockquote>{text}</blockquote>\n<figcaption>{caption}</figcaption>\n</figure>\n"
            + "".join(self.table_row(row) for row in
                      sorted(self.ctx.graph.objects(finding, EXOP.statedIn), key=str))
        )

    def table_row(self, row: Node) -> str:
        """A row of a table of the review (exop:TableRow) laid out under its column headers."""
        graph = self.ctx.graph
        if (row, RDF.type, EXOP.TableRow) not in graph:
            return ""
        table_node = graph.value(row, DCTERMS.isPartOf)
        columns = sorted(
            (c for c in graph.subjects(DCTERMS.isPartOf, table_node)
             if (c, RDF.type, EXOP.TableColumn) in graph),
            key=lambda c: int(str(graph.value(c, EXOP.position) or 0)),
        )
        cells = [(str(graph.value(c, EXOP.header) or ""), graph.value(c, EXOP.cellProperty))
                 for c in columns]
        values = [e(graph.value(row, prop) or "") if isinstance(prop, URIRef) else ""
                  for _, prop in cells]
        if not cells:
            return ""
        caption = e(self.ctx.name(table_node)) if table_node is not None else ""
        title = graph.value(table_node, EXOP.caption) if table_node is not None else None
        heading = f"{caption}: {e(title)}" if title else caption
        return (f'<p class="muted">{heading}</p>\n'
                + table([h for h, _ in cells], [values], first_class=""))

    def reference(self, ref: Node, here: str) -> str:
        graph = self.ctx.graph
        number = next(iter(graph.objects(ref, EXOP.referenceNumber)), None)
        title = next(iter(graph.objects(ref, DCTERMS.title)), None)
        label = f"[{number}] " if number is not None else ""
        head = link(self.href(ref, here)[0], f"{label}{title or self.ctx.name(ref)}") \
            if isinstance(ref, URIRef) else e(str(ref))
        authors = next(iter(graph.objects(ref, EXOP.authorString)), None)
        journal = [self.ctx.name(j) for j in graph.objects(ref, DCTERMS.isPartOf)]
        year = next(iter(graph.objects(ref, FABIO.hasPublicationYear)), None)
        details = [str(authors)] if authors else []
        details += journal
        if year is not None:
            details.append(str(year))
        details += self.reference_identifiers(ref)
        rest = f'<br><span class="muted">{e(". ".join(details))}</span>' if details else ""
        return f"<li>{head}{rest}</li>"

    def reference_identifiers(self, ref: Node) -> list[str]:
        """Volume, pages and identifiers (DOI, PMID) where the data has them."""
        graph = self.ctx.graph

        def one(key: str) -> str | None:
            value = next(iter(graph.objects(ref, URIRef(f"{BIBO}{key}"))), None)
            return None if value is None else str(value)

        volume, issue = one("volume"), one("issue")
        start, end, locator = one("pageStart"), one("pageEnd"), one("locator")
        where = (volume or "") + (f"({issue})" if issue else "")
        pages = f"{start}-{end}" if start and end else (start or locator)
        out = [f"{where}:{pages}" if where and pages else where or pages or ""]
        out += [f"{label}:{value}" for key, label in (("doi", "doi"), ("pmid", "PMID"))
                if (value := one(key))]
        return [part for part in out if part]

    def finding_section(self, finding: URIRef, here: str) -> str:
        parts = [self.quote_block(finding, here), "<h2>What the finding states</h2>\n",
                 '<dl class="facts">\n']
        location = self.values(finding, EXOP.statedIn, here)
        if location:
            parts.append(f"<dt>Location</dt><dd>{', '.join(location)}</dd>\n")
        for title, predicate in _FINDING_FACTS:
            values = self.values(finding, predicate, here)
            if values:
                css = ' class="direction"' if predicate == EXOP.direction else ""
                parts.append(f"<dt>{e(title)}</dt><dd{css}>{', '.join(values)}</dd>\n")
        parts.append("</dl>\n")
        refs = sorted(
            set(self.ctx.graph.objects(finding, CITO.citesAsEvidence))
            | set(self.ctx.graph.objects(finding, CITO.cites)),
            key=lambda r: (str(next(iter(self.ctx.graph.objects(r, EXOP.referenceNumber)), "")
                               ).zfill(4), str(r)),
        )
        parts.append("<h2>Cited references</h2>\n")
        if refs:
            parts.append('<ul class="refs">' + "".join(self.reference(r, here) for r in refs)
                         + "</ul>\n")
        else:
            parts.append('<p class="muted">The finding cites no reference: '
                         "it is the review's own statement.</p>\n")
        return "".join(parts)

    def findings_about(self, iri: URIRef, here: str) -> str:
        pairs = self._about.get(iri, ())
        if not pairs:
            return ""
        rows = []
        for finding, predicate in sorted(pairs, key=lambda fp: (self.ctx.name(fp[0]).lower(),
                                                                 str(fp[0]), str(fp[1]))):
            direction = ", ".join(self.values(finding, EXOP.direction, here, curie=False))
            outcome = ", ".join(self.values(finding, EXOP.outcome, here, curie=False))
            rows.append((self.node(finding, here, curie=False), e(self.ctx.name(predicate)),
                         direction or "—", outcome or "—"))
        return (f"<h2>Findings about this ({len(pairs)})</h2>\n"
                + table(("finding", "as", "direction", "outcome"), rows, first_class=""))

    # -- pages ------------------------------------------------------------------------------

    def resource_page(self, iri: URIRef) -> str:
        where = paths.tree_and_path(str(iri))
        if where is None:
            raise KeyError(f"{iri} is no EXOP IRI")
        path = where[1]
        here = paths.page_file(path)
        body = [self.heading(iri, here), self.formats_nav(path, here)]
        if self.ctx.is_finding(iri):
            body.append(self.finding_section(iri, here))
        body.append(self.findings_about(iri, here))
        if path == "ontology":
            body.append(self.ontology_documentation(here))
        elif path == "shapes":
            body.append(self.members(self.ctx.shapes, here, "Shapes"))
        elif path == "ontology/imports":
            body.append(self.members(self.ctx.ontology, here, "External terms declared",
                                     external_only=True))
        body.append(self.statements(iri, here))
        return self.frame(title=self.ctx.name(iri), body="".join(body), here=here, path=path,
                          iri=iri)

    def members(self, graph_part: Graph, here: str, title: str, *,
                external_only: bool = False) -> str:
        subjects = {s for s in graph_part.subjects(RDF.type, None) if isinstance(s, URIRef)}
        if external_only:
            subjects = {s for s in subjects if paths.iri_path(str(s)) is None}
        else:
            subjects = {s for s in subjects if paths.family(str(s)) == "shape"}
        ordered = sorted(subjects, key=lambda s: (self.ctx.name(s).lower(), str(s)))
        rows = [(self.node(s, here), e(self.ctx.definition(s) or "")) for s in ordered]
        return f"<h2>{e(title)} ({len(rows)})</h2>\n" + table(("term", "definition"), rows)

    def ontology_documentation(self, here: str) -> str:
        out = []
        for title, terms in self.ctx.ontology_terms().items():
            if not terms:
                continue
            rows = []
            for term in terms:
                extra = []
                for predicate, label in ((RDFS.subClassOf, "subclass of"),
                                         (RDFS.subPropertyOf, "subproperty of"),
                                         (RDFS.domain, "domain"), (RDFS.range, "range")):
                    values = [self.node(v, here) for v in sorted(
                        self.ctx.graph.objects(term, predicate), key=str)
                        if isinstance(v, URIRef)]
                    if values:
                        extra.append(f'<br><span class="muted">{label}:</span> '
                                     + ", ".join(values))
                rows.append((self.node(term, here),
                             e(self.ctx.definition(term) or "") + "".join(extra)))
            out.append(f"<h2>{e(title)} ({len(terms)})</h2>\n"
                       + table(("term", "definition"), rows))
        return "".join(out)

    def landing_page(self) -> str:
        here = "index.html"
        ctx = self.ctx
        review = URIRef(f"{PREFIXES['exopd']}review")
        findings = sorted((f for f in ctx.graph.subjects(RDF.type, EXOP.Finding)
                           if isinstance(f, URIRef)), key=str)
        rows = [(self.node(f, here, curie=False),
                 ", ".join(self.values(f, EXOP.statedIn, here, curie=False)))
                for f in findings]
        body = (
            f"<h1>EXOP {e(ctx.version)}: MSC-derived exosomes for osteoporosis treatment</h1>\n"
            f'<p class="definition">{e(ctx.definition(ctx.ontology_iri) or "")}</p>\n'
            "<p>Every claim of the review "
            f"{self.node(review, here)} is a finding with its evidence sentence, direction, "
            "outcome and citations. Every EXOP IRI under <code>https://w3id.org/exop/</code> "
            "has a page like this one and RDF in Turtle, N-Triples, RDF/XML and JSON-LD.</p>\n"
            '<ul>\n<li><a href="ontology.html">The ontology</a>: classes, properties and '
            "value sets with definitions</li>\n"
            '<li><a href="queries.html">The query catalogue</a>: each packaged SPARQL query '
            "with an example answer</li>\n"
            '<li><a href="shapes.html">The SHACL shapes</a></li>\n'
            '<li>The whole graph: <a href="exop.ttl">Turtle</a>, <a href="exop.nt">N-Triples'
            '</a>, <a href="exop.rdf">RDF/XML</a>, <a href="exop.jsonld">JSON-LD</a>; '
            'dataset description: <a href="void.ttl">VoID</a></li>\n</ul>\n'
            f"<h2>Findings ({len(rows)})</h2>\n"
            + table(("finding", "stated in"), rows, first_class="")
        )
        from exop.site.void import dump_size, void_graph

        return self.frame(title="EXOP", body=body, here=here, path="", iri=None,
                          embedded=void_graph(ctx, dump_size(ctx)))


def _context(package: PackageGraph | SiteContext) -> SiteContext:
    return package if isinstance(package, SiteContext) else SiteContext.from_package(package)


def renderer_for(context: SiteContext) -> Renderer:
    """The context's renderer, built once (a server renders many pages from one context)."""
    if not isinstance(context.renderer, Renderer):
        context.renderer = Renderer(context)
    return context.renderer


def render_page(package: PackageGraph | SiteContext, iri: str | URIRef) -> str:
    """The HTML page of one EXOP IRI (KeyError when *iri* is not described here).

    Pass a :class:`SiteContext` built once to render many pages: a PackageGraph is
    indexed anew on every call.
    """
    context = _context(package)
    node = URIRef(str(iri))
    renderer = renderer_for(context)
    if str(node) == paths.BASE:
        return renderer.landing_page()
    if node not in renderer.minted:
        raise KeyError(f"{node} is not described by EXOP")
    return renderer.resource_page(node)

