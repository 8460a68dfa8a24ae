"""Space-aligned tables with blank cells: each figure goes to the column it stands in, never to the next free one.

The report is our example (examples/示例区-2020.txt) laid out as `pdftotext -layout` lays a PDF table out: every
character one cell wide, figures right-aligned under their headings. The same report is also laid out by display
width (a CJK character two wide), as text aligned by eye in a monospaced font is. A blank cell is a figure replaced
by spaces of its width: nothing printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from govreport_check.layouts import spaces
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules
from tests_paths import EXAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "spaces"
SEC2 = [("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",))]
SEC3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
SEC3_ROWS = [("一", "一、本年新收政府信息公开申请数量"), ("二", "二、上年结转政府信息公开申请数量"),
             ("三.一", "三、本年度办理结果  （一）予以公开"), ("三.二", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
             ("三.三.1", "（三）不予公开  1.属于国家秘密"), ("三.三.2", "2.其他法律行政法规禁止公开"),
             ("三.三.3", "3.危及“三安全一稳定”"), ("三.三.4", "4.保护第三方合法权益"), ("三.三.5", "5.属于三类内部事务信息"),
             ("三.三.6", "6.属于四类过程性信息"), ("三.三.7", "7.属于行政执法案卷"), ("三.三.8", "8.属于行政查询事项"),
             ("三.四.1", "（四）无法提供  1.本机关不掌握相关政府信息"), ("三.四.2", "2.没有现成信息需要另行制作"),
             ("三.四.3", "3.补正后申请内容仍不明确"), ("三.五.1", "（五）不予处理  1.信访举报投诉类申请"),
             ("三.五.2", "2.重复申请"), ("三.五.3", "3.要求提供公开出版物"), ("三.五.4", "4.无正当理由大量反复申请"),
             ("三.五.5", "5.要求行政机关确认或重新出具已获取信息"), ("三.六", "（六）其他处理"), ("三.七", "（七）总计"),
             ("四", "四、结转下年度继续办理")]
SEC4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
SEC4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def width(text: str, display: bool) -> int:
    if not display:
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Page:
    """Lines written at columns, in characters or in display columns; remembers where each figure went."""

    def __init__(self, display: bool):
        self.display = display
        self.lines: list[str] = []
        self.where: dict[tuple[str, str, str], tuple[int, int, int]] = {}  # cell → (line index, start, end)

    def line(self, *parts: tuple[int, str], keys: tuple = ()) -> None:
        """Texts at columns, left to right; a text in `keys` (by position) is a figure right-aligned at its column."""
        text = ""
        for i, (col, part) in enumerate(parts):
            key = keys[i] if i < len(keys) else None
            at = col - width(part, self.display) if key else col
            text += " " * max(at - width(text, self.display), 2 if text else 0)
            if key:
                self.where[key] = (len(self.lines), len(text), len(text) + len(part))
            text += part
        self.lines.append(text)

    def text(self, *lines: str) -> None:
        self.lines += lines


def layout(display: bool = False, sec4_rows: bool = False, shift_page: int = 0) -> Page:
    """The example laid out in columns. `sec4_rows` writes sec4 as three labelled rows of five, not one row of
    fifteen under a two-level heading; `shift_page` starts a new page before sec3's （四）, its columns moved
    right by that many places (pdftotext lays out each page afresh)."""
    values = example_values()
    page = Page(display)
    page.text("示例区人民政府", "2020年政府信息公开工作年度报告", "",
              "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
              "一、总体情况", "2020年，本机关共收到政府信息公开申请54件，上年结转4件，办结55件，结转下年度继续办理3件。",
              "二、主动公开政府信息情况")
    unit = 2 if display else 1
    for caption, heads, items in SEC2:
        left, step = 14 * unit, 12 * unit
        page.text(caption, "")
        page.line((0, "信息内容"), *((left + i * step, h) for i, h in enumerate(heads)))
        page.text("")
        for item in items:
            figures = [values[("sec2", item, c)] for c in heads]
            page.line((0, item), *((left + i * step + 6 * unit, f) for i, f in enumerate(figures)),
                      keys=(None, *(("sec2", item, c) for c in heads)))
            page.text("")
    page.text("三、收到和处理政府信息公开申请情况")
    left, step = 32 * unit, 8 * unit
    col = [left + i * step for i in range(7)]
    page.line((0, "（本列数据的勾稽关系为：第一项加第二"), (col[0], "申请人情况"))
    page.text("项之和，等于第三项加第四项之和）")
    page.line((col[0], "自然人"), (col[1], "法人或其他组织"), (col[6], "总计"))
    page.line(*((col[i], h) for i, h in enumerate(SEC3_COLUMNS[1:6], 1)))
    page.text("")
    for row, label in SEC3_ROWS:
        if row == "三.四.1" and shift_page:
            page.text("", "— 3 —", "\f")
            col = [c + shift_page for c in col]
        figures = [values[("sec3", row, c)] for c in SEC3_COLUMNS]
        page.line((0, label), *((col[i] + 3 * unit, f) for i, f in enumerate(figures)),
                  keys=(None, *(("sec3", row, c) for c in SEC3_COLUMNS)))
        page.text("")
    page.text("四、政府信息公开行政复议、行政诉讼情况")
    if sec4_rows:
        left, step = 18 * unit, 6 * unit
        page.line(*((left + i * step, h) for i, h in enumerate(SEC4_COLUMNS)))
        for row in SEC4_ROWS:
            figures = [values[("sec4", row, c)] for c in SEC4_COLUMNS]
            page.line((0, row), *((left + i * step + 2 * unit, f) for i, f in enumerate(figures)),
                      keys=(None, *(("sec4", row, c) for c in SEC4_COLUMNS)))
    else:
        step = 6 * unit
        col = [i * step for i in range(15)]
        page.line((col[0], "行政复议"), (col[5], "行政诉讼"))
        page.line((col[5], "未经复议直接起诉"), (col[10], "复议后起诉"))
        page.line(*((c, SEC4_COLUMNS[i % 5]) for i, c in enumerate(col)))
        cells = [("sec4", row, c) for row in SEC4_ROWS for c in SEC4_COLUMNS]
        page.line(*((c + 2 * unit, values[k]) for c, k in zip(col, cells)), keys=tuple(cells))
    page.text("五、存在的主要问题及改进情况", "一是公开工作的深度和广度仍需拓展。", "六、其他需要报告的事项", "无。")
    return page


def blank(page: Page, *keys: tuple[str, str, str]) -> list[str]:
    """The page's lines with these figures replaced by spaces as wide as they were."""
    lines = list(page.lines)
    for key in keys:
        i, a, b = page.where[key]
        lines[i] = lines[i][:a] + " " * width(lines[i][a:b], page.display) + lines[i][b:]
    return lines


@cache
def example_values() -> dict[tuple[str, str, str], str]:
    return {k: v.raw for k, v in load_report(EXAMPLES / "示例区-2020.txt").records.values.items()}


def extract(tmp_path, lines: list[str], name: str = "r.txt", checked: bool = True) -> tuple[dict, list[dict]]:
    """What `extract` writes for each cell (value, raw, kind, line), and what `check` finds, as in its JSON."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_report(path)
    cells = {k: (None if v.number is None else int(v.number) if v.number == int(v.number) else float(v.number),
                 v.raw, v.kind, v.loc.line) for k, v in report.records.values.items()}
    findings = check(report, list(builtin_rules())).findings if checked else ()
    return cells, [{"rule": f.rule, "message": f.message} for f in findings]


def rules(findings: list[dict]) -> set[str]:
    return {f["rule"] for f in findings}


def assert_blanked(tmp_path, page: Page, *keys) -> None:
    """The blanked cells read blank (and are reported so), every other cell exactly as in the full table."""
    full, _ = extract(tmp_path, page.lines, "full.txt", checked=False)
    got, findings = extract(tmp_path, blank(page, *keys), "blanked.txt")
    assert len(full) == 198
    assert {k: v for k, v in got.items() if k not in keys} == {k: v for k, v in full.items() if k not in keys}
    assert {k: got.get(k, ("missing",))[:3] for k in keys} == {k: (None, "", "blank") for k in keys}
    assert "row-shape" not in rules(findings) and "value-blank" in rules(findings)


@pytest.mark.parametrize("display", [False, True], ids=["pdftotext", "display-width"])
@pytest.mark.parametrize("keys", [
    [("sec3", "三.一", "科研机构")],
    [("sec3", "一", "自然人")],
    [("sec3", "四", "总计")],
    [("sec3", "三.四.1", "商业企业"), ("sec3", "三.四.1", "其他"), ("sec3", "三.七", "自然人")],
], ids=["middle", "first", "total", "several"])
def test_sec3_blank_cells_stay_in_their_columns(tmp_path, display, keys):
    assert_blanked(tmp_path, layout(display), *keys)


@pytest.mark.parametrize("display", [False, True], ids=["pdftotext", "display-width"])
def test_sec2_blank_cells_stay_in_their_columns(tmp_path, display):
    keys = [("sec2", "规章", "本年新制作数量"), ("sec2", "其他对外管理服务事项", "本年增/减"),
            ("sec2", "行政事业性收费", "上一年项目数量")]  # the last is a table of one row: its headings decide
    assert_blanked(tmp_path, layout(display), *keys)


@pytest.mark.parametrize("display", [False, True], ids=["pdftotext", "display-width"])
def test_sec4_rows_of_five_blank_cells_stay_in_their_columns(tmp_path, display):
    keys = [("sec4", "未经复议直接起诉", "结果纠正"), ("sec4", "复议后起诉", "结果维持")]
    assert_blanked(tmp_path, layout(display, sec4_rows=True), *keys)


@pytest.mark.parametrize("display", [False, True], ids=["pdftotext", "display-width"])
def test_sec4_row_of_fifteen_blank_cell_placed_under_its_heading(display):
    page = layout(display)
    start = page.lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    key = ("sec4", "未经复议直接起诉", "其他结果")
    cells = [("sec4", row, c) for row in SEC4_ROWS for c in SEC4_COLUMNS]
    i = page.where[key][0]
    figures = [page.lines[i][a:b] for _, a, b in (page.where[k] for k in cells)]
    (table,) = spaces.read_tables(tuple(blank(page, key)), "r.txt", start, start + 4)
    assert [c.text for c in table.rows[-1]] == [f if k != key else "" for f, k in zip(figures, cells)]
    assert figures[cells.index(key)] == "1"


def test_page_laid_out_afresh_uses_its_own_columns(tmp_path):
    """After a page break the columns sit one column to the right: a figure there is placed by that page's full
    rows, not by the first page's columns (one column to the left of where it stands)."""
    keys = [("sec3", "三.四.2", "商业企业"), ("sec3", "四", "自然人")]
    assert_blanked(tmp_path, layout(shift_page=8), *keys)


def test_figure_between_two_columns_is_reported_not_moved(tmp_path):
    """A blank beside a figure pushed halfway into its neighbour's column: its column cannot be told, so that
    row is reported by name with the figures it has, and none of them is placed; a blank in the next row, whose
    figures stand in their columns, is read as usual."""
    page = layout()
    full, _ = extract(tmp_path, page.lines, "full.txt", checked=False)
    placed = ("sec3", "三.二", "自然人")
    lines = blank(page, ("sec3", "三.一", "科研机构"), placed)
    i, a, b = page.where[("sec3", "三.一", "商业企业")]
    lines[i] = lines[i][:a] + "    " + lines[i][a:b] + lines[i][b + 4:]  # halfway to the next column
    got, findings = extract(tmp_path, lines)
    shape = [f["message"] for f in findings if f["rule"] == "row-shape"]
    assert len(shape) == 1 and "「（一）予以公开」应有 7 个数值，实际找到 6 个" in shape[0]
    assert not any(k[:2] == ("sec3", "三.一") for k in got)
    assert got[placed][:3] == (None, "", "blank")
    assert {k: v for k, v in got.items() if k[:2] != ("sec3", "三.一") and k != placed} == \
           {k: v for k, v in full.items() if k[:2] != ("sec3", "三.一") and k != placed}


def test_figures_merely_spaced_apart_are_not_placed_by_position(tmp_path):
    """The same row a figure short: in columns it is read with a blank; with cells three spaces apart whatever
    their width (no column grid), it is reported, not filled out by where its figures happen to fall."""
    lines = blank(layout(), ("sec3", "三.六", "商业企业"))
    got, findings = extract(tmp_path, lines)
    assert "row-shape" not in rules(findings) and got[("sec3", "三.六", "商业企业")][:3] == (None, "", "blank")
    got, findings = extract(tmp_path, [re.sub(r" {2,}", "   ", ln) for ln in lines])
    shape = [f["message"] for f in findings if f["rule"] == "row-shape"]
    assert len(shape) == 1 and "（六）其他处理" in shape[0] and not any(k[1] == "三.六" for k in got)


def test_word_in_a_short_row_leaves_it_as_found():
    """A word standing in a figure's column (`O` for 0) beside a blank: that row is not placed around it, while
    the next row's blank is."""
    page = layout()
    lines = blank(page, ("sec3", "三.五.3", "自然人"), ("sec3", "三.五.4", "自然人"))
    i, a, b = page.where[("sec3", "三.五.3", "商业企业")]
    lines[i] = lines[i][:a] + "O" + lines[i][b:]
    start = next(n for n, ln in enumerate(lines, 1) if ln.startswith("三、收到"))
    rows = [[c.text for c in row] for t in spaces.read_tables(tuple(lines), "r.txt", start, start + 60) for row in t.rows]
    assert ["3.要求提供公开出版物", "O", "0", "0", "0", "0", "0"] in rows
    assert ["4.无正当理由大量反复申请", "", "0", "0", "0", "0", "0", "0"] in rows


def test_pdftotext_fixture_with_blank_cells_reads_like_the_full_one(cli):
    """Our pdftotext-style fixture with cells blanked: on its first and second page, under wrapped and vertical
    labels. sec4's one row of fifteen sits under a heading run together (行政复议行政诉讼): nothing tells its
    columns, so the row is reported instead."""
    def cells(name):
        code, data = cli.json("extract", FIXTURES / name)
        return {(c["table"], c["row"], c["column"]): (c["value"], c["raw"], c["kind"]) for c in data["reports"][0]["cells"]}

    full, got = cells("wrapped-2021.txt"), cells("wrapped-2021-blanks.txt")
    blanked = {("sec2", "规章", "本年废止件数"), ("sec3", "一", "商业企业"), ("sec3", "三.二", "自然人"),
               ("sec3", "三.四.2", "自然人"), ("sec3", "三.六.2", "其他"), ("sec3", "三.七", "总计")}
    assert {k: got.get(k) for k in blanked} == {k: (None, "", "blank") for k in blanked}
    assert {k: v for k, v in got.items() if k not in blanked} == \
           {k: v for k, v in full.items() if k not in blanked and k[0] != "sec4"}
    _, checked = cli.json("check", FIXTURES / "wrapped-2021-blanks.txt")
    shape = [f for f in checked["reports"][0]["findings"] if f["rule"] == "row-shape"]
    assert [("行政复议、行政诉讼数据行" in f["message"], "实际找到 14 个" in f["message"]) for f in shape] == [(True, True)]
