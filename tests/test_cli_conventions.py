"""What users of ruff and pre-commit expect of a CLI: --version, -h, colour by --color, NO_COLOR and FORCE_COLOR."""

import re

from typer.testing import CliRunner

from govreport_check.cli import app

COLOUR = re.compile(r"\x1b\[(?:\d+;)*3\dm")  # a foreground colour, not just bold


def _run(*args, env=None):
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_version_and_short_help(cli):
    code, out = _run("--version")
    assert code == 0 and re.fullmatch(r"govreport-check \d+\.\d+\.\d+\n", out)
    code, out = _run("check", "-h")
    assert code == 0 and "--color" in out and "检查报告" in out


def test_color_always_never_and_the_environment(example_error):
    args = ("check", example_error, "--format", "rich")
    assert COLOUR.search(_run(*args, "--color", "always")[1])
    assert not COLOUR.search(_run(*args, "--color", "never", env={"FORCE_COLOR": "1"})[1])
    assert not COLOUR.search(_run(*args, env={"FORCE_COLOR": None})[1]), "not a terminal: no colour by default"
    assert COLOUR.search(_run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": ""})[1])
    assert not COLOUR.search(_run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})[1])
    assert not COLOUR.search(_run(*args, "--no-color", "--color", "always")[1])
