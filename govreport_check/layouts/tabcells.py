"""The Word/browser copy-paste layout: one cell per line after a TAB, a blank line between rows.

A lone TAB is a merged (covered) cell; a line without a TAB continues the cell above it (a wrapped label
such as `本年新` + `制作数量`). Anything else ends the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from govreport_check.layouts.cells import is_title, tables
from govreport_check.model import Cell, Loc, Table

NAME = "tabcells"
MARK = "\t"


_ONE_CELL = re.compile(r"^\t[^\t\n]*$", re.MULTILINE)


def score(lines: Sequence[str]) -> int:
    """Lines holding exactly one cell after a leading TAB (counted by one regex scan: this runs on every
    region of every report)."""
    return len(_ONE_CELL.findall("\n".join(lines)))


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Tables in lines[start..end] (1-based, inclusive)."""
    end = len(lines) if end is None else end
    found: list[list[tuple[Cell, ...]]] = []
    rows: list[tuple[Cell, ...]] = []
    texts: list[str] = []  # the cells of the row being read
    numbers: list[int] = []  # and their lines
    for n in range(start, end + 1):
        line = lines[n - 1]
        if line[:1] == "\t":
            texts.append(line.strip())
            numbers.append(n)
            continue
        stripped = line.strip()
        if stripped and texts and len(stripped) <= 30 and not is_title(line):
            texts[-1] = f"{texts[-1]}\n{stripped}" if texts[-1] else stripped
            continue
        if texts:
            rows.append(_row(texts, numbers, path))
            texts, numbers = [], []
        if stripped and rows:  # anything else ends the table
            found.append(rows)
            rows = []
    if texts:
        rows.append(_row(texts, numbers, path))
    if rows:
        found.append(rows)
    return tables(found)


def _row(texts: list[str], numbers: list[int], path: str) -> tuple[Cell, ...]:
    """A lone TAB (no text) is a cell covered by a merged neighbour."""
    return tuple([Cell(text, Loc(path, at), 1, 1, text == "") for text, at in zip(texts, numbers)])
