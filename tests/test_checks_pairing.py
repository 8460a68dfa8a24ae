"""--previous pairs a report with last year's: another body's report, or one that is not the year before, is
said to be so (a warning), since the cross-year findings then mean nothing."""

from build import report_text


def _pair(tmp_path, last_year=2019, last_title=None):
    this, last = tmp_path / "this.txt", tmp_path / "last.txt"
    this.write_text(report_text(year=2020, title="示例区人民政府2020年政府信息公开工作年度报告"), encoding="utf-8")
    last.write_text(report_text(year=last_year, title=last_title or f"示例区人民政府{last_year}年政府信息公开工作年度报告"),
                    encoding="utf-8")
    return this, last


def _pairing(cli, this, last):
    code, data = cli.json("check", this, "--previous", last)
    return code, [f["message"] for f in data["reports"][0]["findings"] if f["rule"] == "crossyear-pairing"]


def test_the_same_body_a_year_before_is_no_finding(cli, tmp_path):
    assert _pairing(cli, *_pair(tmp_path)) == (0, [])


def test_a_year_that_is_not_the_one_before_is_a_warning(cli, tmp_path):
    code, messages = _pairing(cli, *_pair(tmp_path, last_year=2018))
    assert code == 0
    assert messages == ["上一年报告（last.txt）是2018年度的，不是2019年度，跨年度核对的结论不可信"]


def test_another_bodys_report_is_a_warning(cli, tmp_path):
    code, messages = _pairing(cli, *_pair(tmp_path, last_title="样例县人民政府2019年政府信息公开工作年度报告"))
    assert messages == ["上一年报告（last.txt）的单位是“样例县人民政府”，不是“示例区人民政府”，跨年度核对的结论不可信"]
