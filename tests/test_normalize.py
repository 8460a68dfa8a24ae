import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreport_check.model import Loc, Value
from govreport_check.normalize import label_key, nfkc, parse_number, read_value

LOC = Loc("r.txt", 7)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", (Decimal(12), None, None)),
        ("１２", (Decimal(12), None, None)),
        (" 7 ", (Decimal(7), None, None)),
        ("4,891,056", (Decimal(4891056), None, None)),
        ("12,34", (None, None, None)),
        ("39582.407万元", (Decimal("39582.407"), "万元", None)),
        ("35件", (Decimal(35), "件", None)),
        ("+284", (Decimal(284), None, None)),
        ("-57", (Decimal(-57), None, None)),
        ("512（+284）", (Decimal(284), None, Decimal(512))),
        ("280(-57)", (Decimal(-57), None, Decimal(280))),
        ("予以公开", (None, None, None)),
        ("−57", (Decimal(-57), None, None)),
        ("１，４４７", (Decimal(1447), None, None)),
        ("1,2345", (None, None, None)),
        ("1 447", (None, None, None)),
        ("12 件", (Decimal(12), "件", None)),
        ("4,891,\n056", (Decimal(4891056), None, None)),
        ("12345.678（万元）", (Decimal("12345.678"), "万元", None)),
        ("１２．５万元", (Decimal("12.5"), "万元", None)),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("", Value(None, "", "blank", LOC)),
        ("—", Value(None, "—", "placeholder", LOC)),
        ("/", Value(None, "/", "placeholder", LOC)),
        ("无", Value(None, "无", "placeholder", LOC)),
        ("0", Value(Decimal(0), "0", "number", LOC)),
        ("1.属于国家秘密", Value(None, "1.属于国家秘密", "text", LOC)),
        ("6（0）", Value(Decimal(0), "6（0）", "number", LOC, note=Decimal(6))),
        ("&nbsp;", Value(None, "", "blank", LOC)),
        ("\xa0 ", Value(None, "", "blank", LOC)),
        ("暂无", Value(None, "暂无", "placeholder", LOC)),
        ("－", Value(None, "－", "placeholder", LOC)),
        ("35件", Value(Decimal(35), "35件", "number", LOC, unit="件")),
    ],
)
def test_read_value_keeps_blank_distinct_from_zero(text, value):
    assert read_value(text, LOC) == value


@pytest.mark.parametrize(
    "label, key",
    [
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
        ("(二)部分公开", "部分公开"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ("1、属于国家秘密", "属于国家秘密"),
        ("本年新\n制作数量", "本年新制作数量"),
        ("（七）总计", "总计"),
        ("三、本年度办理结果", "本年度办理结果"),
        ("（三）不予公開", "不予公开"),
        ("1．屬於國家秘密", "属于国家秘密"),
        ("(1)属于国家秘密", "属于国家秘密"),
        ("①属于国家秘密", "属于国家秘密"),
        ("【三】本年度辦理結果", "本年度办理结果"),
        ("一、本年新收政府信息公开申请数量（含网上申请（在线））", "本年新收政府信息公开申请数量"),
        ("3.危及「三安全一穩定」", "危及三安全一稳定"),
        ("5. 要求行政机关确认或\n重新出具已获取信息", "要求行政机关确认或重新出具已获取信息"),
    ],
)
def test_label_key(label, key):
    assert label_key(label) == key


_TRICKY = ("ae\u0301\u0308\u0323\u0307一二（）,，。、《》\u3000\u2f00\uf900가\u1100\u1161\u11a8ＡＢ１２…％"
           "①㈠㎡ﬁ \t\n\u0000\U0002f800")


@given(st.text(alphabet=st.sampled_from(_TRICKY), min_size=60, max_size=200))
def test_nfkc_by_runs_equals_nfkc_of_the_whole(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_of_a_real_section(shared):
    text = (shared / "seed" / "yantian-2020.txt").read_text(encoding="utf-8")
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
