"""A row whose figure is a word (`O`, `不适用`, `abc`) is still placed, and the word is a value of its cell."""

from decimal import Decimal

import pytest

from build import report_text
from govreport_check.model import Cell, Loc
from govreport_check.report import load_report
from govreport_check.rules.engine import evaluate
from govreport_check.rules.load import builtin_rules
from govreport_check.template.match import _split


def _load(tmp_path, **settings):
    path = tmp_path / "r.txt"
    path.write_text(report_text(**settings), encoding="utf-8")
    return load_report(path)


def _findings(report):
    findings, _, _ = evaluate(report, list(builtin_rules()))
    return findings


@pytest.mark.parametrize("word", ["O", "o", "l", "不适用", "abc", "٣٤", "①"])
def test_a_word_in_a_number_cell_keeps_its_row_and_columns(tmp_path, word):
    report = _load(tmp_path, cell_text={"三.一/社会公益组织": word})
    assert [f for f in report.records.facts if f.rule in ("row-unplaced", "row-missing", "row-shape")] == []
    cell = report.records.get("sec3", "三.一", "社会公益组织")
    assert (cell.kind, cell.raw, cell.number) == ("word", word, None)
    assert report.records.get("sec3", "三.一", "法律服务机构").number == 1  # nothing shifted left
    findings = _findings(report)
    words = [f for f in findings if f.rule == "value-word"]
    assert len(words) == 1 and f"社会公益组织「{word}」不是数字" in words[0].message
    assert [(c.row, c.column) for c in words[0].cells] == [("三.一", "社会公益组织")]
    assert not [f for f in findings if f.severity.value == "error" and f.rule != "value-word"]  # read as 0


def test_a_lookalike_letter_is_given_its_probable_figure(tmp_path):
    findings = _findings(_load(tmp_path, cell_text={"三.一/社会公益组织": "O", "一/自然人": "1O"}))
    messages = [f.message for f in findings if f.rule == "value-word"]
    assert any("自然人「1O」不是数字，可能是 10" in m for m in messages)
    assert any("社会公益组织「O」不是数字，可能是 0" in m for m in messages)


def test_a_word_in_sec4_keeps_the_fifteen_figures_in_place(tmp_path):
    report = _load(tmp_path, cell_text={"行政复议/结果纠正": "O"})
    assert report.records.get("sec4", "行政复议", "结果纠正").kind == "word"
    assert report.records.get("sec4", "行政复议", "总计").number == 2
    assert report.records.get("sec4", "未经复议直接起诉", "结果纠正").number == 1


def test_a_superscript_is_a_note_mark_not_a_digit(tmp_path):
    report = _load(tmp_path, cell_text={"一/自然人": "10¹"})
    assert report.records.get("sec3", "一", "自然人").number == Decimal(10)
    findings = _findings(report)
    marks = [f for f in findings if f.rule == "value-note-mark"]
    assert len(marks) == 1 and "自然人「10¹」带注释标记「¹」，按 10 计算" in marks[0].message
    assert not [f for f in findings if f.severity.value == "error"]  # 10, so every sum holds; 101 would not


def test_placeholders_stay_blank_placeholders_beside_words(tmp_path):
    report = _load(tmp_path, cell_text={"三.一/社会公益组织": "—", "三.二/社会公益组织": "无", "三.二/其他": "O"})
    assert report.records.get("sec3", "三.一", "社会公益组织").kind == "placeholder"
    assert report.records.get("sec3", "三.二", "社会公益组织").kind == "placeholder"
    words = [f for f in _findings(report) if f.rule == "value-word"]
    assert [(c.row, c.column) for f in words for c in f.cells] == [("三.二", "其他")]


def _row(*texts):
    return tuple(Cell(t, Loc("r.txt", 1)) for t in texts)


def test_split_words_are_values_after_the_label_and_part_of_it_before():
    labels, tail = _split(_row("（三）不予公开", "1.属于国家秘密", "不适用", "0", "见附件", "0"))
    assert [v.raw for v in labels] == ["（三）不予公开", "1.属于国家秘密"]
    assert [(v.raw, v.kind) for v in tail] == [("不适用", "word"), ("0", "number"), ("见附件", "word"),
                                               ("0", "number")]
    labels, tail = _split(_row("abc", "1.属于国家秘密", "0"))
    assert [(v.raw, v.kind) for v in labels] == [("abc", "text"), ("1.属于国家秘密", "text")]
    assert [v.raw for v in tail] == ["0"]


def test_split_keeps_header_rows_and_label_only_rows_as_labels():
    labels, tail = _split(_row("申请人情况", "自然人", "法人或其他组织", "其他", "总计"))
    assert (len(labels), tail) == (5, [])
    labels, tail = _split(_row("O", "0", "0"))  # no label at all: every cell is a value
    assert labels == [] and [v.kind for v in tail] == ["word", "number", "number"]
