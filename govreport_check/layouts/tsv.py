"""One row per line, cells separated by TABs: Word, WPS and Excel "save as text".

Excel quotes a cell that holds a line break (`"（二）部分公开（区分处理的，⏎只计这一情形）"`, `""` for a quote
inside). Word does not quote, so a line break inside a cell breaks the row: the rest of the cell and of the
row continue on the next line. Such a broken row is joined back only when its first part is a numbered label
with nothing after it, so a header row followed by a data row is never glued together.
"""

from __future__ import annotations

from collections.abc import Sequence

from govreport_check.layouts.cells import cell, enumerated, is_figure, is_title, tables
from govreport_check.model import Cell, Table

NAME = "tsv"
MARK = "\t"
_MAX_QUOTED_LINES = 10
_MAX_CONTINUATION = 30

Part = tuple[str, int]  # a cell's text and the line it starts on


def score(lines: Sequence[str]) -> int:
    """Lines holding two or more non-empty TAB-separated cells."""
    return sum(1 for ln in lines if ln.count("\t") > ln.startswith("\t") and "\t" in ln.strip()
               and sum(1 for c in ln.split("\t") if c.strip()) >= 2)


def _quoted(lines: Sequence[str], n: int, pos: int, end: int) -> tuple[str, int, int] | None:
    """An Excel-quoted cell opening at lines[n-1][pos]: (text, line of the closing quote, position after it)."""
    out: list[str] = []
    line, i = lines[n - 1], pos + 1
    while True:
        if i >= len(line):
            if n >= end:
                return None
            n, line, i = n + 1, lines[n], 0
            out.append("\n")
            continue
        ch = line[i]
        if ch == '"' and line.startswith('""', i):
            out.append('"')
            i += 2
        elif ch == '"':
            return ("".join(out), n, i + 1) if i + 1 == len(line) or line[i + 1] == "\t" else None
        else:
            out.append(ch)
            i += 1


def _split(lines: Sequence[str], n: int, end: int) -> tuple[list[Part], int]:
    """The cells of the row starting at line n, and the last line it used."""
    parts: list[Part] = []
    line, pos, first = lines[n - 1], 0, n
    while True:
        if line.startswith('"', pos):
            quoted = _quoted(lines, n, pos, min(end, first + _MAX_QUOTED_LINES))
            if quoted is not None:
                parts.append((quoted[0], n))
                _, n, pos = quoted
                line = lines[n - 1]
                if pos >= len(line):
                    return parts, n
                pos += 1
                continue
        tab = line.find("\t", pos)
        if tab < 0:
            parts.append((line[pos:], n))
            return parts, n
        parts.append((line[pos:tab], n))
        pos = tab + 1


def _broken(prev: list[Part], parts: list[Part]) -> bool:
    """The row before ended inside a label: a numbered label, nothing after it, and this row goes on."""
    texts = [t.strip() for t, _ in prev]
    if not texts[-1] or any(is_figure(t) for t in texts) or not enumerated(texts[-1]):
        return False
    head = parts[0][0].strip()
    return bool(head) and not enumerated(head) and not is_figure(head) and any(is_figure(t) for t, _ in parts[1:])


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Tables in lines[start..end] (1-based, inclusive)."""
    end = len(lines) if end is None else end
    found: list[list[list[Part]]] = []
    rows: list[list[Part]] = []
    blank_before = False
    n = start
    while n <= end:
        parts, last = _split(lines, n, end)
        text = lines[n - 1]
        if len(parts) == 1 and last == n:
            prev = rows[-1] if rows else None
            if not text.strip():
                blank_before = True
            elif (prev and not blank_before and len(text.strip()) <= _MAX_CONTINUATION and not is_title(text)
                  and prev[-1][0].strip() and not is_figure(prev[-1][0])):
                prev[-1] = (f"{prev[-1][0].strip()}\n{text.strip()}", prev[-1][1])
            else:
                if rows:
                    found.append(rows)
                rows, blank_before = [], False
        elif rows and not blank_before and _broken(rows[-1], parts):
            prev = rows[-1]
            prev[-1] = (f"{prev[-1][0].strip()}\n{parts[0][0].strip()}", prev[-1][1])
            prev.extend(parts[1:])
        else:
            rows.append(parts)
            blank_before = False
        n = last + 1
    if rows:
        found.append(rows)
    return tables([[_cell(t, ln, path) for t, ln in row] for row in rows_] for rows_ in found)


def _cell(text: str, line: int, path: str) -> Cell:
    return cell(text.strip(), path, line)
