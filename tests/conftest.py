"""Shared fixtures: an in-process `exop` runner, and the SPARQL server fixtures of servers.py."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from exop.cli import run

from serve_servers import *  # noqa: F403  (exop serve on a loopback port)
from servers import *  # noqa: F403  (server fixtures and the --regen-expected option)
from site_servers import *  # noqa: F403  (the built site, Apache with the w3id rules)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    """What one `exop` invocation did."""

    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture
def exop_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run `exop ARGS...` in this process and return exit code, stdout and stderr."""

    def invoke(*args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
