"""queries/README.md is generated from the query decorators and must never be stale."""

from __future__ import annotations

from pathlib import Path

from exop import catalog
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "tools" / "gen_queries_readme.py"


def test_queries_readme_is_up_to_date() -> None:
    generator = load_script("tools/gen_queries_readme.py", "gen_queries_readme")
    readme = generator.README
    assert readme.is_file(), f"{readme} is missing: run `{generator.COMMAND}`"
    expected = generator.render(catalog.list_queries())
    assert readme.read_text(encoding="utf-8") == expected, (
        f"{readme} is stale (queries or expected answers changed): run `{generator.COMMAND}`"
    )


def test_queries_readme_documents_every_query_with_an_example() -> None:
    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for query in catalog.list_queries():
        section = text.split(f"## `{query.id}`\n", 1)
        assert len(section) == 2, f"queries/README.md has no section for {query.id}"
        body = section[1].split("\n## ", 1)[0]
        assert query.summary in body
        assert "Example" in body, f"queries/README.md: no example for {query.id}"
        for parameter in query.parameters:
            assert f"`{parameter.name}`" in body, f"{query.id}: parameter {parameter.name}"


def test_check_mode_reports_a_stale_readme(tmp_path: Path) -> None:
    generator = load_script("tools/gen_queries_readme.py", "gen_queries_readme")
    stale = tmp_path / "README.md"
    stale.write_text("# old\n", encoding="utf-8")
    setattr(generator, "README", stale)  # noqa: B010 (a module attribute, for this test)
    assert generator.main(["--check"]) == 1
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0
