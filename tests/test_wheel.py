"""The built wheel carries the artefacts and works from outside the repository.

Builds the wheel (``python -m build --no-isolation``, with hatchling from the test extra,
so no download is needed), installs it into a fresh virtual environment and runs
``exop validate`` and ``exop query`` from a temporary folder outside the repository.

Offline by design: the fresh environment gets the wheel with ``--no-index --no-deps``,
and finds the already-installed dependencies through a ``.pth`` line naming this
environment's site-packages (a plain path line, so this environment's editable ``exop``
is not picked up). The test checks that ``exop`` is imported from the new environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from exop import resources
from exop.catalog import list_queries

from conftest import ROOT

pytestmark = pytest.mark.slow


def _sh(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    done = _sh(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = dist.glob("exop-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with only the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / "bin" / "python"
    site = _sh(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=env_dir,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "exop_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    done = _sh(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", "-qq", str(wheel)],
        cwd=env_dir,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return env_dir / "bin"


def test_wheel_ships_the_four_artefact_folders(wheel: Path) -> None:
    """Every artefact file is in the wheel, byte for byte (run on a tree nobody is editing)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, files in (
        ("ontology", resources.ontology_files()),
        ("shapes", resources.shape_files()),
        ("data", resources.data_files()),
        ("queries", resources.query_files()),
    ):
        assert files, f"{folder}/ is empty"
        for path in files:
            relative = path.relative_to(resources.ROOT).as_posix()
            assert f"exop/_resources/{relative}" in names, f"{relative} missing from the wheel"
            shipped = zipfile.ZipFile(wheel).read(f"exop/_resources/{relative}")
            assert shipped == path.read_bytes(), f"{relative} differs from the wheel's copy"
    assert "exop/py.typed" in names
    shipped_review = zipfile.ZipFile(wheel).read("exop/_resources/sources/review.txt")
    assert shipped_review == resources.REVIEW_FILE.read_bytes(), "review.txt differs in the wheel"


def _outside(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return folder, env


def test_installed_exop_reads_its_own_resources(installed: Path, tmp_path: Path) -> None:
    folder, env = _outside(tmp_path)
    code = "import exop.resources as r; print(r.ROOT); print(r.__file__)"
    done = _sh([str(installed / "python"), "-c", code], cwd=folder, env=env)
    root, module = done.stdout.split()
    venv_dir = str(installed.parent)
    assert root.startswith(venv_dir) and root.endswith("exop/_resources"), root
    assert module.startswith(venv_dir), module


def test_installed_validate_matches_the_source_tree(installed: Path, tmp_path: Path) -> None:
    folder, env = _outside(tmp_path)
    source_run = _sh([sys.executable, "-m", "exop.cli", "validate", "--format", "json"], cwd=ROOT)
    wheel_run = _sh([str(installed / "exop"), "validate", "--format", "json"], cwd=folder, env=env)
    assert wheel_run.returncode in (0, 1), wheel_run.stderr
    assert (wheel_run.returncode, wheel_run.stdout) == (source_run.returncode, source_run.stdout)


def test_installed_query_matches_the_source_tree(installed: Path, tmp_path: Path) -> None:
    folder, env = _outside(tmp_path)
    query = next(
        q for q in list_queries() if not any(p.required and p.default is None for p in q.parameters)
    )
    source_run = _sh(
        [sys.executable, "-m", "exop.cli", "query", query.id, "--format", "json"], cwd=ROOT
    )
    wheel_run = _sh(
        [str(installed / "exop"), "query", query.id, "--format", "json"], cwd=folder, env=env
    )
    assert wheel_run.returncode == 0, wheel_run.stderr
    assert wheel_run.stdout == source_run.stdout
    assert '"head"' in wheel_run.stdout


def test_installed_coverage_reads_the_packaged_review(installed: Path, tmp_path: Path) -> None:
    folder, env = _outside(tmp_path)
    args = ["coverage", "--format", "json"]
    source_run = _sh([sys.executable, "-m", "exop.cli", *args], cwd=ROOT)
    wheel_run = _sh([str(installed / "exop"), *args], cwd=folder, env=env)
    assert wheel_run.returncode == 0, wheel_run.stderr
    assert wheel_run.stdout == source_run.stdout
