"""An unfilled template (every data cell of a table blank) is one error per table, not a warning per row."""

import pytest

from build import report_text


def _check(cli, tmp_path, **settings):
    path = tmp_path / "r.txt"
    path.write_text(report_text(**settings), encoding="utf-8")
    code, data = cli.json("check", path)
    return code, [f for f in data["reports"][0]["findings"]]


@pytest.mark.parametrize("template, year", [("2019", 2020), ("2021", 2023)])
def test_blank_sec3_and_sec4_are_one_error_each_and_exit_1(cli, tmp_path, template, year):
    code, findings = _check(cli, tmp_path, template=template, year=year, blank_tables=("sec3", "sec4"))
    assert code == 1
    unfilled = [f for f in findings if f["rule"] == "table-unfilled"]
    assert [f["severity"] for f in unfilled] == ["error", "error"]
    assert all("表格未填写" in f["message"] for f in unfilled)
    assert "收到和处理政府信息公开申请情况" in unfilled[0]["message"]
    assert "行政复议、行政诉讼" in unfilled[1]["message"]
    assert [f for f in findings if f["rule"] == "value-blank"] == []  # one problem, one finding


def test_a_blank_sec2_is_reported_once_too(cli, tmp_path):
    code, findings = _check(cli, tmp_path, blank_tables=("sec2", "sec3", "sec4"))
    assert code == 1
    assert len([f for f in findings if f["rule"] == "table-unfilled"]) == 3
    assert [f for f in findings if f["rule"] == "value-blank"] == []


def test_only_the_unfilled_table_loses_its_per_row_warnings(cli, tmp_path):
    sec4 = [1, 0, 0, 1, 2, "", "", "", "", "", "", "", "", "", ""]  # a partly blank sec4 keeps its warnings
    code, findings = _check(cli, tmp_path, blank_tables=("sec3",), sec4=sec4)
    assert code == 1
    unfilled = [f for f in findings if f["rule"] == "table-unfilled"]
    assert len(unfilled) == 1 and "收到和处理政府信息公开申请情况" in unfilled[0]["message"]
    blank = [f["message"] for f in findings if f["rule"] == "value-blank"]
    assert [m.split("：")[0] for m in blank] == ["未经复议直接起诉", "复议后起诉"]


def test_the_official_blank_template_is_unfilled(cli, shared):
    code, data = cli.json("check", shared / "real" / "official_2021_template_blank.docx")
    findings = data["reports"][0]["findings"]
    assert code == 1
    assert len([f for f in findings if f["rule"] == "table-unfilled"]) == 3
    assert [f for f in findings if f["rule"] == "value-blank"] == []
