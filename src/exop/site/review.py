"""The review's own text, for showing each finding's quote in its paragraph.

The plain text ships with the package (:data:`exop.resources.REVIEW_FILE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exop import resources
from exop.coverage import read_review


def review_text_path() -> Path | None:
    """The packaged review text, or None when this installation has none."""
    candidate = resources.REVIEW_FILE
    return candidate if candidate.is_file() else None


@dataclass(frozen=True)
class QuoteInContext:
    """A quote located in the review: the paragraph around it, split at the quote."""

    before: str
    quote: str
    after: str
    paragraph_number: int
    """1-based, counting the non-empty lines of the text."""


@dataclass(frozen=True)
class ReviewText:
    """The review as paragraphs (its non-empty lines)."""

    paragraphs: tuple[str, ...]

    @classmethod
    def read(cls, path: Path | str) -> ReviewText:
        """Read the plain text; TextInputError names the file when it cannot be read."""
        return cls.parse(read_review(path))

    @classmethod
    def parse(cls, text: str) -> ReviewText:
        return cls(tuple(line.strip() for line in text.splitlines() if line.strip()))

    def locate(self, quote: str) -> QuoteInContext | None:
        """The first paragraph that holds *quote* verbatim, split around it."""
        if not quote:
            return None
        for number, paragraph in enumerate(self.paragraphs, start=1):
            at = paragraph.find(quote)
            if at >= 0:
                return QuoteInContext(
                    paragraph[:at], quote, paragraph[at + len(quote):], number
                )
        return None
