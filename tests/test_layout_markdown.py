from govreport_check.layouts import markdown

COLLAPSED = (
    "| 申请人情况/自然人 | 申请人情况/法人或其他组织/商业企业 | 申请人情况/总计 |",
    "|---|:---:|---:|",
    "| 三、本年度办理结果 | （一）予以公开 | （一）予以公开 | 3 | 0 | 3 |",
)


def test_collapsed_header_and_repeated_merged_label():
    [table] = markdown.read_tables(COLLAPSED, "r.md")
    header, row = table.rows
    assert [c.text for c in header] == ["申请人情况/自然人", "申请人情况/法人或其他组织/商业企业", "申请人情况/总计"]
    assert [(c.text, c.covered) for c in row[:3]] == [("三、本年度办理结果", False), ("（一）予以公开", False),
                                                     ("（一）予以公开", True)]
    assert table.anchor == 1


def test_separator_needs_a_pipe_and_dashes():
    assert markdown.is_separator("|---|:---:|")
    assert not markdown.is_separator("| - | - |")
    assert markdown.is_separator("--- | ---")
    assert not markdown.is_separator("---")
    assert not markdown.is_separator("| 1 | 2 |")
    assert markdown.score(("| a |", "plain")) == 0


def test_cell_markup_is_removed():
    lines = ("| **规章** | 1<br>2 | 3\\|4 |", "|---|---|---|")
    [table] = markdown.read_tables(lines, "r.md")
    assert [c.text for c in table.rows[0]] == ["规章", "1\n2", "3|4"]


def test_heading_labels_a_table_split_per_row_group():
    lines = ("### 行政诉讼（复议后起诉）", "| 结果维持 | 总计 |", "|---|---|", "| 1 | 1 |", "| 2 | 2 |")
    [table] = markdown.read_tables(lines, "r.md")
    first, second = table.rows[1:]
    assert (first[0].text, first[0].rowspan, first[0].loc.line) == ("行政诉讼（复议后起诉）", 2, 1)
    assert (second[0].text, second[0].covered) == ("行政诉讼（复议后起诉）", True)
    assert [c.text for c in first[1:]] == ["1", "1"]


def test_heading_is_ignored_when_rows_have_labels_or_it_is_a_section_title():
    labelled = ("### （三）不予公开", "| 类别 | 总计 |", "|---|---|", "| 1.属于国家秘密 | 0 |")
    section = ("## 四、政府信息公开行政复议、行政诉讼情况", "", "| a | b |", "|---|---|", "| 1 | 2 |")
    assert [c.text for c in markdown.read_tables(labelled, "r.md")[0].rows[1]] == ["1.属于国家秘密", "0"]
    assert [c.text for c in markdown.read_tables(section, "r.md")[0].rows[1]] == ["1", "2"]
