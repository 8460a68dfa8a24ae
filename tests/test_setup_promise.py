"""What the README promises a new user holds: the test command on a fresh venv, the declared dependencies."""

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests_paths import ROOT


def test_the_readme_installs_the_test_extra_right_above_pytest():
    assert '```\npip install -e ".[test]"\npytest\n```' in (ROOT / "README.md").read_text(encoding="utf-8")


def test_what_the_readme_relies_on_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {d.split(">")[0].split(";")[0].strip() for d in project["dependencies"]}
    assert {"typer", "rich", "pyyaml", "charset-normalizer"} <= names
    assert "pdf" in project["optional-dependencies"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "charset-normalizer" in readme and 'pip install ".[pdf]"' in readme
    assert 'govreport-check[pdf]' in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_a_glob_matching_nothing_says_so(cli, tmp_path):
    code, out, _ = cli("check", str(tmp_path / "无此目录" / "*.docx"), "--format", "plain")
    assert code == 2 and "没有匹配的文件" in out and "文件不存在" not in out
