"""What every text layout reader shares: cells with their line, tables from rows, and the lines that end a table.

A reader only has to decide which text belongs to which cell; the rest (locations, anchors, what a section
title looks like) is the same for all of them and lives here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from govreport_check.model import Cell, Loc, Table
from govreport_check.normalize import nfkc, read_value

_TITLE = re.compile(r"^[ \u3000]*[一二三四五六]、")
_ENUMERATED = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|[（(]?\d+[）)]|\d+[、.．](?!\d))")


def is_title(line: str) -> bool:
    """A section title line such as `三、收到和处理政府信息公开申请情况`: no table runs across one."""
    return bool(_TITLE.match(line))


def enumerated(text: str) -> bool:
    """Starts with a numbering (`（三）`, `2.`, `四、`): the start of a new label, never a wrapped continuation."""
    return bool(_ENUMERATED.match(nfkc(text)))


def is_figure(text: str) -> bool:
    """A number or a placeholder for one, as opposed to a label."""
    return read_value(text, Loc("")).kind in ("number", "placeholder")


def cell(text: str, path: str, line: int, covered: bool = False) -> Cell:
    return Cell(text, Loc(path, line), covered=covered)


def table(rows: Sequence[Sequence[Cell]]) -> Table | None:
    """A table from its rows (empty rows dropped), anchored at its first cell's line."""
    kept = tuple(tuple(r) for r in rows if r)
    if not kept:
        return None
    first = kept[0][0].loc
    return Table(kept, first, first.line or 1)


def tables(groups: Iterable[Sequence[Sequence[Cell]]]) -> list[Table]:
    return [t for t in (table(rows) for rows in groups) if t is not None]
