"""Reading what clerks type: numbers with units and notes, labels with their numbering and annotations.

Both readers are deliberately forgiving about form (full-width digits, half-width brackets, Traditional
characters, spaces and line breaks left by a layout) and strict about substance: `12,34` is not a number,
and a placeholder such as `—` stays a placeholder instead of becoming 0. Only ASCII digits and their wide
forms are digits: NFKC turns `¹` and `①` into `1` and Python's int() reads `٣٤`, but a superscript after a
figure is a note mark (`16¹` is 16), and a circled number or another script's digits are not a figure.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from govreport_check.model import Loc, Value

PLACEHOLDERS = frozenset({"—", "-", "--", "——", "/", "无", "暂无", "\\", "─", "–", "―", "x", "X", "×", "...", "…"})
MAX_NUMBER_CHARS = 24  # one figure with its sign, point and commas (real ones: 12 at most); sums stay exact
UNITS = ("万元", "元", "件", "个", "项", "次")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_PLAIN = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
# Cells in a number position that hold words: letters typed for digits (`O` for 0, `l` for 1) and the words
# clerks write instead of a figure. They are values, not labels, and not numbers.
_LOOKALIKE = re.compile(r"^[0-9OoIl〇]+(?:[.,][0-9OoIl〇]+)*$")
_AS_DIGITS = str.maketrans("OoIl〇", "00110")
_LATIN = re.compile(r"^[A-Za-z]+(?:[ ./][A-Za-z]+)*\.?$")
NOT_FIGURES = frozenset({"不适用", "不涉及", "未涉及", "无此项", "不详", "未统计"})
_FIGURE_CHARS = frozenset("0123456789.,+-")
_MARKS = frozenset("*※")  # besides superscripts, circled and bracketed numbers: note marks after a figure
_TWO_FIGURES = re.compile(r"\d[\s]+[\d.,]|[\d.,][\s]+\d")  # `1 447`, `3\t0`: two figures, or a typo
_WITH_NOTE = re.compile(r"^(?P<main>[^()]+)\((?P<note>[^()]*)\)$")
_SIGNS = str.maketrans({"−": "-", "‐": "-", "‑": "-"})
_BRACKETS = {"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}

_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]"
    r"|\([一二三四五六七八九十]+\)[、.]?"
    r"|\d+[、.](?!\d)"
    r"|\(?\d+\)[、.]?"
    r"|\d{1,2}(?=[^\x00-\xff])"  # glued to a Chinese word; not [\u4e00-\u9fff], costly to compile at start-up
    r"|第[一二三四五六七八九十]+[、.,]?)"
)
_BRACKETED = re.compile(r"\([^()]*\)")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉:：,，;；。、*#]")

# Traditional → Simplified for the characters of the template's labels and titles: reports from Hong Kong
# and Macau style typesetting, or converted by a Traditional-locale tool, must still match the template.
_TRADITIONAL_CHARS = ("萬業舉於會體關內決況減製辦務動區單發號後處復複國審對屬廢開強當執護報數無機權構沒現確穩類糾納組織經結繼續"
                      "維繳罰範獲補規計認議許訟訪訴試詢請購費轉過這進採問項題額總條為與個級縣鄉鎮廳門歸據應給從種際來時間實專黨"
                      "證統並產濟們還長聯繫絡歷傳擴錄庫檔衛則質義獨調訊說讀網頁稱準標佈視覽屆結額")
_TRADITIONAL = str.maketrans(
    _TRADITIONAL_CHARS,
    "万业举于会体关内决况减制办务动区单发号后处复复国审对属废开强当执护报数无机权构没现确稳类纠纳组织经结继续"
    "维缴罚范获补规计认议许讼访诉试询请购费转过这进采问项题额总条为与个级县乡镇厅门归据应给从种际来时间实专党"
    "证统并产济们还长联系络历传扩录库档卫则质义独调讯说读网页称准标布视览届结额",
)
_ANY_TRADITIONAL = frozenset(_TRADITIONAL_CHARS)  # a set, not a regex character class: that takes 1.5 ms to compile


# Characters NFKC leaves alone and never joins to a neighbour: ASCII, the common CJK ideographs and the CJK
# punctuation reports use. A whole section goes through NFKC at 0.2 µs a character; only the runs of other
# characters (full-width commas and brackets, mostly) need it, each with the character before it, which a
# combining mark could join.
_NFKC_RUN = re.compile(r".?[^\x00-\x7f\u4e00-\u9fff\u3001-\u3003\u3008-\u3011\u2018\u2019\u201c\u201d]+", re.S)
_NFKC_WHOLE = 64  # shorter texts are normalised in one call


def nfkc(text: str) -> str:
    if len(text) < _NFKC_WHOLE:
        return unicodedata.normalize("NFKC", text)
    return _NFKC_RUN.sub(_nfkc_match, text)


def _nfkc_match(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group())


def simplified(text: str) -> str:
    """NFKC, then Traditional characters of the template's vocabulary mapped to Simplified. Nearly every report
    has none, and looking costs a tenth of a translate, which maps character by character through a dict."""
    text = nfkc(text)
    return text if _ANY_TRADITIONAL.isdisjoint(text) else text.translate(_TRADITIONAL)


@lru_cache(maxsize=1 << 14)
def parse_number(text: str) -> tuple[Decimal | None, str | None, Decimal | None]:
    """Return (number, unit, note) or (None, None, None) when the text is not a number.

    `512（+284）` reads as number +284 with note 512: the bracketed change is the 本年增/减 figure and the
    figure before it is this year's count. A number a layout wrapped over two lines (`4,891,` + `056`)
    reads whole; digits apart on one line (`1 447`) are not guessed into one number.
    """
    body, mark = split_mark(text)
    if mark:
        return parse_number(body) if body else (None, None, None)
    if not text.isascii() and any(_odd(c) for c in text):
        return None, None, None
    s = "".join(line.strip() for line in nfkc(text).translate(_SIGNS).splitlines())
    if _TWO_FIGURES.search(s):
        return None, None, None
    s = "".join(s.split())
    m = _WITH_NOTE.match(s)
    if m:
        main, unit, _ = parse_number(m["main"])
        if m["note"] in UNITS and main is not None:
            return main, unit or m["note"], None
        note, _, _ = parse_number(m["note"])
        if main is not None and note is not None:
            return note, None, main
        if main is not None:
            return main, unit, None
        return None, None, None
    unit = None
    for u in UNITS:
        if s.endswith(u) and len(s) > len(u):
            s, unit = s[: -len(u)], u
            break
    if len(s) > MAX_NUMBER_CHARS:  # not a count; as a Decimal it would overflow int() and JSON further on
        return None, None, None
    if _GROUPED.match(s):
        s = s.replace(",", "")
    elif not _PLAIN.match(s):
        return None, None, None
    try:
        return Decimal(s), unit, None
    except InvalidOperation:
        return None, None, None


def _odd(c: str) -> bool:
    """A numeric character that is not a digit of a figure: superscripts, circled numbers, other scripts'
    digits, Roman numerals. Wide and mathematical digits are ASCII digits in another form."""
    return c > "\x7f" and unicodedata.category(c)[0] == "N" and \
        not unicodedata.decomposition(c).startswith(("<wide>", "<font>"))


def _is_mark(c: str) -> bool:
    return c in _MARKS or (unicodedata.category(c) == "No"
                           and not unicodedata.decomposition(c).startswith("<fraction>"))


def split_mark(text: str) -> tuple[str, str]:
    """(the text before its trailing note marks, the marks): `16¹` is ("16", "¹"), `16` is ("16", "")."""
    s = text.rstrip()
    if s.isascii() and not s.endswith(tuple(_MARKS)):
        return text, ""
    i = len(s)
    while i > 0 and (_is_mark(s[i - 1]) or (s[i - 1].isspace() and i < len(s))):
        i -= 1
    return s[:i].rstrip(), s[i:].strip()


def note_mark(text: str) -> str:
    """The note mark after a figure (`16¹` → `¹`), or "" when the text has none or is not a figure."""
    body, mark = split_mark(text)
    return mark if mark and body and parse_number(body)[0] is not None else ""


def lookalike(text: str) -> Decimal | None:
    """The figure a word in a number cell probably stands for (`O` → 0, `1O` → 10, `l2` → 12), or None."""
    if any(_odd(c) and c != "〇" for c in text):  # `Ⅲ` is III after NFKC, and not 111
        return None
    s = "".join(nfkc(text).split())
    if not _LOOKALIKE.match(s) or s.translate(_AS_DIGITS) == s:
        return None
    return parse_number(s.translate(_AS_DIGITS))[0]


def _is_word(raw: str) -> bool:
    """Not a number, and not a label either: letters for digits, Latin letters, a word for "does not apply",
    or numeric characters that are not digits (`①`, `٣٤`)."""
    s = "".join(nfkc(raw).split())
    if _LOOKALIKE.match(s) or _LATIN.match(s) or s in NOT_FIGURES:
        return True
    chars = "".join(raw.split())
    return any(_odd(c) for c in chars) and all(_odd(c) or _is_mark(c) or nfkc(c) in _FIGURE_CHARS for c in chars)


def read_value(text: str, loc: Loc, confidence: float | None = None) -> Value:
    """A cell's text as a value; blanks, placeholders, words (`O`, `不适用`: what a clerk wrote for a figure)
    and text (labels) are kept apart from numbers. `confidence` is OCR's score, for cells read from a scan."""
    number, raw, kind, unit, note = _classify(text)
    return Value(number, raw, kind, loc, unit, note, confidence=confidence)


@lru_cache(maxsize=1 << 14)
def _classify(text: str) -> tuple:
    """Cached: the same few hundred cell texts recur in every report of a batch."""
    raw = text.replace("&nbsp;", " ").replace("\xa0", " ").strip()
    if not raw:
        return None, raw, "blank", None, None
    if "".join(nfkc(raw).split()) in PLACEHOLDERS:
        return None, raw, "placeholder", None, None
    number, unit, note = parse_number(raw)
    if number is None:
        return None, raw, "word" if _is_word(raw) else "text", None, None
    return number, raw, "number", unit, note


def _unnumbered(text: str) -> str:
    s = "".join(simplified(text).split())
    for other, plain in _BRACKETS.items():  # str.replace per kind: translate goes character by character
        if other in s:
            s = s.replace(other, plain)
    prev = None
    while prev != s:
        prev = s
        s = _ENUMERATOR.sub("", s)
    return s


@lru_cache(maxsize=1 << 14)
def label_key(text: str) -> str:
    """A label reduced to what identifies it: no numbering, no bracketed notes, no spacing or punctuation."""
    s = _unnumbered(text)
    prev = None
    while prev != s:
        prev = s
        s = _BRACKETED.sub("", s)
    return _DROP.sub("", s)

