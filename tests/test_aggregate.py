"""aggregate: a summary report against the sum of its units' reports, cell by cell, with a roster of units."""

import json
import shutil

import pytest

from build import edit_line, report_text


@pytest.fixture
def region(tmp_path, example):
    """示例区's report as the summary of two units: one with its figures, one that reports nothing yet."""
    shutil.copy(example, tmp_path / "示例区-汇总.txt")
    (tmp_path / "units").mkdir()
    text = example.read_text(encoding="utf-8").replace("示例区2020年", "示例区教育局2020年", 1)
    (tmp_path / "units" / "教育局.txt").write_text(text, encoding="utf-8")
    (tmp_path / "units" / "民政局.txt").write_text(
        report_text(year=2020, title="示例区民政局2020年政府信息公开工作年度报告",
                    blank_tables=("sec2", "sec3", "sec4")), encoding="utf-8")
    return tmp_path



def test_a_summary_equal_to_its_parts_exits_0(cli, region):
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "plain")
    assert code == 0, out
    assert out.startswith(f"{region / '示例区-汇总.txt'}: pass — 未发现问题；检查 ")


def test_a_summary_off_by_5_in_one_cell_exits_1_naming_that_cell(cli, region):
    edit_line(region / "示例区-汇总.txt", 139, "\t5", "\t10")  # （二）部分公开 / 自然人
    code, data = cli.json("aggregate", region / "示例区-汇总.txt", region / "units")
    report = data["reports"][0]
    assert code == 1
    assert [(f["rule"], f["cells"][0]["row"], f["cells"][0]["column"]) for f in report["findings"]] == [
        ("aggregate-cell", "三.二", "自然人")]
    finding = report["findings"][0]
    assert finding["message"].startswith("（二）部分公开 / 自然人：汇总报告为 10，2 个单位报告之和为 5（相差 5）："
                                         "示例区教育局 5、示例区民政局 0")
    assert finding["suggestion"]["value"] == 5 and finding["line"] == 139
    assert report["problems"][0]["summary"] == "（二）部分公开 / 自然人：现为 10，按各单位报告之和应为 5"


def test_a_part_of_another_year_is_named_and_not_summed(cli, region):
    (region / "units" / "旧.txt").write_text(report_text(year=2019, title="示例区财政局2019年政府信息公开工作年度报告"),
                                             encoding="utf-8")
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "plain")
    assert code == 0  # a warning: the office is told, the sums still hold
    assert ("warning P1 aggregate-part-other 单位报告 旧.txt（示例区财政局）是2019年度的，汇总报告是2020年度，"
            "未计入汇总核对") in out


@pytest.mark.parametrize("roster", ["示例区教育局\n# 区属单位\n示例区民政局\n示例区财政局\n",
                                    "\ufeff序号,单位,联系人\n1,示例区教育局,张\n2,示例区民政局,李\n3,示例区财政局,王\n"])
def test_the_roster_names_units_without_a_report(cli, region, roster):
    (region / "名单.csv").write_text(roster, encoding="utf-8")
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--roster", region / "名单.csv",
                       "--format", "plain")
    assert code == 0
    assert "warning P1 aggregate-roster-missing 名单中有 1 个单位没有报告：示例区财政局" in out
    assert "aggregate-roster-extra" not in out


def test_an_unreadable_part_exits_2_and_the_rest_is_still_compared(cli, region):
    (region / "units" / "坏.txt").write_bytes(b"")
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "plain")
    assert code == 2
    assert f"{region / 'units' / '坏.txt'}: error input 文件为空" in out and "pass" in out


def test_the_summary_in_the_parts_folder_is_not_added_to_itself(cli, region):
    shutil.move(region / "示例区-汇总.txt", region / "units" / "汇总.txt")
    code, out, _ = cli("aggregate", region / "units" / "汇总.txt", region / "units", "--format", "plain")
    assert code == 0, out


def test_selecting_no_aggregate_rule_exits_2(cli, region):
    code, _, err = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--select", "sec3")
    assert code == 2 and "没有任何汇总核对规则" in err


def test_sarif_and_csv_take_aggregate_results(cli, region):
    edit_line(region / "示例区-汇总.txt", 139, "\t5", "\t10")
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "sarif")
    assert code == 1 and [r["ruleId"] for r in json.loads(out)["runs"][0]["results"]] == ["aggregate-cell"]
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "csv")
    assert code == 1 and out.startswith("\ufeff") and len(out.strip().splitlines()) == 2


def test_the_html_page_draws_the_summary_with_the_differing_cell_marked(cli, region):
    edit_line(region / "示例区-汇总.txt", 139, "\t5", "\t10")
    code, out, _ = cli("aggregate", region / "示例区-汇总.txt", region / "units", "--format", "html")
    assert code == 1 and out.count("data-cell=") > 150
    cell = out[out.index('data-cell="sec3/三.二/自然人"'):][:200]
    assert 'data-severity="error"' in cell
