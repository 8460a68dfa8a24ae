"""Config discovery: no higher than the project or the home folder, never a file another user could have written,
and odd values in a pyproject.toml are input errors naming the file and line."""

from __future__ import annotations

import os

import pytest

from govreport_check.config import find, load
from govreport_check.errors import InputError

EVERYTHING_OFF = 'ignore = ["sec3"]\n'  # the rules the failing example breaks: a run would pass it
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
OTHER_UID = 65534


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """tmp/home/…, tmp/shared/…; HOME is tmp/home."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "reports").mkdir(parents=True)
    (tmp_path / "shared" / "work").mkdir(parents=True)
    return tmp_path


def test_discovery_stops_at_the_project_root(tree):
    project = tree / "shared" / "project"
    (project / "drafts").mkdir(parents=True)
    (tree / "shared" / ".govreport-check.toml").write_text(EVERYTHING_OFF, encoding="utf-8")
    (project / ".git").mkdir()
    assert find(project / "drafts") is None
    (project / ".git").rmdir()
    (project / ".git").write_text("gitdir: ../elsewhere\n", encoding="utf-8")  # a worktree's .git is a file
    assert find(project / "drafts") is None
    (project / ".govreport-check.toml").write_text(EVERYTHING_OFF, encoding="utf-8")
    assert find(project / "drafts") == project / ".govreport-check.toml"


def test_discovery_stops_at_the_home_folder(tree):
    (tree / ".govreport-check.toml").write_text(EVERYTHING_OFF, encoding="utf-8")
    assert find(tree / "home" / "reports") is None
    (tree / "home" / ".govreport-check.toml").write_text(EVERYTHING_OFF, encoding="utf-8")
    assert find(tree / "home" / "reports") == tree / "home" / ".govreport-check.toml"


@needs_root
@pytest.mark.parametrize("name", [".govreport-check.toml", "pyproject.toml"])
def test_a_config_of_another_user_is_skipped_with_a_warning(tree, capsys, name):
    planted = tree / "shared" / name
    planted.write_text(EVERYTHING_OFF if name.startswith(".") else "[tool.govreport-check]\n" + EVERYTHING_OFF,
                       encoding="utf-8")
    os.chown(planted, OTHER_UID, OTHER_UID)
    assert find(tree / "shared" / "work") != planted
    assert f"警告：{planted}: 跳过这个配置文件，因为它属于另一用户（uid {OTHER_UID}）" in capsys.readouterr().err


def test_a_config_anyone_may_write_is_skipped_with_a_warning(tree, capsys):
    planted = tree / "shared" / ".govreport-check.toml"
    planted.write_text(EVERYTHING_OFF, encoding="utf-8")
    planted.chmod(0o666)
    assert find(tree / "shared" / "work") != planted
    assert f"警告：{planted}: 跳过这个配置文件，因为任何用户都可以修改它（权限 0666）" in capsys.readouterr().err
    planted.chmod(0o664)  # group-writable is how shared project folders are set up: trusted
    assert find(tree / "shared" / "work") == planted


@needs_root
def test_a_planted_config_in_a_shared_folder_cannot_turn_the_checks_off(cli, tree, example_error, monkeypatch):
    planted = tree / "shared" / ".govreport-check.toml"
    planted.write_text(EVERYTHING_OFF, encoding="utf-8")
    os.chown(planted, OTHER_UID, OTHER_UID)
    monkeypatch.chdir(tree / "shared" / "work")
    code, out, err = cli("check", example_error, "--format", "plain")
    assert code == 1 and "检查 0 项" not in out
    assert "跳过这个配置文件" in err
    code, out, _ = cli("check", example_error, "--format", "plain", "--config", planted)  # named: the user's choice
    assert code == 0


ODD = [
    ("tool = 5\n", 1, "tool 应为表（如 [tool.govreport-check]），而不是整数"),
    ('tool = "x"\n', 1, "tool 应为表（如 [tool.govreport-check]），而不是字符串"),
    ("[tool]\ngovreport-check = 5\n", 2, "tool.govreport-check 应为表（如 [tool.govreport-check]），而不是整数"),
    ("[tool]\ngovreport-check = [1]\n", 2, "tool.govreport-check 应为表（如 [tool.govreport-check]），而不是数组"),
    ('[project]\nname = "x"\n\n[tool]\n"govreport-check" = 1979-05-27\n', 5, "而不是日期或时间"),
    ("[tool.govreport-check]\nselect = [\n  1,\n]\n", 2, "配置项 select 应为字符串列表"),
    ("[tool.govreport-check]\njobs = true\n", 2, "配置项 jobs 应为正整数"),
    ("[tool.govreport-check]\nfail-on = [\"error\"]\n", 2, "配置项 fail-on 只能是"),
    ('[tool.govreport-check]\nrules = ["a\\u0000b"]\n', 2, "配置项 rules 中有无效的路径"),
    ("tool.govreport-check.colour = 1\n", 1, "配置中有未知的键：colour"),
]


@pytest.mark.parametrize("text, line, words", ODD)
def test_an_odd_pyproject_is_an_input_error_with_file_and_line(cli, tmp_path, example, monkeypatch, text, line, words):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    path = project / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line) and words in caught.value.message
    monkeypatch.chdir(project)
    for args in ((), ("--config", path)):  # found, or named
        code, out, err = cli("check", example, "--format", "plain", *args)
        assert code == 2 and out == "" and f"错误：{path}:{line}: " in err and words in err
        assert "Traceback" not in err

