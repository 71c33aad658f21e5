"""Coverage of the review's text by findings: which sentence each finding rests on.

The review body runs from the heading ``INTRODUCTION`` to just before ``Footnotes``.
It is cut into units:

* ``sentence``: a sentence of a body paragraph (headings, figure and table captions,
  the figure labels and the Table 1 header cells are left out);
* ``table-row``: one flattened row of Table 1, kept whole.

Optionally the abstract and the core tip are cut into sentences too (sections
``abstract`` and ``core-tip``). A unit is covered when at least one finding's
``exop:evidenceQuote`` equals it character for character.

The sentences that state no fact (the review's scope, a pointer to a figure) and so
carry no finding are listed, each with its reason, in the packaged file
``non-factual-sentences.toml`` beside this module (:func:`non_factual_sentences`).
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from exop.errors import TextInputError
from exop.namespaces import EXOP

BODY_START = "INTRODUCTION"
BODY_END = "Footnotes"

SECTION_HEADINGS: Mapping[str, str] = {
    "INTRODUCTION": "introduction",
    "EXOSOMES AND MESENCHYMAL STEM CELLS": "exosomes-and-mscs",
    "MSCS-DERIVED EXOSOMES IN THE TREATMENT OF OP": "treatment-of-op",
    "EFFECTS OF MSCS-DERIVED EXOSOMES ON OSTEOBLASTS": "osteoblasts",
    "EFFECTS OF MSCS-DERIVED EXOSOMES ON OSTEOCLASTS": "osteoclasts",
    "EFFECTS OF MSCS-DERIVED EXOSOMES ON BONE IMMUNITY": "bone-immunity",
    "CONCLUSION": "conclusion",
}
"""Body headings as printed, mapped to the section slugs used in finding IRIs."""

NON_FACTUAL_FILE = "non-factual-sentences.toml"
"""Package data file (in ``exop``) listing the sentences that state no fact, with reasons."""

TABLE_HEADER_CELLS = frozenset({"Ref.", "Exosome source", "Cell type", "Consequence"})

_CITATION = re.compile(r"\[(\d+(?:\s*[-\u2013]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-\u2013]\s*\d+)?)*)\]")
_TABLE_ROW = re.compile(r"^\S+(?:\s\S+)?\set al\[\d+\], \d{4}")
_CAPTION = re.compile(r"^(?:Figure|Table) \d+(?:\s.*)?$")
# A sentence ends at ".", "!" or "?" followed by white space and a letter or digit,
# except after the abbreviations listed (so "et al. Smith" would stay whole).
_NO_SPLIT_BEFORE = ("et al.", "e.g.", "i.e.", "vs.", "Fig.", "No.")
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Za-z0-9])")


@dataclass(frozen=True)
class TextUnit:
    """One sentence (or Table 1 row) of the review."""

    section: str
    position: int
    kind: str
    text: str

    @property
    def references(self) -> tuple[int, ...]:
        """The reference numbers this unit cites, ranges expanded, sorted."""
        return cited_references(self.text)


@dataclass(frozen=True)
class NonFactualSentence:
    """A sentence of the review that states no fact, so no finding rests on it."""

    section: str
    text: str
    reason: str


@dataclass(frozen=True)
class UnitCoverage:
    """A unit with the findings whose evidence quote equals it."""

    unit: TextUnit
    findings: tuple[URIRef, ...]

    @property
    def covered(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class CoverageReport:
    """Every unit with its findings, and the quotes that match no unit."""

    units: tuple[UnitCoverage, ...]
    unmatched_findings: tuple[URIRef, ...]

    @property
    def uncovered(self) -> tuple[TextUnit, ...]:
        return tuple(u.unit for u in self.units if not u.covered)

    @property
    def covered_count(self) -> int:
        return sum(1 for u in self.units if u.covered)

    def unexplained(self, known: Iterable[NonFactualSentence]) -> tuple[TextUnit, ...]:
        """The uncovered units that are not among the ``known`` non-factual sentences."""
        listed = {(k.section, k.text) for k in known}
        return tuple(u for u in self.uncovered if (u.section, u.text) not in listed)


def non_factual_sentences() -> tuple[NonFactualSentence, ...]:
    """The packaged list of sentences that state no fact, each with its reason."""
    source = resources.files("exop").joinpath(NON_FACTUAL_FILE)
    document = tomllib.loads(source.read_text(encoding="utf-8"))
    return tuple(
        NonFactualSentence(entry["section"], entry["text"], entry["reason"])
        for entry in document["sentence"]
    )


def read_review(path: Path | str) -> str:
    """The review's plain text from ``path``; :class:`TextInputError` if it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise TextInputError(f"{path}: no such file")
    if path.is_dir():
        raise TextInputError(f"{path}: is a directory, not the review's text")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise TextInputError(f"{path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise TextInputError(f"{path}: cannot be read ({error.strerror})") from error


def cited_references(text: str) -> tuple[int, ...]:
    """Reference numbers cited in ``text`` by bracket markers such as [7-13] or [16,17].

    Ranges expand (``[7-13]`` gives 7 to 13); the result is sorted and without repeats.
    """
    numbers: set[int] = set()
    for group in _CITATION.findall(text):
        for part in group.split(","):
            bounds = re.split(r"\s*[-\u2013]\s*", part.strip())
            first, last = int(bounds[0]), int(bounds[-1])
            numbers.update(range(first, last + 1))
    return tuple(sorted(numbers))


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """Split one paragraph into sentences, keeping each sentence's text exactly."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.start()]
        if candidate.endswith(_NO_SPLIT_BEFORE):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(paragraph[start:])
    return tuple(p.strip() for p in pieces if p.strip())


def _is_heading(line: str) -> bool:
    return line in SECTION_HEADINGS


def _is_skipped(line: str) -> bool:
    return bool(_CAPTION.match(line)) or line in TABLE_HEADER_CELLS


def _line_index(lines: list[str], marker: str, start: int = 0) -> int:
    try:
        return lines.index(marker, start)
    except ValueError:
        raise TextInputError(
            f"the text has no line {marker!r}, so it is not the review's plain text"
        ) from None


def body_units(review_text: str) -> tuple[TextUnit, ...]:
    """The body of the review as sentences and Table 1 rows, in reading order."""
    lines = review_text.splitlines()
    start = _line_index(lines, BODY_START)
    end = _line_index(lines, BODY_END, start)
    units: list[TextUnit] = []
    section = SECTION_HEADINGS[BODY_START]
    for raw in lines[start:end]:
        line = raw.strip()
        if not line or _is_skipped(line):
            continue
        if _is_heading(line):
            section = SECTION_HEADINGS[line]
            continue
        if _TABLE_ROW.match(line):
            units.append(TextUnit("table-1", len(units) + 1, "table-row", line))
            continue
        for sentence in split_sentences(line):
            units.append(TextUnit(section, len(units) + 1, "sentence", sentence))
    return tuple(units)


def front_units(review_text: str) -> tuple[TextUnit, ...]:
    """The abstract and the core tip as sentences (sections ``abstract``, ``core-tip``)."""
    lines = [line.strip() for line in review_text.splitlines()]
    units: list[TextUnit] = []
    abstract_at = _line_index(lines, "Abstract")
    abstract = next((line for line in lines[abstract_at + 1 :] if line), "")
    for sentence in split_sentences(abstract):
        units.append(TextUnit("abstract", len(units) + 1, "sentence", sentence))
    core_tip = next((line for line in lines if line.startswith("Core Tip:")), None)
    if core_tip is None:
        raise TextInputError("the text has no 'Core Tip:' line, so it is not the review's text")
    for sentence in split_sentences(core_tip.removeprefix("Core Tip:").strip()):
        units.append(TextUnit("core-tip", len(units) + 1, "sentence", sentence))
    return tuple(units)


def findings_by_quote(graph: Graph) -> Mapping[str, tuple[URIRef, ...]]:
    """Evidence quote -> the findings resting on it (sorted IRIs)."""
    table: dict[str, list[URIRef]] = defaultdict(list)
    for finding, quote in graph.subject_objects(EXOP.evidenceQuote):
        if isinstance(finding, URIRef) and isinstance(quote, Literal):
            table[str(quote)].append(finding)
    return {quote: tuple(sorted(found)) for quote, found in table.items()}


def coverage_of(units: Iterable[TextUnit], graph: Graph) -> CoverageReport:
    """Match ``units`` against the findings' evidence quotes in ``graph``."""
    by_quote = findings_by_quote(graph)
    unit_list = tuple(units)
    texts = {u.text for u in unit_list}
    covered = tuple(UnitCoverage(u, by_quote.get(u.text, ())) for u in unit_list)
    unmatched = tuple(
        sorted(f for quote, found in by_quote.items() if quote not in texts for f in found)
    )
    return CoverageReport(covered, unmatched)


def coverage(
    review_text: str, graph: Graph, *, include_front_matter: bool = False
) -> CoverageReport:
    """Coverage of the review body (and optionally abstract and core tip) by ``graph``.

    ``unmatched_findings`` lists findings whose quote matches none of the units
    considered (with ``include_front_matter=False`` that includes the abstract's and
    core tip's findings).
    """
    units = body_units(review_text)
    if include_front_matter:
        units = front_units(review_text) + units
    return coverage_of(units, graph)
