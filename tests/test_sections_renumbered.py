"""Reports numbered off the template: sections are found by their titles' words, tables by their own labels, and
the numbering is one warning (sections-numbering), never a lost table or a missing section."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from tests_paths import EXAMPLES

from govreport_check.layouts import read_document
from govreport_check.model import Cell, Loc, Section, Table
from govreport_check.report import _placed
from govreport_check.sections import find_sections, numbering, table_section
from govreport_check.template.spec import builtin_templates

SPECS = builtin_templates()["2019"].sections
TITLES = {"一": "一、总体情况", "二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况",
          "四": "四、政府信息公开行政复议、行政诉讼情况", "五": "五、存在的主要问题及改进情况",
          "六": "六、其他需要报告的事项"}
PROSE = "本年度持续完善相关工作制度，加强统筹协调，推动各项工作有序开展。"
SHANGHAI = ({"二": "一、主动公开政府信息情况", "三": "二、收到和处理政府信息公开申请情况",
             "四": "三、政府信息公开行政复议、行政诉讼情况", "五": "四、存在的主要问题及改进情况",
             "六": "五、其他需要报告的事项"},
            {"二": ["二、工作机制", PROSE, "三、制度建设", PROSE, "四、平台建设", PROSE, "五、监督保障", PROSE,
                    "六、队伍建设", PROSE]})
VARIANTS = {
    "shanghai": SHANGHAI,
    "shanghai-titled-prose": (SHANGHAI[0], {"二": ["二、主动公开工作", PROSE, "三、依申请公开工作", PROSE,
                                                   "四、行政复议应诉工作", PROSE]}),
    "shifted": ({"二": "三、主动公开政府信息情况", "三": "四、收到和处理政府信息公开申请情况",
                 "四": "五、政府信息公开行政复议、行政诉讼情况", "五": "六、存在的主要问题及改进情况",
                 "六": "七、其他需要报告的事项"}, {"二": ["二、工作机制保障", PROSE]}),
    "letter-typo": ({"六": "l六、其他需要报告的事项"}, {}),
    "dot": ({"六": "六.其他需要报告的事项"}, {}),
    "paraphrased": ({"二": "三、主动公开政府信息工作情况", "三": "四、依申请公开办理情况",
                     "四": "五、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "五": "六、存在问题及整改措施",
                     "六": "七、其他事项"}, {"二": ["二、工作机制保障", PROSE]}),
}
SOURCES = ("示例区-2020.txt", "示例区-2020-有误.txt")


def variant(source: Path, titles: dict[str, str], before: dict[str, list[str]]) -> str:
    """The example with its section titles replaced, and chapters of prose put before some of them."""
    out = []
    for line in source.read_text(encoding="utf-8").split("\n"):
        sid = next((s for s, t in TITLES.items() if line == t), None)
        out += [*before.get(sid, []), titles.get(sid, line)] if sid else [line]
    return "\n".join(out)


def as_html(source: Path) -> str:
    """A web page of a text report: its tables as <table>s (merged cells left out, as a browser copy has them),
    every other line a paragraph."""
    doc = read_document(source)
    spans = {}
    for t in doc.tables:
        lines = [c.loc.line for row in t.rows for c in row]
        spans[min(lines)] = (max(lines), t)
    out = [f"<html><head><meta charset='utf-8'><title>{html.escape(doc.lines[0])}</title></head><body>"]
    n = 1
    while n <= len(doc.lines):
        if n in spans:
            last, table = spans[n]
            out += ["<table>", *("<tr>" + "".join(f"<td>{html.escape(c.text)}</td>" for c in row if not c.covered)
                                 + "</tr>" for row in table.rows), "</table>"]
            n = last + 1
            continue
        if doc.lines[n - 1].strip():
            out.append(f"<p>{html.escape(doc.lines[n - 1])}</p>")
        n += 1
    return "\n".join([*out, "</body></html>"])


def cells(cli, path: Path) -> list[tuple]:
    _, out = cli.json("extract", path)
    return sorted((c["table"], c["row"], c["column"], str(c["value"]), c["raw"], c["kind"])
                  for c in out["reports"][0]["cells"])


def checked(cli, path: Path) -> tuple[int, list[tuple], list[dict]]:
    """Exit code, the findings other than the numbering warning, and the numbering warnings."""
    code, out = cli.json("check", path)
    findings = out["reports"][0]["findings"]
    others = [(f["rule"], f["severity"], f["message"]) for f in findings if f["rule"] != "sections-numbering"]
    return code, others, [f for f in findings if f["rule"] == "sections-numbering"]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", list(VARIANTS))
def test_renumbered_report_reads_every_cell_with_one_numbering_warning(cli, name, source, tmp_path):
    original = EXAMPLES / source
    path = tmp_path / "renumbered.txt"
    path.write_text(variant(original, *VARIANTS[name]), encoding="utf-8")
    assert cells(cli, path) == cells(cli, original)
    code, others, numbered = checked(cli, path)
    assert (code, others, []) == checked(cli, original)
    assert [f["severity"] for f in numbered] == ["warning"]


def test_renumbered_web_page_reads_every_cell_with_one_numbering_warning(cli, tmp_path):
    original = tmp_path / "original.html"
    original.write_text(as_html(EXAMPLES / "示例区-2020.txt"), encoding="utf-8")
    text = tmp_path / "renumbered.txt"
    text.write_text(variant(EXAMPLES / "示例区-2020.txt", *SHANGHAI), encoding="utf-8")
    page = tmp_path / "renumbered.html"
    page.write_text(as_html(text), encoding="utf-8")
    assert len(cells(cli, page)) == 198
    assert cells(cli, page) == cells(cli, original)
    code, others, numbered = checked(cli, page)
    assert (code, others) == (0, [])
    assert len(numbered) == 1


def test_numbering_warning_names_the_first_title_off_the_template_and_counts_them(cli, tmp_path):
    path = tmp_path / "shifted.txt"
    path.write_text(variant(EXAMPLES / "示例区-2020.txt", *VARIANTS["shifted"]), encoding="utf-8")
    _, _, [warning] = checked(cli, path)
    assert warning["message"] == ("章节编号与模板不符（共5处）：第二部分的标题为“三、主动公开政府信息情况”，"
                                  "按模板应为“二、主动公开政府信息情况”")
    assert warning["line"] == path.read_text(encoding="utf-8").split("\n").index("三、主动公开政府信息情况") + 1


def test_numbering_restarting_after_prose_chapters_names_each_section_by_its_words():
    lines = ("一、总体情况", "正文。", "二、工作机制", "正文。", "三、平台建设", "一、主动公开政府信息情况",
             "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况",
             "四、存在的主要问题及改进情况", "五、其他需要报告的事项", "无。")
    found = find_sections(lines, SPECS)
    assert [(s.id, s.start, s.end) for s in found] == [
        ("一", 1, 5), ("二", 6, 6), ("三", 7, 7), ("四", 8, 8), ("五", 9, 9), ("六", 10, 11)]
    assert [numbering(s.title) for s in found] == ["一、", "一、", "二、", "三、", "四、", "五、"]


def test_typos_in_numerals_are_kept_as_written():
    lines = ("一、总体情况", "**二、主动公开政府信息情况**", "三 收到和处理政府信息公开申请情况",
             "四．政府信息公开行政复议、行政诉讼情况", "## 五.存在的主要问题及改进情况", "l六、其他需要报告的事项")
    found = find_sections(lines, SPECS)
    assert [s.id for s in found] == ["一", "二", "三", "四", "五", "六"]
    assert [numbering(s.title) for s in found] == ["一、", "二、", "三", "四．", "五.", "l六、"]


def test_numerals_decide_between_readings_of_the_same_words():
    """Prose chapters carry the words of the template's titles, numbered as the template numbers them; the
    tables' chapters after them restart at 一. Both readings find six sections: the numerals choose."""
    lines = ("一、总体情况", "二、主动公开工作", "一、主动公开政府信息情况", "二、收到和处理政府信息公开申请情况",
             "三、政府信息公开行政复议、行政诉讼情况", "四、存在的主要问题及改进情况", "五、其他需要报告的事项")
    found = find_sections(lines, SPECS)
    assert [(s.id, s.start) for s in found] == [("一", 1), ("二", 2), ("三", 4), ("四", 5), ("五", 6), ("六", 7)]


def test_sentences_numbered_off_the_template_are_not_titles():
    lines = ("一、总体情况", "二、工作机制保障", "三、主动公开信息15327条。", "三、主动公开政府信息情况")
    assert [(s.id, s.start) for s in find_sections(lines, SPECS)] == [("一", 1), ("二", 4)]


def test_a_title_without_keywords_is_found_between_neighbours_whose_numbering_brackets_it():
    lines = ("一、总体情况", "二、工作机制保障", "三、主动公开政府信息情况", "四、收到和处理政府信息公开申请情况",
             "五、政府信息公开行政复议、行政诉讼情况", "六、存在问题及整改措施", "七、其他需要报告的事项")
    found = find_sections(lines, SPECS)
    assert [(s.id, s.start) for s in found] == [("一", 1), ("二", 3), ("三", 4), ("四", 5), ("五", 6), ("六", 7)]


def test_a_row_label_between_sections_is_no_title():
    """`四、结转下年度继续办理` between 三 and 五 is a sec3 row (pipes and spaced text keep it at a line's start);
    the title after it, without the keywords of 四, is 四 by its place and numeral."""
    lines = ("三、收到和处理政府信息公开申请情况", "四、结转下年度继续办理 | 1 | 2", "四、结转下年度继续办理",
             "四、复议和诉讼情况", "五、存在的主要问题及改进情况")
    assert [(s.id, s.start) for s in find_sections(lines, SPECS)] == [("三", 1), ("四", 4), ("五", 5)]


def _table(*rows: tuple[str, ...], anchor: int = 1) -> Table:
    loc = Loc("t.txt", anchor)
    return Table(tuple(tuple(Cell(text, loc) for text in row) for row in rows), loc, anchor)


SEC2 = _table(("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "0", "0", "0"), anchor=5)
SEC3 = _table(("", "自然人", "商业企业", "总计"), ("一、本年新收政府信息公开申请数量", "1", "0", "1"),
              ("（一）予以公开", "1", "0", "1"), anchor=15)
SEC4 = _table(("行政复议", "行政诉讼"), ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), anchor=25)


def test_tables_name_their_section_by_their_labels():
    templates = builtin_templates()
    assert [table_section(t, templates) for t in (SEC2, SEC3, SEC4)] == ["二", "三", "四"]
    assert table_section(_table(("项目", "数量"), ("网站访问量", "326")), templates) is None


def test_a_table_goes_where_its_labels_say_unless_its_section_already_holds_one():
    templates = builtin_templates()
    sections = (Section("一", "一、总体情况", 1, 9), Section("二", "二、主动公开政府信息情况", 10, 30))
    misplaced = _placed((SEC2, SEC3, SEC4), sections, templates)  # 三 and 四 were never found: all under 一 / 二
    assert [t.section for t in misplaced] == ["二", "三", "四"]
    summary = _table(("规章", "0"), ("行政许可", "12"), anchor=2)  # a look-alike in 总体情况, sec2 in place
    sections = (Section("一", "一、总体情况", 1, 4), Section("二", "二、主动公开政府信息情况", 5, 30))
    assert [t.section for t in _placed((summary, SEC2), sections, templates)] == ["一", "二"]
