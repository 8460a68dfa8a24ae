"""The Word/browser copy-paste layout: one cell per line after a TAB, a blank line between rows.

A lone TAB is a merged (covered) cell; a line without a TAB continues the cell above it (a wrapped label
such as `本年新` + `制作数量`). Anything else ends the table.
"""

from __future__ import annotations

import re

from govreport_check.model import Cell, Loc, Table

_SECTION_TITLE = re.compile(r"^\s*[一二三四五六]、")


def _is_title(line: str) -> bool:
    return bool(_SECTION_TITLE.match(line))


def looks_like(lines: tuple[str, ...]) -> bool:
    tabbed = [ln for ln in lines if ln.startswith("\t")]
    return len(tabbed) >= 20 and sum(1 for ln in tabbed if "\t" in ln[1:]) < len(tabbed) / 10


def read_tables(lines: tuple[str, ...], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Tables in lines[start..end] (1-based, inclusive)."""
    end = len(lines) if end is None else end
    tables: list[Table] = []
    rows: list[tuple[Cell, ...]] = []
    row: list[list] = []  # [text, line] pairs of the row being read

    def close_row() -> None:
        if row:
            rows.append(tuple(Cell(text, Loc(path, n), covered=(text == "")) for text, n in row))
            row.clear()

    def close_table() -> None:
        close_row()
        if rows:
            tables.append(Table(tuple(rows), rows[0][0].loc, rows[0][0].loc.line))
            rows.clear()

    for n in range(start, end + 1):
        line = lines[n - 1]
        if line.startswith("\t"):
            row.append([line[1:].strip(), n])
        elif not line.strip():
            close_row()
        elif row and len(line.strip()) <= 30 and not _is_title(line):
            row[-1][0] = f"{row[-1][0]}\n{line.strip()}" if row[-1][0] else line.strip()
        else:
            close_table()
    close_table()
    return tables
