"""Rows written as `cell | cell |` (reader modes, crawlers), and one cell per line with `|` delimiter lines.

A merged label appears only in the first row of its group (`（三）不予公开 | 1.属于国家秘密 | 0 | …`, then
`2.其他法律行政法规禁止公开 | 0 | …`); the matcher keeps the group, so the reader takes rows as written.

With one cell per line, the `|` lines either stand between cells (`|`, `a`, `|`, `b`, `|`: a row's pipes
put on lines of their own; a blank line or two `|` lines in a row end the row) or between rows (several
cell lines, then `|`). Which one is decided per block, by whether most stretches between `|` lines hold
a single cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from govreport_check.layouts.cells import cell, tables
from govreport_check.model import Cell, Table

NAME = "pipes"
MARK = "|"
_DELIMITER = re.compile(r"^\s*\|+\s*$")
_SINGLE_SHARE = 0.8


def is_delimiter(line: str) -> bool:
    return bool(_DELIMITER.match(line))


def split_row(line: str) -> list[str]:
    """Cells of `a | b | c |` or `| a | b |`: the outer pipes close the row, they do not add empty cells."""
    stripped = line.strip()
    parts = [p.strip().replace("\\|", "|") for p in re.split(r"(?<!\\)\|", stripped)]
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        parts = parts[:-1]
    return parts


def score(lines: Sequence[str]) -> int:
    return sum(1 for ln in lines if "|" in ln)


def _segments(lines: Sequence[str], first: int, last: int) -> list[list[int]]:
    """Line numbers between `|` lines in lines[first..last]; -1 marks a blank line."""
    out: list[list[int]] = [[]]
    for n in range(first, last + 1):
        line = lines[n - 1]
        if is_delimiter(line):
            out.append([])
        else:
            out[-1].append(n if line.strip() else -1)
    return [s for s in out[1:-1]] if len(out) > 2 else []


def _block_rows(lines: Sequence[str], path: str, first: int, last: int, lead: list[int]) -> list[list[Cell]]:
    """Rows of a one-cell-per-line block: `lead` are cell lines before its first `|` line."""
    segments = _segments(lines, first, last)
    if lead:
        segments.insert(0, lead)
    filled = [[n for n in s if n > 0] for s in segments]
    single = sum(1 for s in filled if len(s) == 1)
    if single < _SINGLE_SHARE * max(1, sum(1 for s in filled if s)):
        return [[cell(lines[n - 1].strip(), path, n) for n in s] for s in filled]
    rows: list[list[Cell]] = [[]]
    for seg, kept in zip(segments, filled):
        if not kept or seg[0] < 0:
            rows.append([])
        rows[-1].extend(cell(lines[n - 1].strip(), path, n) for n in kept)
        if kept and seg[-1] < 0:
            rows.append([])
    return rows


def _block_end(lines: Sequence[str], first: int, end: int) -> int:
    """The last `|` line of the one-cell block opening at `first`: it runs to a `cell | cell` row at most."""
    last = first
    while last < end and not ("|" in lines[last] and not is_delimiter(lines[last])):
        last += 1
    while not is_delimiter(lines[last - 1]):
        last -= 1
    return last


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Tables in lines[start..end] (1-based, inclusive)."""
    end = len(lines) if end is None else end
    found: list[list[list[Cell]]] = []
    rows: list[list[Cell]] = []
    lead: list[int] = []  # text lines right before a `|` line: the first row of a one-cell block

    def close_table() -> None:
        nonlocal rows
        found.append(rows)
        rows = []
        lead.clear()

    n = start
    while n <= end:
        line = lines[n - 1]
        if is_delimiter(line):
            last = _block_end(lines, n, end)
            rows.extend(_block_rows(lines, path, n, last, list(lead)))
            lead.clear()
            n = last + 1
            continue
        if "|" in line:
            if lead:
                close_table()
            rows.append([cell(text, path, n) for text in split_row(line)])
        elif not line.strip():
            if lead:
                close_table()
        elif n == start:
            close_table()
        else:
            lead.append(n)
        n += 1
    close_table()
    return tables(found)
