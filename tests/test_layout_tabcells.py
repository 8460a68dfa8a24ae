from govreport_check.layouts.tabcells import read_tables
from govreport_check.model import Cell, Loc, Table

LINES = (
    "二、主动公开政府信息情况",
    "\t信息内容",
    "\t本年新",
    "制作数量",
    "\t",
    "",
    "\t规章",
    "\t0",
    "",
    "三、收到和处理政府信息公开申请情况",
)


def test_rows_wrapped_cells_and_lone_tabs():
    [table] = read_tables(LINES, "r.txt")
    assert table == Table(
        (
            (Cell("信息内容", Loc("r.txt", 2)), Cell("本年新\n制作数量", Loc("r.txt", 3)),
             Cell("", Loc("r.txt", 5), covered=True)),
            (Cell("规章", Loc("r.txt", 7)), Cell("0", Loc("r.txt", 8))),
        ),
        Loc("r.txt", 2),
        anchor=2,
    )


def test_prose_line_ends_a_table():
    lines = ("\t规章", "\t0", "以下是第二张表的说明文字，它明显比一个单元格的续行要长得多，而且是一句完整的话。", "\t行政许可", "\t5")
    tables = read_tables(lines, "r.txt")
    assert [len(t.rows) for t in tables] == [1, 1]
    assert tables[1].loc == Loc("r.txt", 4)


def test_number_wrapped_inside_its_cell_reads_whole():
    from govreport_check.normalize import read_value

    [table] = read_tables(("\t网站访问量", "\t4,891,", "056", ""), "r.txt")
    cell = table.rows[0][1]
    assert cell.text == "4,891,\n056"
    assert read_value(cell.text, cell.loc).number == 4891056


def test_score_counts_single_cell_lines():
    from govreport_check.layouts.tabcells import score

    assert score(("\t规章", "\t0", "\ta\tb", "plain")) == 2
