"""Last year's report against this year's: --previous, and consecutive years paired inside a folder."""

from build import consistent_sec3, report_text


def write_years(folder, carried=(1, 0, 0, 0, 1, 0, 2)):
    folder.mkdir(exist_ok=True)
    last = consistent_sec3("2019")
    last["四"] = list(carried)
    (folder / "2020.txt").write_text(report_text("2019", 2020, sec3=last), encoding="utf-8")
    (folder / "2021.txt").write_text(report_text("2021", 2021), encoding="utf-8")
    return folder / "2020.txt", folder / "2021.txt"


def carry_over(data):
    return [(f["rule"], f["message"].split("列")[0]) for r in data["reports"] for f in r["findings"]
            if f["rule"].startswith("crossyear")]


def test_matching_carry_over_across_the_template_change_passes(cli, tmp_path):
    last, this = write_years(tmp_path / "ok")
    code, data = cli.json("check", this, "--previous", last)
    assert code == 0 and carry_over(data) == []


def test_broken_carry_over_is_one_finding_listing_its_columns(cli, tmp_path):
    last, this = write_years(tmp_path / "bad", carried=(2, 0, 0, 0, 0, 0, 2))
    code, data = cli.json("check", this, "--previous", last)
    assert code == 1
    [finding] = [f for f in data["reports"][0]["findings"] if f["rule"] == "crossyear-carry-over"]
    assert "上一年报告（2020.txt）" in finding["message"]
    assert "自然人 1（上一年 2）、法律服务机构 1（上一年 0）" in finding["message"]


def test_a_folder_of_one_units_years_is_paired_automatically(cli, tmp_path):
    write_years(tmp_path / "unit", carried=(2, 0, 0, 0, 0, 0, 2))
    code, data = cli.json("check", tmp_path / "unit")
    assert code == 1
    first, second = data["reports"]
    assert carry_over({"reports": [first]}) == []  # 2020 has no 2019 beside it
    assert len(carry_over({"reports": [second]})) == 1


def test_without_last_year_cross_year_rules_do_not_run(cli, tmp_path):
    _, this = write_years(tmp_path / "alone")
    code, data = cli.json("check", this, "--select", "crossyear")
    assert code == 0 and data["reports"][0]["counts"]["checks"] == 0


def test_unreadable_previous_report_exits_2(cli, tmp_path):
    _, this = write_years(tmp_path / "x")
    code, out, err = cli("check", this, "--previous", tmp_path / "missing.txt", "--format", "plain")
    assert code == 2 and "上一年报告无法读取" in out + err
