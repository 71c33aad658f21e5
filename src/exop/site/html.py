"""The page frame shared by every EXOP page: one inline style sheet, no scripts, no fonts
or anything else fetched from another host, so a page opens offline and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d8dde6; --accent: #1f5f8b;
  --mark: #fff1a8; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
header.site { background: #16324a; color: #fff; padding: .6rem 1.5rem; }
header.site a { color: #fff; text-decoration: none; margin-right: 1.2rem; }
header.site a.brand { font-weight: 700; letter-spacing: .04em; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .8rem 0 .2rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
a { color: var(--accent); }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
pre { background: var(--panel); padding: .8rem; overflow-x: auto; border-radius: 4px; }
p.iri { color: var(--muted); margin: 0 0 .8rem; word-break: break-all; }
p.types span.type { display: inline-block; background: var(--panel); border: 1px solid var(--line);
  border-radius: 3px; padding: 0 .4rem; margin: 0 .3rem .3rem 0; font-size: .9em; }
p.definition { font-size: 1.05rem; max-width: 50rem; }
.notice { border-left: 4px solid #b45309; background: #fff7ed; padding: .5rem .8rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .93rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem;
  border-bottom: 1px solid var(--line); }
td a, td code { overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; }
td.property { width: 28%; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem;
  margin: .6rem 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
figure.quote { margin: .6rem 0 1.2rem; padding: .9rem 1.1rem; background: var(--panel);
  border-left: 4px solid var(--accent); border-radius: 0 4px 4px 0; }
figure.quote blockquote { margin: 0; font-family: Georgia, "DejaVu Serif", serif;
  font-size: 1.02rem; line-height: 1.6; }
figure.quote mark { background: var(--mark); padding: .05rem .1rem; }
figure.quote figcaption { margin-top: .5rem; color: var(--muted); font-size: .88rem; }
ul.refs li { margin-bottom: .4rem; }
.muted { color: var(--muted); }
span.direction { font-weight: 600; }
nav.formats a { margin-right: .8rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem;
  padding: 1rem 1.5rem; max-width: 72rem; margin: 0 auto; }
"""


@dataclass(frozen=True)
class Alternate:
    """Another representation of the page's resource (``<link rel="alternate">``)."""

    media_type: str
    href: str
    label: str


def e(text: object) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes)."""
    return escape(str(text), quote=True)


def link(href: str, text: str, *, external: bool = False) -> str:
    rel = ' rel="external"' if external else ""
    return f'<a href="{e(href)}"{rel}>{e(text)}</a>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *,
          first_class: str = "property") -> str:
    """A table whose cells are already HTML."""
    body = "".join(
        "<tr>" + "".join(
            f'<td class="{first_class}">{cell}</td>' if index == 0 and first_class
            else f"<td>{cell}</td>" for index, cell in enumerate(row)
        ) + "</tr>\n"
        for row in rows
    )
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def page(*, title: str, body: str, home: str, nav: Sequence[tuple[str, str]],
         alternates: Sequence[Alternate] = (), jsonld: str | None = None,
         version: str = "") -> str:
    """A complete HTML5 document."""
    links = "".join(
        f'<link rel="alternate" type="{e(a.media_type)}" href="{e(a.href)}" title="{e(a.label)}">\n'
        for a in alternates
    )
    script = (f'<script type="application/ld+json">\n{jsonld}</script>\n'
              if jsonld is not None else "")
    menu = "".join(f'<a href="{e(href)}">{e(text)}</a>' for href, text in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)} · EXOP</title>\n{links}"
        f"<style>{STYLE}</style>\n{script}</head>\n<body>\n"
        f'<header class="site"><a class="brand" href="{e(home)}">EXOP</a>{menu}</header>\n'
        f"<main>\n{body}</main>\n"
        "<footer>EXOP encodes one review: Huo KL, Yang TY, Zhang WW, Shao J. "
        "Mesenchymal stem/stromal cells-derived exosomes for osteoporosis treatment. "
        "World J Stem Cells 2023;15(3):83-89, "
        '<a href="https://doi.org/10.4252/wjsc.v15.i3.83" rel="external">'
        "doi:10.4252/wjsc.v15.i3.83</a>. "
        f"Release {e(version)}. Data CC BY-NC 4.0; ontology and shapes CC BY 4.0.</footer>\n"
        "</body>\n</html>\n"
    )
