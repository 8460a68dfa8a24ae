"""Prose numbers against the tables: real sentence shapes, and the numbers that must never raise a warning."""

import unicodedata

import pytest

from build import report_text
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules

PROSE = [r for r in builtin_rules() if r.kind == "prose"]  # the built report: 一 17, 二 2, 三.七 17, 四 2, 复议 2, 诉讼 1


def prose_findings(tmp_path, prose: str):
    path = tmp_path / "r.txt"
    path.write_text(report_text(prose=prose), encoding="utf-8")
    return [f for f in check(load_report(path), PROSE).findings]


@pytest.mark.parametrize(
    "prose",
    [
        "本年度共收到政府信息公开申请17件，上年结转2件，全年办结17件，结转下年度继续办理2件。",
        "全县全年共受理政府信息公开申请 19 件。",  # 受理 = 新收 + 上年结转
        "共收到政府信息公开申请\n17 件，办结 17\n件。",  # wrapped by a PDF
        "全年通过门户网站主动公开政府信息4511条，网站访问量约326万人次。",
        "规范性文件备案审查5件，同比增加3件。",
        "收到申请较上年增加12件。",
        "办理人大代表建议7件、政协提案3件。",
        "被申请行政复议2件，被提起行政诉讼1件。",
        "其中予以公开8件，部分公开2件，予以公开及部分公开10件。",
    ],
)
def test_consistent_or_unrelated_numbers_raise_nothing(tmp_path, prose):
    assert prose_findings(tmp_path, prose) == []


def test_mismatch_quotes_the_sentence_and_its_line(tmp_path):
    [finding] = prose_findings(tmp_path, "2020年，本机关\n共收到政府信息公开申请\n18件，办结17件。")
    assert finding.rule == "prose-received"
    assert finding.severity.value == "warning"
    assert finding.loc.line == 7
    assert "2020年，本机关共收到政府信息公开申请18件，办结17件。" in finding.message
    assert "18 件" in finding.message and "17" in finding.message and "19" in finding.message
    assert (finding.actual, finding.expected) == ("18", "表三“一、本年新收”总计为 17，新收加上年结转为 19")


def test_each_prose_rule_names_its_own_number(tmp_path):
    findings = prose_findings(tmp_path, "上年结转3件，结转下年度继续办理5件，被申请行政复议4件，被提起行政诉讼9件，予以公开11件。")
    assert sorted(f.rule for f in findings) == ["prose-carried-in", "prose-carried-out", "prose-disclosed",
                                                "prose-litigation", "prose-review"]


def test_compact_maps_every_character_back_to_its_line_and_place():
    from govreport_check.checks.prose import compact

    lines = ("标题", "全年收到申请 35 件…共计", "", "（一）办结３０件。", "其余")
    prose = compact(lines, 2, 5)
    assert prose.text == "全年收到申请35件...共计(一)办结30件。\n其余"
    assert prose.original == "全年收到申请35件…共计（一）办结３０件。\n其余"
    for i, ch in enumerate(prose.text):
        line, at = prose.where(i)
        source = prose.original[at]
        assert line == (2 if i < 14 else 4 if i < 24 else 5)  # the break after 。 belongs to its sentence's line
        assert ch in unicodedata.normalize("NFKC", source)  # `.` of `...` maps to `…`, `3` to `３`


def test_table_cells_are_not_prose(tmp_path):
    """A label in the table (a local row worded like a sentence) is not read as a figure quoted in the text."""
    path = tmp_path / "r.txt"
    path.write_text(report_text(extra_rows=("其中通过网上收到申请99件",)), encoding="utf-8")
    report = load_report(path)
    assert [f.rule for f in check(report, PROSE).findings] == []
    assert any("99件" in c.text for t in report.document.tables for row in t.rows for c in row)
