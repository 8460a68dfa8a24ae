"""Numbers quoted in the prose against the tables (`kind: prose`).

Each rule is a pattern with a named group `n` and the table expressions the number may equal (受理 may mean
一 or 一 + 二). Patterns run over a section's text with spaces and line breaks removed, since PDFs and Word
wrap sentences anywhere, and without the lines that hold table cells (a label is not a sentence); every match
maps back to its source line. A mismatch is reported with the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from govreport_check.checks.arith import evaluate_at, sides_at
from govreport_check.findings import Fact
from govreport_check.normalize import nfkc
from govreport_check.render import text as fmt
from govreport_check.rules.expr import ExprError, parse
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"sections", "pattern", "equals", "exclude"})
PARAMS = frozenset({"quote", "n", "line", "place", "expected", "section"})
_SENTENCE_END = "。；;！？\n"


def prepare(raw: dict, templates) -> dict:
    try:
        pattern = re.compile(str(raw.get("pattern", "")))
    except re.error as exc:
        raise ValueError(f"pattern 不是有效的正则表达式：{exc}") from None
    if "n" not in pattern.groupindex:
        raise ValueError("pattern 需要命名分组 (?P<n>…) 标出数字")
    equals = raw.get("equals")
    if not isinstance(equals, list) or not equals or not all(isinstance(e, dict) and "expr" in e for e in equals):
        raise ValueError("equals 应为 [{label: 说明, expr: 表达式}, …]")
    try:
        # each expression is kept as `(expr) == 0`, so evaluating it hands back its value as the left side
        parsed = tuple((str(e.get("label", e["expr"])), parse(f"({e['expr']}) == 0")) for e in equals)
    except ExprError as exc:
        raise ValueError(f"equals 中的表达式有误：{exc}") from None
    for _, expr in parsed:
        if any(not r.explicit for r in expr.refs.values()):
            raise ValueError('equals 中的单元格请写成 cell("表", "行", "列")')
    return {"sections": tuple(str(s) for s in raw.get("sections", ("一",))), "pattern": pattern,
            "equals": parsed, "exclude": tuple(str(w) for w in raw.get("exclude", ()))}


def validate(rule: Rule, template) -> None:
    for _, expr in rule.options["equals"]:
        for ref in expr.refs.values():
            table, row, column = ref.explicit
            t = template.tables.get(table)
            if t is None or t.row(row) is None or column not in t.columns_of(row):
                raise ValueError(f"模板 {template.id} 中没有单元格 {table}/{row}/{column}")


@dataclass(frozen=True)
class Prose:
    """Lines of a section without whitespace, in the two forms a prose rule needs."""

    text: str  # normalised (NFKC), what patterns match
    original: str  # as written, what a finding quotes
    starts: tuple[int, ...]  # where each piece of `text` starts: a line, or the break added after a sentence
    pieces: tuple[tuple[int, int, tuple[int, ...] | None], ...]  # (source line, its index into `original`,
    # per-character offsets when NFKC changed the line's length, else None)

    def where(self, i: int) -> tuple[int, int]:
        """(source line, index into `original`) of text[i]."""
        k = bisect_right(self.starts, i) - 1
        line, base, offsets = self.pieces[k]
        return line, base + (i - self.starts[k] if offsets is None else offsets[i - self.starts[k]])


_CHARS: dict[str, str] = {}


def _nfkc_char(ch: str) -> str:
    """One character's NFKC form, remembered: a line with a single `…` would otherwise normalise each of its
    characters on its own."""
    found = _CHARS.get(ch)
    if found is None:
        if len(_CHARS) > 1 << 16:
            _CHARS.clear()
        found = _CHARS[ch] = nfkc(ch)
    return found


@lru_cache(maxsize=64)
def compact(lines: tuple[str, ...], start: int, end: int, skip: frozenset[int] = frozenset()) -> Prose:
    """Lines start..end, but those in `skip`, without whitespace. Cached: every prose rule reads the same
    sections. Positions are kept per line, not per character: a section runs to thousands of characters and a
    rule matches a few."""
    text, original, starts, pieces = [], [], [], []
    size = base = 0
    numbered = [(n, r) for n in range(start, end + 1) if n not in skip and (r := "".join(lines[n - 1].split()))]
    # one NFKC call for the section: NUL parts the lines, and nothing composes across it
    normalised = nfkc("\0".join(r for _, r in numbered)).split("\0")
    if len(normalised) != len(numbered):
        normalised = [nfkc(r) for _, r in numbered]
    for (n, raw), norm in zip(numbered, normalised):
        offsets = None
        if len(norm) != len(raw):
            chars = [(_nfkc_char(ch), i) for i, ch in enumerate(raw)]
            norm = "".join(piece for piece, _ in chars)
            offsets = tuple(i for piece, i in chars for _ in piece)
        starts.append(size)
        pieces.append((n, base, offsets))
        text.append(norm)
        original.append(raw)
        size += len(norm)
        base += len(raw)
        if raw.endswith(("。", "；", "：")):
            starts.append(size)
            pieces.append((n, base, None))
            text.append("\n")
            original.append("\n")
            size += 1
            base += 1
    return Prose("".join(text), "".join(original), tuple(starts), tuple(pieces))


def _sentence(prose: Prose, start: int, end: int) -> str:
    text = prose.text
    left = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    right = min(rights) if rights else len(text) - 1
    return prose.original[prose.where(left)[1]:prose.where(right)[1] + 1].strip("\n")


def run(rule: Rule, report) -> Iterator[Outcome]:
    o = rule.options
    values = []
    for label, expr in o["equals"]:
        as_rule = _as_expr_rule(rule, expr)
        found = sides_at(as_rule, report.records, (None, None))
        if found is None:
            return  # the table lacks a cell the number would be compared with
        values.append((label, found[1], as_rule))
    for section in report.sections:
        if section.id not in o["sections"]:
            continue
        prose = compact(report.document.lines, section.start + 1, section.end, report.document.table_lines)
        text = prose.text
        for m in o["pattern"].finditer(text):
            before = text[max(0, m.start() - 12):m.start()]
            if any(w in before or w in m.group(0) for w in o["exclude"]):
                continue
            n = Decimal(m.group("n").replace(",", ""))
            line = prose.where(m.start("n"))[0]
            ok = any(v == n for _, v, _ in values)
            fact = None
            if not ok:
                expected = "，".join(f"{label}为 {fmt(v)}" for label, v, _ in values)
                cells = tuple(c for _, _, r in values for c in evaluate_at(r, report.records, (None, None)).cells)
                quote = _sentence(prose, m.start(), m.end())
                at = report.at(line)
                fact = Fact(rule.id, {"quote": quote, "n": fmt(n), "line": line, "place": at.place,
                                      "expected": expected, "section": section.id},
                            cells=cells, loc=at, expected=expected, actual=fmt(n))
            yield Outcome(rule.id, (section.id, str(line)), fact)


_RULES: dict[tuple, Rule] = {}


def _as_expr_rule(rule: Rule, expr) -> Rule:
    """The prose rule as an expression rule over one of its `equals`; built once per rule and expression."""
    key = (rule.source, rule.id, expr.source)
    if key not in _RULES:
        _RULES[key] = replace(rule, expr=expr, when=None, foreach="none", table=None)
    return _RULES[key]


def reads(rule: Rule) -> str:
    o = rule.options
    labels = "；".join(f"{label}（{expr.source.removeprefix('(').removesuffix(') == 0')}）" for label, expr in o["equals"])
    return f"第{'、'.join(o['sections'])}部分正文中的 {o['pattern'].pattern}，与表格比较：{labels}"
