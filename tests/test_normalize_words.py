"""Words where a figure belongs, note marks after one, and numeric characters that are not digits."""

from decimal import Decimal

import pytest

from govreport_check.model import Loc
from govreport_check.normalize import lookalike, note_mark, parse_number, read_value

LOC = Loc("r.txt", 7)


@pytest.mark.parametrize("text, probable", [
    ("O", Decimal(0)), ("o", Decimal(0)), ("Ｏ", Decimal(0)), ("〇", Decimal(0)), ("l", Decimal(1)),
    ("I", Decimal(1)), ("1O", Decimal(10)), ("l2", Decimal(12)), ("1,OOO", Decimal(1000)),
])
def test_letters_typed_for_digits_are_words_with_their_probable_figure(text, probable):
    value = read_value(text, LOC)
    assert (value.kind, value.number) == ("word", None)
    assert lookalike(text) == probable


@pytest.mark.parametrize("text", ["不适用", "abc", "N/A", "①", "٣٤", "१२", "Ⅲ", "½", "1²3"])
def test_words_and_foreign_numerals_are_words_without_a_figure(text):
    value = read_value(text, LOC)
    assert (value.kind, value.number) == ("word", None)
    assert lookalike(text) is None


@pytest.mark.parametrize("text", ["①", "٣٤", "१२", "¹", "1①2", "3٤"])
def test_numeric_characters_of_other_kinds_are_not_figures(text):
    assert parse_number(text) == (None, None, None)


@pytest.mark.parametrize("text, number, mark", [
    ("16¹", Decimal(16), "¹"), ("16 ²", Decimal(16), "²"), ("16①", Decimal(16), "①"), ("16*", Decimal(16), "*"),
    ("16₁", Decimal(16), "₁"), ("１６¹", Decimal(16), "¹"),
])
def test_a_note_mark_after_a_figure_is_not_a_digit_of_it(text, number, mark):
    value = read_value(text, LOC)
    assert (value.kind, value.number) == ("number", number)
    assert note_mark(text) == mark


def test_words_are_told_from_labels_and_placeholders():
    kinds = {t: read_value(t, LOC).kind for t in ("—", "/", "无", "-", "&nbsp;", "1.属于国家秘密", "予以公开",
                                                 "①本年新收政府信息公开申请数量", "O", "不适用")}
    assert kinds == {"—": "placeholder", "/": "placeholder", "无": "placeholder", "-": "placeholder",
                     "&nbsp;": "blank", "1.属于国家秘密": "text", "予以公开": "text",
                     "①本年新收政府信息公开申请数量": "text", "O": "word", "不适用": "word"}


@pytest.mark.parametrize("text", ["0", "12", "１２", "𝟏𝟐", "4,891,056", "0.5", "35件"])
def test_plain_figures_have_no_mark_and_no_lookalike(text):
    assert read_value(text, LOC).kind == "number"
    assert note_mark(text) == "" and lookalike(text) is None
