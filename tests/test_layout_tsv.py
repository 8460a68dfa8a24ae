from govreport_check.layouts import tsv
from govreport_check.model import Loc


def texts(lines):
    return [[c.text for c in row] for t in tsv.read_tables(tuple(lines), "r.txt") for row in t.rows]


def test_rows_and_merged_leading_cells():
    lines = ["一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
             "\t\t2.其他法律行政法规禁止公开\t0\t1\t0\t0\t0\t0\t1"]
    assert texts(lines) == [["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
                            ["", "", "2.其他法律行政法规禁止公开", "0", "1", "0", "0", "0", "0", "1"]]


def test_excel_quoted_cell_spans_lines_and_keeps_its_quotes():
    lines = ['\t"（二）部分公开（区分处理的，', '只计这一情形，不计其他情形）"\t2\t0\t0\t0\t0\t0\t2',
             '\t\t"3.危及""三安全一稳定"""\t1\t0\t0\t0\t0\t0\t1']
    [table] = tsv.read_tables(tuple(lines), "r.txt")
    first, second = table.rows
    assert first[1].text == "（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）"
    assert [c.text for c in first[2:]] == ["2", "0", "0", "0", "0", "0", "2"]
    assert (first[1].loc, first[2].loc) == (Loc("r.txt", 1), Loc("r.txt", 2))
    assert second[2].text == '3.危及"三安全一稳定"'


def test_unclosed_quote_is_text_not_a_runaway_cell():
    assert texts(['"民生"专栏\t3', "规章\t0"]) == [['"民生"专栏', "3"], ["规章", "0"]]


def test_word_row_broken_inside_a_numbered_label_is_joined():
    lines = ["\t\t5.要求行政机关确认或重新", "出具已获取信息\t0\t0\t0\t0\t0\t0\t0"]
    assert texts(lines) == [["", "", "5.要求行政机关确认或重新\n出具已获取信息", "0", "0", "0", "0", "0", "0", "0"]]


def test_header_row_is_not_glued_to_the_row_below():
    lines = ["信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", "规章\t0\t0\t0"]
    assert texts(lines) == [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "0", "0", "0"]]


def test_line_without_tab_continues_a_label_but_not_a_figure():
    lines = ["信息内容\t本年新", "制作数量", "规章\t0", "第二十条第（五）项", "行政许可\t5"]
    tables = tsv.read_tables(tuple(lines), "r.txt")
    assert [[c.text for c in r] for r in tables[0].rows] == [["信息内容", "本年新\n制作数量"], ["规章", "0"]]
    assert tables[1].anchor == 5


def test_score_counts_multi_cell_lines_only():
    assert tsv.score(("a\tb", "\tc", "plain", "\t\td\te")) == 2
