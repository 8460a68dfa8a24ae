"""Project configuration: [tool.govreport-check] or .govreport-check.toml, --config and --isolated."""

import pytest

from govreport_check.config import Settings, find, load
from govreport_check.errors import InputError


def test_nearest_config_wins(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.govreport-check]\nignore = ["value-blank"]\n', encoding="utf-8")
    sub = tmp_path / "drafts"
    sub.mkdir()
    assert find(sub) == tmp_path / "pyproject.toml"
    (sub / ".govreport-check.toml").write_text('select = ["sec3"]\nfail-on = "warning"\n', encoding="utf-8")
    assert find(sub) == sub / ".govreport-check.toml"
    settings = load(sub / ".govreport-check.toml")
    assert settings == Settings(select=("sec3",), fail_on="warning", source=str(sub / ".govreport-check.toml"))


def test_pyproject_without_our_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find(tmp_path) is None or find(tmp_path).parent != tmp_path


@pytest.mark.parametrize(
    "text, words",
    [
        ('ignor = ["x"]\n', "未知的键"),
        ('fail-on = "sometimes"\n', "fail-on"),
        ('select = "sec3"\n', "字符串列表"),
        ("select = [\n", "TOML"),
    ],
)
def test_bad_config_is_an_input_error(tmp_path, text, words):
    path = tmp_path / ".govreport-check.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        load(path)


def test_cli_uses_config_unless_isolated(cli, tmp_path, example_error, monkeypatch):
    (tmp_path / ".govreport-check.toml").write_text('ignore = ["sec3"]\nformat = "json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("check", example_error)
    assert code == 0 and out.lstrip().startswith("{")
    code, out, _ = cli("check", example_error, "--isolated", "--format", "plain")
    assert code == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 1\n", encoding="utf-8")
    code, _, err = cli("check", example_error, "--config", bad)
    assert code == 2 and "未知的键" in err and str(bad) in err
