"""Shared fixtures: the repository's own examples, and ../shared (seed, corpus, real reports) when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreport_check.cli import app

from tests_paths import EXAMPLES, SHARED


@pytest.fixture(autouse=True, scope="session")
def _rule_cache(tmp_path_factory):
    """Keep the rule cache out of the user's home while testing."""
    import os

    os.environ["GOVREPORT_CHECK_CACHE"] = str(tmp_path_factory.mktemp("rule-cache"))


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "FORMATS.md").is_file():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def seed(shared: Path) -> Path:
    return shared / "seed" / "yantian-2020.txt"


@pytest.fixture
def example() -> Path:
    return EXAMPLES / "示例区-2020.txt"


@pytest.fixture
def example_error() -> Path:
    return EXAMPLES / "示例区-2020-有误.txt"


class Cli:
    """Runs the CLI in-process; returns (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        result = self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    def json(self, *args: str):
        code, out, _ = self(*args, "--format", "json")
        return code, json.loads(out)


@pytest.fixture
def cli() -> Cli:
    return Cli()
