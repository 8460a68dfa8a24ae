from pathlib import Path

from govreport_check.layouts import spaces
from govreport_check.report import load_report

FIXTURES = Path(__file__).parent / "fixtures" / "spaces"


def texts(lines):
    return [[c.text for c in row] for t in spaces.read_tables(tuple(lines), "r.txt") for row in t.rows]


def test_fragments_split_on_two_spaces_and_pull_apart_figures():
    frags = spaces.fragments("规章 1   结 果   0 0 0", 1)
    assert [(f.text, f.x) for f in frags] == [("规章", 0), ("1", 3), ("结 果", 7), ("0", 13), ("0", 15), ("0", 17)]


def test_label_wrapped_above_and_below_its_number_line():
    lines = ["一、本年新收政府信息公开申请数量      3    1",
             "  （二）部分公开（区分处理的，只计",
             "                              2    0",
             "  这一情形，不计其他情形）"]
    assert texts(lines) == [["一、本年新收政府信息公开申请数量", "3", "1"],
                            ["（二）部分公开（区分处理的，只计\n这一情形，不计其他情形）", "2", "0"]]


def test_vertical_label_one_character_per_line():
    lines = ["三、        1.属于国家秘密      0",
             "本          2.其他法律行政法规禁止公开   1",
             "年",
             "度          3.危及“三安全一稳定”     2"]
    rows = texts(lines)
    assert rows[0] == ["三、本年度", "1.属于国家秘密", "0"]
    assert rows[1:] == [["2.其他法律行政法规禁止公开", "1"], ["3.危及“三安全一稳定”", "2"]]


def test_numbered_label_never_continues_the_one_above():
    lines = ["      1.属于国家秘密            0", "      2.其他法律          1"]
    assert texts(lines) == [["1.属于国家秘密", "0"], ["2.其他法律", "1"]]


def test_heading_line_parts_labels_and_never_becomes_one():
    lines = ["第二十条 第（五）项", "", "信息内容          本年处理决定数量", "", "行政许可          5"]
    assert texts(lines) == [["行政许可", "5"]]


def test_page_footers_are_dropped_and_a_label_continues_across_them():
    lines = ["             1.本机关不掌握相关政府信息     5", "      （四）无", "", "— 5 —", "第 3 页",
             "     法提供       2.没有现成信息需要另行制作     1"]
    assert texts(lines)[1] == ["（四）无\n法提供", "2.没有现成信息需要另行制作", "1"]


def test_sec4_flattened_under_a_glued_header():
    lines = ["行政复议行政诉讼", "1   0   0   1   2   0   0   0   0   0   0   0   0   1   1"]
    assert texts(lines) == [["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]]


def test_prose_is_not_a_number_line():
    assert spaces.score(("2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件。", "规章    0   0   0")) == 1


def test_pdftotext_report_with_wraps_vertical_labels_and_page_breaks():
    report = load_report(FIXTURES / "wrapped-2021.txt")
    assert report.document.layout == "spaces"
    assert report.records.facts == ()
    cells = {k: v.number for k, v in report.records.values.items()}
    assert len([k for k in cells if k[0] == "sec3"]) == 175
    assert cells[("sec3", "三.二", "总计")] == 4
    assert cells[("sec3", "三.五.5", "自然人")] == 0
    assert cells[("sec3", "三.六.1", "总计")] == 1
    assert cells[("sec2", "行政许可", "本年处理决定数量")] == 1250
    assert cells[("sec4", "复议后起诉", "总计")] == 1
