"""Where the review's plain text is: the one place that knows, so it can be repointed.

The repository ships the review's text as ``sources/review.txt``; until a checkout has it,
the text is read from the copy kept beside the repository (``../shared/source/review.txt``).
"""

from __future__ import annotations

from pathlib import Path

from exop.errors import TextInputError
from exop.resources import ROOT

CANDIDATES: tuple[Path, ...] = (
    ROOT / "sources" / "review.txt",
    ROOT.parent / "shared" / "source" / "review.txt",
)


def review_text_path() -> Path:
    """The first review text that exists; TextInputError naming where it was looked for."""
    for candidate in CANDIDATES:
        if candidate.is_file():
            return candidate
    raise TextInputError(
        "the review's text is not there (looked for " + ", ".join(map(str, CANDIDATES)) + ")"
    )


def review_text() -> str:
    """The review's plain text, as the repository ships it."""
    return review_text_path().read_text(encoding="utf-8")
