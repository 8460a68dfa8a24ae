"""One omission or one disagreement is one finding: columns left blank in every row, a carry-over that differs
from last year's report in several columns; and the summary's counts add up."""

from build import SEC3_COLUMNS, consistent_sec3, report_text

GROUP = SEC3_COLUMNS[1:6]  # the five 法人或其他组织 columns


def _check(cli, tmp_path, *extra, name="r.txt", **settings):
    path = tmp_path / name
    path.write_text(report_text(**settings), encoding="utf-8")
    code, data = cli.json("check", path, *extra)
    return code, data["reports"][0]


def _blank(columns, rows=None, template="2019"):
    sec3 = consistent_sec3(template)
    for row, figures in sec3.items():
        if rows is None or row in rows:
            for c in columns:
                figures[SEC3_COLUMNS.index(c)] = ""
            figures[-1] = sum(f for f in figures[:-1] if f != "")
    return sec3


def _rules(report, rule):
    return [f for f in report["findings"] if f["rule"] == rule]


def test_five_blank_group_columns_are_one_warning_naming_the_group(cli, tmp_path):
    code, report = _check(cli, tmp_path, template="2021", year=2023, sec3=_blank(GROUP, template="2021"))
    assert code == 0
    [finding] = _rules(report, "value-blank-columns")
    assert finding["severity"] == "warning"
    assert finding["message"] == "法人或其他组织五列全部空白（25 行），按 0 计算"
    assert len(finding["cells"]) == 125
    assert _rules(report, "value-blank") == []


def test_a_row_with_other_blanks_names_only_those(cli, tmp_path):
    sec3 = _blank(GROUP)
    sec3["三.二"][0] = ""  # 自然人 left blank in one row only
    code, report = _check(cli, tmp_path, sec3=sec3)
    assert len(_rules(report, "value-blank-columns")) == 1
    [row] = _rules(report, "value-blank")
    assert row["message"].startswith("（二）部分公开：有 1 个空白单元格（自然人）")


def test_separate_runs_of_blank_columns_are_one_finding_each(cli, tmp_path):
    code, report = _check(cli, tmp_path, sec3=_blank(("商业企业", "科研机构", "其他")))
    messages = [f["message"] for f in _rules(report, "value-blank-columns")]
    assert messages == ["商业企业、科研机构两列全部空白（23 行），按 0 计算", "其他列全部空白（23 行），按 0 计算"]
    assert _rules(report, "value-blank") == []


def test_a_column_blank_in_some_rows_only_stays_per_row(cli, tmp_path):
    blank = _blank(("其他",), rows=("一", "二"))
    code, report = _check(cli, tmp_path, "--select", "value-blank-columns", sec3=blank)
    assert code == 0 and report["findings"] == [] and report["counts"]["passed"] == 2
    code, report = _check(cli, tmp_path, sec3=blank)
    assert len(_rules(report, "value-blank")) == 2


def test_the_real_report_with_blank_group_columns_passes_with_one_warning(cli, shared):
    code, data = cli.json("check", shared / "real" / "shuyang_fgj_2023.page.html")
    report = data["reports"][0]
    assert code == 0
    assert [f["rule"] for f in report["findings"] if f["rule"].startswith("value-blank")] == ["value-blank-columns"]
    assert "法人或其他组织五列全部空白" in report["findings"][0]["message"]


def test_a_cross_year_mismatch_is_one_finding_naming_last_years_file(cli, tmp_path):
    last = consistent_sec3("2019")
    last["四"] = [2, 1, 1, 1, 0, 1, 6]  # differs from this year's 二 in every column
    _check(cli, tmp_path, name="去年.txt", sec3=last)
    code, report = _check(cli, tmp_path, "--previous", tmp_path / "去年.txt", template="2021", year=2021)
    assert code == 1
    [finding] = _rules(report, "crossyear-carry-over")
    assert "去年.txt" in finding["message"]
    assert "有 7 列不符" in finding["message"]
    assert "自然人 1（上一年 2）" in finding["message"] and "总计 2（上一年 6）" in finding["message"]
    assert {c["column"] for c in finding["cells"]} >= {"自然人", "总计"}
    assert set(finding) >= {"rule", "severity", "message", "cells"}


def test_the_summary_counts_add_up(cli, tmp_path):
    last = consistent_sec3("2019")
    last["四"] = [2, 1, 1, 1, 0, 1, 6]
    _check(cli, tmp_path, name="去年.txt", sec3=last)
    sec3 = _blank(GROUP)
    sec3["三.二"][0] = ""
    for settings in ({"sec3": sec3}, {"drop_rows": ("三.二",)}, {"template": "2021", "year": 2021}):
        extra = ("--previous", tmp_path / "去年.txt") if "template" in settings else ()
        code, report = _check(cli, tmp_path, *extra, **settings)
        c = report["counts"]
        assert c["checks"] == c["passed"] + c["errors"] + c["warnings"] + c["infos"], (settings, c)
        assert len(report["findings"]) == c["errors"] + c["warnings"] + c["infos"]
