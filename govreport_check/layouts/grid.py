"""Merged cells to rows, and rows to a `Document`: the part every structured format (HTML, DOCX, PDF) shares.

Each format says where its cells start and how far they reach (`Span`); `expand` turns that into the rows the
matcher reads, shaped like Word's copy-paste layout: a cell merged across columns appears once, a cell merged
down appears in the rows below as an empty covered cell. That keeps the values after a merged label in their
order, so `一、本年新收…` spanning three columns is still followed by exactly seven numbers.

`Builder` lays a document out as lines, one per paragraph and one per table row (TAB-led, so a row is never
taken for a section title), and keeps each table's anchor line. A row that is one cell across the whole table
is text, not data: PDFs draw frames around prose and section titles, pages put 第二十条第（一）项 in a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from govreport_check.errors import InputError, NotAReport
from govreport_check.model import Cell, Document, Loc, Table
from govreport_check.normalize import PLACEHOLDERS, nfkc, parse_number
from govreport_check.read import ANCHORS, check_lines, limit

MAX_COLS = limit("MAX_COLS", 64)  # report tables are at most 15 columns wide; a wider span is clamped here
# rows × columns of one table, and the cells of all of a document's tables together: a report has about 300, and
# reading costs ~0.2 ms a cell (200,000 took a minute)
MAX_GRID_CELLS = limit("MAX_GRID_CELLS", 50_000)

_YEAR_TITLE = re.compile(r"^\s*20\d{2}\s*年.{0,30}报告\s*$")
_ENUMERATED = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+\s*[、.．])")


@dataclass(frozen=True)
class Span:
    """A cell where the source puts it: first grid row and column (0-based) and how many it covers."""

    text: str  # the cell's text, wrapped lines joined with "\n"
    loc: Loc  # where the cell starts
    row: int  # first grid row
    col: int  # first grid column
    rowspan: int = 1
    colspan: int = 1
    confidence: float | None = None  # OCR's score for the text (layouts/ocr.py); None when not read by OCR
    box: tuple[float, float, float, float] | None = None  # OCR: the cell on its page, points (x0, top, x1, bottom)


def clean(text: str) -> str:
    """Trim every line; a number wrapped inside its cell (`447\\n228`) becomes one number again."""
    lines = [ln.replace("\xa0", " ").strip() for ln in text.splitlines()]
    out = "\n".join(ln for ln in lines if ln)
    if "\n" in out or " " in out:
        joined = "".join(out.split())
        if parse_number(joined)[0] is not None:
            return joined
    return out


def is_number(text: str) -> bool:
    return parse_number(text)[0] is not None


def is_figure(text: str) -> bool:
    """What a value cell holds: a number or a placeholder such as `—`."""
    return nfkc(text).strip() in PLACEHOLDERS or is_number(text)


def is_enumerated(text: str) -> bool:
    """Starts like a row label of its own (`（三）`, `1.`, `四、`), not like the rest of a wrapped one."""
    return bool(_ENUMERATED.match(text))


def check_size(rows: int, cols: int, path: str | Path) -> None:
    if rows * max(cols, 1) > MAX_GRID_CELLS:
        raise InputError(f"表格过大（{rows} 行 × {cols} 列，上限 {MAX_GRID_CELLS} 个单元格）：不像年度报告", path)


def expand(spans: Iterable[Span], n_rows: int, loc_at: Callable[[int, int], Loc]) -> list[tuple[Cell, ...]]:
    """Rows of cells: a span once where it starts, then one empty covered cell per row below it.

    Overlapping spans (broken markup) keep the first one laid down; rows with no cell at all are dropped.
    """
    owner: dict[tuple[int, int], Span] = {}
    for s in _without_label_blanks(list(spans)):
        for r in range(s.row, s.row + s.rowspan):
            for c in range(s.col, s.col + s.colspan):
                owner.setdefault((r, c), s)
    width = max((c for _, c in owner), default=-1) + 1
    rows = []
    for r in range(n_rows):
        row = []
        for c in range(width):
            s = owner.get((r, c))
            if s is None or s.col != c:
                continue
            if s.row == r:
                row.append(Cell(s.text, s.loc, s.rowspan, s.colspan, confidence=s.confidence, box=s.box))
            else:
                row.append(Cell("", loc_at(r, c), s.rowspan, s.colspan, covered=True))
        if row:
            rows.append(tuple(row))
    return rows


def _without_label_blanks(spans: list[Span]) -> list[Span]:
    """Drop empty cells in label columns: they are a merged label drawn as two cells (（六）其他处理 next to an
    empty box in a PDF), and left in place they would read as a blank figure and push the row's figures right.

    A label column holds text left of a row's figures and never a figure itself, so a column of blank values
    is never mistaken for one.
    """
    first_figure: dict[int, int] = {}
    figure_cols = set()
    for s in spans:
        if s.text and is_figure(s.text):
            first_figure[s.row] = min(first_figure.get(s.row, s.col), s.col)
            figure_cols.add(s.col)
    label_cols = {s.col for s in spans if s.text and s.col < first_figure.get(s.row, -1)} - figure_cols
    return [s for s in spans if s.text or s.col not in label_cols]


def _flat(text: str) -> str:
    return " ".join(text.split())


class Builder:
    """Collects a document's lines and tables in reading order.

    `at` asks for a line number (HTML puts each block on its source line, so line numbers in findings about
    the prose open the page at the right place); lines never go backwards, and gaps are blank lines.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self.cells = 0  # in all tables so far, against MAX_GRID_CELLS

    def _put(self, line: str, at: int | None) -> int:
        if at is not None:
            while len(self.lines) + 1 < at:
                self.lines.append("")
        self.lines.append(line)
        return len(self.lines)

    def text(self, text: str, at: int | None = None) -> None:
        for line in text.splitlines():
            line = line.replace("\xa0", " ").strip()
            if line:
                self._put(line, at)

    def table(self, rows: list[tuple[Cell, ...]], at: Callable[[int], int | None] = lambda i: None) -> None:
        """`at(i)` is the line wanted for row i. Single-cell rows become text and split the table there."""
        self.cells += sum(len(row) for row in rows)
        if self.cells > MAX_GRID_CELLS:
            raise InputError(f"表格单元格总数超过 {MAX_GRID_CELLS}：不像年度报告", self.path)
        chunk: list[tuple[Cell, ...]] = []
        anchor = 0
        for i, row in enumerate(rows):
            if len(row) == 1:
                self._close(chunk, anchor)
                chunk, anchor = [], 0
                self.text(row[0].text, at(i))
                continue
            n = self._put("\t" + "\t".join(_flat(c.text) for c in row), at(i))
            if not chunk:
                anchor = n
            chunk.append(row)
        self._close(chunk, anchor)

    def _close(self, chunk: list[tuple[Cell, ...]], anchor: int) -> None:
        if chunk:
            self.tables.append(Table(tuple(chunk), chunk[0][0].loc, anchor))

    def document(self, encoding: str, layout: str) -> Document:
        """The finished document; one without any report vocabulary is not a report (the text reader's rule)."""
        check_lines(self.lines, self.path, numbered=layout == "html")  # only a page's lines are its source lines
        if not any(word in line for line in self.lines for word in ANCHORS):
            raise NotAReport("找不到“政府信息公开”“申请”等字样：不是政府信息公开工作年度报告", self.path)
        return Document(self.path, encoding, _title_joined(self.lines), tuple(self.tables), layout)


def _title_joined(lines: list[str]) -> tuple[str, ...]:
    """A title set over two lines, the body's name above `2023 年政府信息公开工作年度报告`, read as one line.

    The joined title replaces the second line, so no line moves and table anchors stay valid.
    """
    out = list(lines)
    filled = [n for n, line in enumerate(out[:15]) if line]
    for prev, n in zip(filled, filled[1:]):
        if _YEAR_TITLE.match(out[n]) and len(out[prev]) <= 25 and "报告" not in out[prev] and "\t" not in out[prev]:
            out[n] = out[prev] + out[n].strip()
            break
    return tuple(out)
