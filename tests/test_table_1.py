"""The review's Table 1, rebuilt from the graph by the packaged `table-1` query, equals the
table printed in the review, cell by cell.

The review's text flattens each row into one line ("Author et al[N], YEARsourcecellconsequence"),
so each row is checked as: the four cells, in column order, concatenate to that line; the
Ref. cell is exactly the "Author et al[N], YEAR" prefix; no cell is empty. The review prints
no-break spaces in two Ref. cells; the graph keeps ordinary spaces, so both sides are compared
with no-break spaces read as spaces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exop.run import run_packaged_query

REVIEW_TXT = Path(__file__).resolve().parents[1] / "sources" / "review.txt"
HEADERS = ("Ref.", "Exosome source", "Cell type", "Consequence")
COLUMNS = ("Ref", "Exosome_source", "Cell_type", "Consequence")
REF_CELL = re.compile(r"^\S+ et al\[\d+\], \d{4}")


@pytest.fixture(scope="module")
def printed_table() -> list[str]:
    """The flattened rows of Table 1 as printed, in order."""
    lines = REVIEW_TXT.read_text(encoding="utf-8").replace("\u00a0", " ").split("\n")
    start = lines.index(HEADERS[0])
    assert tuple(lines[start : start + len(HEADERS)]) == HEADERS
    rows = []
    for line in lines[start + len(HEADERS) :]:
        if not REF_CELL.match(line):
            break
        rows.append(line)
    assert rows, "no Table 1 rows found after the header cells"
    return rows


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_table_1_query_equals_the_printed_table(engine: str, printed_table: list[str]) -> None:
    result = run_packaged_query("table-1", engine=engine)
    assert tuple(result.variables) == COLUMNS
    rows = [tuple(str(cell) for cell in row) for row in result.rows]
    expected = len(printed_table)
    assert len(rows) == expected, f"{len(rows)} rows; the review prints {expected}"
    for number, (cells, printed) in enumerate(zip(rows, printed_table, strict=True), start=1):
        assert all(cells), f"row {number}: empty cell in {cells}"
        assert "".join(cells) == printed, f"row {number}: {cells} do not make {printed!r}"
        ref = REF_CELL.match(printed)
        assert ref is not None and cells[0] == ref.group(0), (
            f"row {number}: Ref. cell {cells[0]!r}, the review prints {ref and ref.group(0)!r}"
        )
