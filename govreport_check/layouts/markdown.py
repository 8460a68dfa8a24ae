"""Markdown pipe tables: a header row, a `|---|` line, body rows.

Converters flatten merged headers into one row (`申请人情况/法人或其他组织/商业企业`) and repeat a merged label
in every cell it covered (`三、本年度办理结果 | （一）予以公开 | （一）予以公开 | …`); the repeats are kept as
covered cells. Some split the table per row group and move the group's label into a heading above each
piece (`### 行政复议` over a row of five figures): when the rows have no label of their own, the heading
becomes their first cell, merged over all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from govreport_check.layouts.cells import cell, is_figure, tables
from govreport_check.layouts.pipes import split_row
from govreport_check.model import Cell, Table

NAME = "markdown"
MARK = "|"
_RULE = re.compile(r"^:?-{3,}:?$")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+(?P<h>.+?)\s*#*|\*\*(?P<b>[^*]+)\*\*)\s*$")
_SECTION_NUMBER = re.compile(r"^[一二三四五六]\s*、")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"\*\*|__")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_CAPTION_REACH = 3


def is_separator(line: str) -> bool:
    """`|---|:---:|` under a header row; a line of dashes without a pipe is a rule, not a table."""
    if "|" not in line:
        return False
    parts = [p.strip() for p in line.strip().strip("|").split("|")]
    return bool(parts) and all(_RULE.match(p) for p in parts)


def score(lines: Sequence[str]) -> int:
    """Pipe lines, counted only where a separator line shows they are Markdown; one more than `pipes` gives."""
    separators = sum(1 for ln in lines if is_separator(ln))
    return sum(1 for ln in lines if "|" in ln) + separators if separators else 0


def _text(raw: str) -> str:
    return _ESCAPED.sub(r"\1", _EMPHASIS.sub("", _BREAK.sub("\n", raw))).strip()


def _row(line: str, path: str, n: int) -> list[Cell]:
    """A row's cells; a label repeated from its left neighbour is the same merged cell, kept as covered."""
    out: list[Cell] = []
    for text in (_text(t) for t in split_row(line)):
        repeat = bool(out) and bool(text) and text == out[-1].text and not is_figure(text)
        out.append(cell(text, path, n, covered=repeat))
    return out


def _caption(lines: Sequence[str], header: int, start: int) -> tuple[str, int] | None:
    """The heading right above a table (blank lines apart), unless it is a section title."""
    n = header - 1
    while n >= start and n > header - _CAPTION_REACH and not lines[n - 1].strip():
        n -= 1
    if n < start:
        return None
    m = _HEADING.match(lines[n - 1])
    if not m:
        return None
    text = _text(m["h"] or m["b"])
    return None if _SECTION_NUMBER.match(text) else (text, n)


def _labelled(rows: list[list[Cell]], caption: tuple[str, int] | None, path: str) -> list[list[Cell]]:
    """Body rows without a label of their own get the caption as a first cell merged over all of them."""
    if caption is None or not rows or any(not is_figure(c.text) and c.text for r in rows for c in r):
        return rows
    text, n = caption
    first = cell(text, path, n)
    head = [replace(first, rowspan=len(rows))] + rows[0]
    return [head] + [[replace(first, covered=True)] + r for r in rows[1:]]


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Tables in lines[start..end] (1-based, inclusive)."""
    end = len(lines) if end is None else end
    found: list[list[list[Cell]]] = []
    n = start
    while n < end:
        if not ("|" in lines[n - 1] and is_separator(lines[n]) and not is_separator(lines[n - 1])):
            n += 1
            continue
        header = _row(lines[n - 1], path, n)
        body: list[list[Cell]] = []
        m = n + 2
        while m <= end and "|" in lines[m - 1] and not is_separator(lines[m - 1]):
            body.append(_row(lines[m - 1], path, m))
            m += 1
        found.append([header] + _labelled(body, _caption(lines, n, start), path))
        n = m
    return tables(found)
