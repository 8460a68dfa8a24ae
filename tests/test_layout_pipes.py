from govreport_check.layouts import pipes


def texts(lines):
    return [[[c.text for c in row] for row in t.rows] for t in pipes.read_tables(tuple(lines), "r.txt")]


def test_split_row_outer_pipes_and_escapes():
    assert pipes.split_row("a | b | c |") == ["a", "b", "c"]
    assert pipes.split_row("| a |  | c |") == ["a", "", "c"]
    assert pipes.split_row(r"本年增\|减 | 3") == ["本年增|减", "3"]


def test_rows_with_the_merged_label_only_in_the_first_row():
    lines = ["（三）不予公开 | 1.属于国家秘密 | 0 | 0 |", "2.其他法律行政法规禁止公开 | 1 | 0 |"]
    assert texts(lines) == [[["（三）不予公开", "1.属于国家秘密", "0", "0"], ["2.其他法律行政法规禁止公开", "1", "0"]]]


def test_prose_line_ends_the_table():
    lines = ["规章 | 0 |", "以下为依申请公开情况。", "", "行政许可 | 5 |"]
    assert texts(lines) == [[["规章", "0"]], [["行政许可", "5"]]]


def test_one_cell_per_line_with_pipe_lines_between_rows():
    lines = ["三、收到和处理政府信息公开申请情况", "|", "一、本年新收政府信息公开申请数量", "3", "0", "|",
             "二、上年结转政府信息公开申请数量", "1", "—", "|", "五、存在的主要问题及改进情况"]
    assert texts(lines) == [[["一、本年新收政府信息公开申请数量", "3", "0"], ["二、上年结转政府信息公开申请数量", "1", "—"]]]


def test_one_cell_per_line_with_pipe_lines_between_cells():
    lines = ["|", "行政复议", "|", "2", "|", "0", "|", "", "|", "复议后起诉", "|", "1", "|"]
    [table] = pipes.read_tables(tuple(lines), "r.txt")
    assert [[c.text for c in r] for r in table.rows] == [["行政复议", "2", "0"], ["复议后起诉", "1"]]
    assert table.rows[1][0].loc.line == 10


def test_first_row_before_the_first_pipe_line():
    lines = ["标题", "规章", "0", "|", "行政许可", "5", "|"]
    assert texts(lines) == [[["规章", "0"], ["行政许可", "5"]]]
