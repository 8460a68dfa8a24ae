"""CLI outputs kept as golden files: rendered at a fixed width, without colour, from the repository root."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from govreport_check.cli import app
from tests_paths import GOLDEN, ROOT

ERROR = "examples/示例区-2020-有误.txt"
CASES = {
    **{f"check-example-error.rich.{w}.txt": ["check", ERROR, "--format", "rich", "--width", str(w), "--no-color"]
       for w in (80, 120)},
    **{f"check-example-error-verbose.rich.{w}.txt": ["check", ERROR, "--format", "rich", "--width", str(w),
                                                    "--no-color", "-v"] for w in (80, 120)},
    "check-examples.rich.80.txt": ["check", "examples/示例区-2020.txt", ERROR, "--format", "rich", "--width", "80",
                                   "--no-color"],
    "check-examples.plain.txt": ["check", "examples/示例区-2020.txt", ERROR, "--format", "plain"],
    "check-example-error-verbose.plain.txt": ["check", ERROR, "--format", "plain", "-v"],
    "check-example-error.json": ["check", ERROR, "--format", "json"],
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
