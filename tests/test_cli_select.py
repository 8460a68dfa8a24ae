"""--select and --ignore never make a failing report pass by a typo: unknown ids and tags exit 2 naming the
closest, comma-separated lists work, and structure rules obey the selection like every other rule."""

from build import report_text


def test_an_unknown_id_exits_2_naming_the_closest(cli, example_error):
    code, out, err = cli("check", example_error, "--select", "sec3-balanse")
    assert code == 2 and out == ""
    assert "“sec3-balanse”不存在，最接近的是 sec3-balance" in err


def test_an_unknown_id_in_the_config_exits_2(cli, tmp_path, example_error, monkeypatch):
    (tmp_path / ".govreport-check.toml").write_text('select = ["sec3-balanse"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("check", example_error)
    assert code == 2 and "sec3-balance" in err


def test_an_unknown_tag_or_ignore_exits_2(cli, example_error):
    code, _, err = cli("check", example_error, "--select", "tag:合记")
    assert code == 2 and "最接近的是 tag:合计" in err
    code, _, err = cli("check", example_error, "--ignore", "prose-recieved")
    assert code == 2 and "prose-received" in err


def test_a_selection_leaving_no_rule_exits_2(cli, example_error):
    code, _, err = cli("check", example_error, "--select", "sec3", "--ignore", "sec3")
    assert code == 2 and "没有任何规则" in err


def test_comma_separated_lists_select_each(cli, example_error):
    code, data = cli.json("check", example_error, "--select", "sec3-balance,sec3-row-total")
    assert code == 1
    assert {f["rule"] for f in data["reports"][0]["findings"]} == {"sec3-row-total"}
    code, data = cli.json("check", example_error, "--ignore", "sec3-row-total, sec3-results-total")
    assert code == 0


def test_structure_rules_obey_the_selection(cli, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text(drop_rows=("三.三.8",)), encoding="utf-8")
    _, data = cli.json("check", path)
    assert "row-missing" in {f["rule"] for f in data["reports"][0]["findings"]}
    _, data = cli.json("check", path, "--select", "sec4")
    assert {f["rule"] for f in data["reports"][0]["findings"]} <= {"sec4-row-total"}
