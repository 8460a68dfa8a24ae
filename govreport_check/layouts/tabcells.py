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
    row: list[list] = []  # [text, line] pairs of the row being read

    def close_row() -> None:
        if row:
            rows.append(tuple([Cell(text, Loc(path, n), 1, 1, text == "") for text, n in row]))
            row.clear()

    def close_table() -> None:
        close_row()
        if rows:
            found.append(list(rows))
            rows.clear()

    for n in range(start, end + 1):
        line = lines[n - 1]
        if line.startswith("\t"):
            row.append([line[1:].strip(), n])
        elif not line.strip():
            close_row()
        elif row and len(line.strip()) <= 30 and not is_title(line):
            row[-1][0] = f"{row[-1][0]}\n{line.strip()}" if row[-1][0] else line.strip()
        else:
            close_table()
    close_table()
    return tables(found)
