"""CLI outputs kept as golden files: rendered at a fixed width, without colour, from the repository root."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from govreport_check.cli import app
from tests_paths import GOLDEN, ROOT

CASES = {
    "check-example-error.rich.txt": ["check", "examples/示例区-2020-有误.txt", "--format", "rich", "--width", "100",
                                     "--no-color"],
    "check-example-error-verbose.rich.txt": ["check", "examples/示例区-2020-有误.txt", "--format", "rich", "--width",
                                             "100", "--no-color", "-v"],
    "check-examples.plain.txt": ["check", "examples/示例区-2020.txt", "examples/示例区-2020-有误.txt", "--format",
                                 "plain"],
    "check-example-error.json": ["check", "examples/示例区-2020-有误.txt", "--format", "json"],
    "rules.rich.txt": ["rules", "--width", "100", "--no-color"],
}


def render(args: list[str]) -> str:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.stdout


def golden_path(name: str) -> Path:
    return GOLDEN / name
