"""Writing files as users expect: stdout, links, devices, modes, full disks, stable bytes.

Every target is made by the test inside its own temporary folder (a FIFO, a symbolic link,
a 64 KiB tmpfs of its own); nothing touches /dev or /etc.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from exop import formats
from exop.errors import OutputError
from exop.output import atomic_write
from exop.rdfout import isomorphic
from test_cli_errors import assert_one_line_failure

from conftest import CliRunner

RDF_EXPORTS = ["turtle", "nt", "xml", "jsonld", "trig", "nquads"]


def _exop(*args: str, seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "exop.cli", *args], capture_output=True,
                          env=env, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", RDF_EXPORTS)
def test_exports_are_byte_identical_across_runs(fmt: str) -> None:
    """Two processes with different hash seeds (set and dict orders) write the same bytes."""
    first, second = _exop("export", "--format", fmt, "-o", "-", seed="1"), _exop(
        "export", "--format", fmt, "-o", "-", seed="2")
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout) > 100_000
    parsed = Graph()
    if formats.get(fmt).kind == "dataset":
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=first.stdout, format=formats.get(fmt).rdflib)
        named = [g for g in dataset.graphs() if str(g.identifier) == "https://w3id.org/exop/graph"]
        assert len(named) == 1 and len(named[0]) > 5000
        parsed = named[0]
    else:
        parsed.parse(data=first.stdout, format=formats.get(fmt).rdflib)
    from exop.exporters.rdf import package_graph
    from exop.package import default_package

    assert isomorphic(parsed, package_graph(default_package()))


def test_jsonld_export_carries_the_prefix_map_as_context(exop_cli: CliRunner) -> None:
    import json

    from exop.namespaces import PREFIXES

    result = _exop("export", "--format", "jsonld", "-o", "-")
    document = json.loads(result.stdout)
    assert document["@context"] == dict(PREFIXES)


def test_export_to_stdout(exop_cli: CliRunner) -> None:
    result = exop_cli("export", "--format", "nt", "-o", "-")
    assert result.code == 0
    assert "wrote" in result.err


def test_symlink_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    atomic_write(link, b"new")
    assert link.is_symlink() and link.readlink() == target
    assert target.read_text() == "new"


def test_existing_mode_is_kept_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.ttl"
    kept.write_text("old")
    kept.chmod(0o640)
    atomic_write(kept, b"new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "fresh.ttl", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "fresh.ttl").stat().st_mode) == 0o640


def test_fifo_is_written_straight(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, b"through the pipe")
    reader.join(10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@contextlib.contextmanager
def _tiny_tmpfs(folder: Path) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path: Path,
                                                        exop_cli: CliRunner) -> None:
    with _tiny_tmpfs(tmp_path / "small") as small:
        old = small / "export.ttl"
        old.write_text("the old export\n")
        result = exop_cli("export", "--format", "turtle", "-o", str(old))
        assert_one_line_failure(result, [str(old), "No space left"])
        assert old.read_text() == "the old export\n"
        assert sorted(p.name for p in small.iterdir()) == ["export.ttl"]


def test_writing_into_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="directory"):
        atomic_write(tmp_path, b"x")


def test_fmt_keeps_ntriples_as_ntriples(tmp_path: Path, exop_cli: CliRunner) -> None:
    path = tmp_path / "a.nt"
    path.write_text("<urn:b> <urn:p> \"2\" .\n<urn:a> <urn:p> _:x .\n", encoding="utf-8")
    assert exop_cli("fmt", str(path)).code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == 2
    assert all(line.endswith(" .") and line.startswith("<urn:") for line in lines)
    assert exop_cli("fmt", "--check", str(path)).code == 0


@pytest.mark.parametrize("name", ["a.rdf", "a.jsonld", "notes.txt"])
def test_fmt_refuses_what_it_does_not_keep(name: str, tmp_path: Path,
                                           exop_cli: CliRunner) -> None:
    path = tmp_path / name
    path.write_text("whatever", encoding="utf-8")
    result = exop_cli("fmt", str(path))
    assert_one_line_failure(result, [path.suffix])
    assert path.read_text(encoding="utf-8") == "whatever"
