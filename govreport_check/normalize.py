"""Reading what clerks type: numbers with units and notes, labels with their numbering and annotations."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from govreport_check.model import Loc, Value

PLACEHOLDERS = frozenset({"—", "-", "－", "--", "——", "/", "／", "无", "\\", "─", "–", "―", "x", "X", "×"})
UNITS = ("万元", "元", "件", "个", "项", "次")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_WITH_NOTE = re.compile(r"^(?P<main>[^()]+)\((?P<note>[^()]*)\)$")

_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]"
    r"|\([一二三四五六七八九十]+\)[、.]?"
    r"|\d+[、.](?!\d)"
    r"|\(\d+\)[、.]?"
    r"|第[一二三四五六七八九十]+[、.,]?)"
)
_BRACKETED = re.compile(r"\([^()]*\)")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉:：,，;；。、]")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_number(text: str) -> tuple[Decimal | None, str | None, Decimal | None]:
    """Return (number, unit, note) or (None, None, None) when the text is not a number.

    `512（+284）` reads as number +284 with note 512: the bracketed change is the 本年增/减 figure and the
    figure before it is this year's count.
    """
    s = "".join(nfkc(text).split())
    m = _WITH_NOTE.match(s)
    if m:
        main, _, _ = parse_number(m["main"])
        note, _, _ = parse_number(m["note"])
        if main is not None and note is not None:
            return note, None, main
        if main is not None:
            return main, None, None
        return None, None, None
    unit = None
    for u in UNITS:
        if s.endswith(u) and len(s) > len(u):
            s, unit = s[: -len(u)], u
            break
    if _GROUPED.match(s):
        s = s.replace(",", "")
    elif not _PLAIN.match(s):
        return None, None, None
    try:
        return Decimal(s), unit, None
    except InvalidOperation:
        return None, None, None


def read_value(text: str, loc: Loc) -> Value:
    raw = text.strip().replace("\xa0", " ").strip()
    if not raw:
        return Value(None, raw, "blank", loc)
    if nfkc(raw).strip() in PLACEHOLDERS:
        return Value(None, raw, "placeholder", loc)
    number, unit, note = parse_number(raw)
    if number is None:
        return Value(None, raw, "text", loc)
    return Value(number, raw, "number", loc, unit=unit, note=note)


def label_key(text: str) -> str:
    """A label reduced to what identifies it: no numbering, no bracketed notes, no spacing or punctuation."""
    s = nfkc(text)
    s = "".join(s.split())
    s = s.replace("（", "(").replace("）", ")")
    prev = None
    while prev != s:
        prev = s
        s = _ENUMERATOR.sub("", s)
    s = _BRACKETED.sub("", s)
    return _DROP.sub("", s)
