"""The w3id.org rules (``docs/w3id/.htaccess``), generated from the format registry and paths.

w3id.org accepts only an ``.htaccess`` of mod_rewrite rules, and mod_rewrite has no notion
of q-values, so these rules compute them: for each media type the server offers they pull
the q-value out of the Accept header and normalise it to four digits (``q=0.5`` -> 0500,
no q -> 1000), take for each format the most specific matching range (exact type, then
``type/*``, then ``*/*``), and pick the offer with the highest q-value, the earlier one on
a tie: the same function as :func:`exop.formats.negotiate` over
:data:`exop.site.paths.NEGOTIATED`. The chosen document is where
:func:`exop.site.paths.document_for` puts it. Paths that are no EXOP IRI get 404, and
requests that accept none of the offers 406; every negotiated answer says ``Vary: Accept``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from exop.formats import Format
from exop.namespaces import IRI_FAMILIES
from exop.site import paths

PLACEHOLDER_HOST = "https://exop-host.example.org"
"""Stands for the publication host; replaced before the rules are submitted."""

COMMAND = "python tools/gen_w3id_rules.py"

_BASE_RX = re.escape(paths.BASE)
_NOT_TERMS = ("individual", "shape", "ontology", "imports module", "shapes module",
              "ontology version", "imports version", "named graph")


def _path_pattern(family: str) -> str:
    pattern = IRI_FAMILIES[family].pattern
    if not pattern.startswith(_BASE_RX):
        raise ValueError(f"IRI family {family} does not start with the EXOP base")
    return pattern[len(_BASE_RX):]


def iri_path_pattern(terms: Iterable[str]) -> str:
    """One regular expression (Python and PCRE alike) for every path that is an EXOP IRI:
    the base, the listed terms, and the other families of IRI_FAMILIES."""
    names = sorted(set(terms))
    bad = [t for t in names if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", t)]
    if bad:
        raise ValueError(f"not term names: {bad}")
    alternatives = ["", *names, *(_path_pattern(f) for f in _NOT_TERMS)]
    return "^(?:" + "|".join(alternatives) + ")$"


def _media_rx(media_range: str) -> str:
    return re.escape(media_range).replace("\\/", "/")


def _extract(variable: str, media_range: str) -> list[str]:
    """Rules that set *variable* to the 4-digit q-value of *media_range* when it is listed."""
    return [
        f"RewriteCond %{{HTTP_ACCEPT}} (?:^|,)[\\t\\ ]*{_media_rx(media_range)}"
        "[\\t\\ ]*(;[^,]*)?(?:,|$) [NC]",
        "RewriteCond %1;q=1 ;[\\t\\ ]*q=([0-9.]+) [NC]",
        "RewriteCond %1 ^(?:(0)(?:\\.([0-9]{0,3}))?|(1)(?:\\.0{0,3})?)$",
        "RewriteCond %3%1%2000 ^([0-9]{4})",
        f"RewriteRule ^ - [E={variable}:%1]",
    ]


def _max_into(target: str, sources: Sequence[str]) -> list[str]:
    lines = [f"RewriteRule ^ - [E={target}:%{{ENV:{sources[0]}}}]"]
    for source in sources[1:]:
        lines += [f"RewriteCond expr \"env('{source}') > env('{target}')\"",
                  f"RewriteRule ^ - [E={target}:%{{ENV:{source}}}]"]
    return lines


def _var(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", text)


def negotiation_rules(offers: Sequence[Format]) -> list[str]:
    """mod_rewrite rules that leave the chosen offer's name in EXOP_WIN (empty: none)."""
    media_types = [m for f in offers for m in f.media_types]
    if len(set(media_types)) != len(media_types):
        raise ValueError("two offers share a media type")
    kinds = sorted({m.split("/")[0] for m in media_types})
    lines = ["# q-value of each media type offered, of each type/* and of */*"]
    for media_type in media_types:
        lines += _extract(f"EXOP_M_{_var(media_type)}", media_type)
    for kind in kinds:
        lines += _extract(f"EXOP_T_{kind}", f"{kind}/*")
    lines += _extract("EXOP_ANY", "*/*")
    lines += ["# no Accept header (or an empty one) accepts everything",
              "RewriteCond %{HTTP_ACCEPT} ^[\\t\\ ]*$",
              "RewriteRule ^ - [E=EXOP_ANY:1000]"]
    lines.append("# each offer: its most specific matching range decides")
    for offer in offers:
        name = _var(offer.name)
        lines += _max_into(f"EXOP_X_{name}", [f"EXOP_M_{_var(m)}" for m in offer.media_types])
        offer_kinds = sorted({m.split("/")[0] for m in offer.media_types})
        lines += _max_into(f"EXOP_W_{name}", [f"EXOP_T_{k}" for k in offer_kinds])
        lines += [
            f"RewriteRule ^ - [E=EXOP_Q_{name}:%{{ENV:EXOP_ANY}}]",
            f"RewriteCond %{{ENV:EXOP_W_{name}}} .",
            f"RewriteRule ^ - [E=EXOP_Q_{name}:%{{ENV:EXOP_W_{name}}}]",
            f"RewriteCond %{{ENV:EXOP_X_{name}}} .",
            f"RewriteRule ^ - [E=EXOP_Q_{name}:%{{ENV:EXOP_X_{name}}}]",
        ]
    lines.append("# the highest q-value wins; on a tie the earlier offer")
    lines.append("RewriteRule ^ - [E=EXOP_BEST:0000,E=EXOP_WIN:]")
    for offer in offers:
        name = _var(offer.name)
        lines += [f"RewriteCond expr \"env('EXOP_Q_{name}') > env('EXOP_BEST')\"",
                  f"RewriteRule ^ - [E=EXOP_BEST:%{{ENV:EXOP_Q_{name}}},E=EXOP_WIN:{offer.name}]"]
    return lines


def _route_rules(host: str, offers: Sequence[Format]) -> list[str]:
    release = r"releases/([0-9]+\.[0-9]+\.[0-9]+)"
    lines = ["# the suffix of the chosen format"]
    for offer in offers:
        suffix = offer.suffix.lstrip(".")
        lines += [f"RewriteCond %{{ENV:EXOP_WIN}} ={offer.name}",
                  f"RewriteRule ^ - [E=EXOP_EXT:{suffix}]"]
    page = "RewriteCond %{ENV:EXOP_EXT} =html"
    ext = "%{ENV:EXOP_EXT}"
    documents = paths.MODULE_DOCUMENTS
    lines += [
        "# the base and the named graph: the home page; RDF: the dataset description, the dump",
        page, f"RewriteRule ^(?:graph)?$ {host}/{paths.CURRENT}/index.html [R=303,L]",
        f"RewriteRule ^$ {host}/{paths.CURRENT}/{documents['']}.{ext} [R=303,L]",
        f"RewriteRule ^graph$ {host}/{paths.CURRENT}/{documents['graph']}.{ext} [R=303,L]",
        "# version IRIs: the files of their own release",
        page, f"RewriteRule ^{release}/(ontology(?:/imports)?)$ {host}/releases/$1/$2.html "
        "[R=303,L]",
        f"RewriteRule ^{release}/ontology$ {host}/releases/$1/{documents['ontology']}.{ext} "
        "[R=303,L]",
        f"RewriteRule ^{release}/ontology/imports$ "
        f"{host}/releases/$1/{documents['ontology/imports']}.{ext} [R=303,L]",
        "# every other IRI of the current release: page and slice at the IRI's path",
        page, f"RewriteRule ^(.+)$ {host}/{paths.CURRENT}/$1.html [R=303,L]",
        f"RewriteRule ^ontology/imports$ "
        f"{host}/{paths.CURRENT}/{documents['ontology/imports']}.{ext} [R=303,L]",
        f"RewriteRule ^(.+)$ {host}/{paths.CURRENT}/$1.{ext} [R=303,L]",
    ]
    return lines


def render_htaccess(terms: Iterable[str], host: str = PLACEHOLDER_HOST,
                    offers: Sequence[Format] = paths.NEGOTIATED) -> str:
    """The complete rules file for the terms *terms* (local names) and host *host*."""
    header = f"""\
# Permanent identifiers for EXOP (MSC-derived exosomes for osteoporosis treatment,
# a semantic data package): https://w3id.org/exop/
# Maintainers and contact: README.md beside this file. Policy: docs/iris.md and
# docs/publishing.md of the EXOP repository.
#
# GENERATED by `{COMMAND}` from the package's terms, its format registry and its
# IRI families: do not edit by hand.
#
# PLACEHOLDER HOST: {PLACEHOLDER_HOST} stands for the real publication host.
# Replace it in every rule before submitting. The host serves each release under
# releases/<version>/ and the latest one under current/, so a release needs no change here.
#
# Content negotiation follows RFC 9110: q-values, type/* and */* (the most specific range
# decides), the highest q-value wins, and on a tie the order
# {", ".join(f.media_type for f in offers)}.
# Not an EXOP IRI: 404. Nothing acceptable: 406. Negotiated answers carry Vary: Accept.
"""
    rules = [
        "Options -MultiViews",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "Header always merge Vary Accept env=EXOP_NEGOTIATED",
        "",
        "# not an EXOP IRI: 404",
        f"RewriteRule !{iri_path_pattern(terms)} - [R=404,L]",
        "RewriteRule ^ - [E=EXOP_NEGOTIATED:1]",
        "",
        *negotiation_rules(offers),
        "",
        "# nothing acceptable: 406",
        "RewriteCond %{ENV:EXOP_WIN} ^$",
        "RewriteRule ^ - [R=406,L]",
        "",
        *_route_rules(host, offers),
    ]
    return header + "\n" + "\n".join(rules) + "\n"
