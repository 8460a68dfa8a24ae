"""The shapes data takes between stages: where a thing came from, a table cell, a parsed value."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal


# Loc, Cell and Value are built a thousand times a report. Their __init__ writes the instance dict directly,
# where a frozen dataclass's sets each field through object.__setattr__ (1.0 µs instead of 2.3). They remain
# frozen dataclasses (eq, hash, repr, replace, FrozenInstanceError); tests/test_model.py holds each __init__ to
# its fields.


LOW_CONFIDENCE = 0.8  # an OCR score below this: the cell is reported and never the sure target of a suggestion


@dataclass(frozen=True, init=False)
class Loc:
    """Where something sits in the source, in the terms its format allows."""

    path: str  # the input file as the user named it
    line: int | None = None  # 1-based source line (text, HTML)
    page: int | None = None  # 1-based page (PDF)
    table: int | None = None  # 1-based table number in the document (DOCX)
    row: int | None = None  # 1-based row inside that table (DOCX, PDF)
    col: int | None = None  # 1-based column inside that row (DOCX)
    paragraph: int | None = None  # 1-based paragraph of the body, counting those that show text (DOCX)

    def __init__(self, path: str, line: int | None = None, page: int | None = None, table: int | None = None,
                 row: int | None = None, col: int | None = None, paragraph: int | None = None) -> None:
        d = self.__dict__
        d["path"], d["line"], d["page"], d["table"], d["row"], d["col"] = path, line, page, table, row, col
        d["paragraph"] = paragraph

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        place = self.place
        return f"{self.path} {place}" if place else self.path

    @property
    def place(self) -> str:
        """Where, without the file, for messages: 第12行, 第3段, 表2 第5行 第3列; empty when only the file is known."""
        if self.line is not None:
            return f"第{self.line}行"
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph}段")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.col is not None:
            parts.append(f"第{self.col}列")
        return " ".join(parts)


@dataclass(frozen=True, init=False)
class Cell:
    """One cell as the layout found it, before anyone decides what it means."""

    text: str  # the cell's text, wrapped lines joined with "\n"
    loc: Loc  # where the cell starts
    rowspan: int = 1  # rows this cell covers (1 when the layout cannot tell)
    colspan: int = 1  # columns this cell covers
    covered: bool = False  # a placeholder for a merged neighbour (Word's lone TAB), not a cell of its own
    confidence: float | None = None  # OCR's score for the text, 0–1 (scans and images); None when not read by OCR
    box: tuple[float, float, float, float] | None = None  # OCR: the cell on its page, points (x0, top, x1, bottom)

    def __init__(self, text: str, loc: Loc, rowspan: int = 1, colspan: int = 1, covered: bool = False,
                 confidence: float | None = None, box: tuple[float, float, float, float] | None = None) -> None:
        d = self.__dict__
        d["text"], d["loc"], d["rowspan"], d["colspan"], d["covered"] = text, loc, rowspan, colspan, covered
        d["confidence"], d["box"] = confidence, box


@dataclass(frozen=True)
class Table:
    """A run of rows, in reading order, as one layout reader found it."""

    rows: tuple[tuple[Cell, ...], ...]  # rows of cells, as laid out; merged cells expanded or marked covered
    loc: Loc  # where the table starts
    anchor: int  # 1-based index into Document.lines where the table sits, to place it under its section
    section: str = ""  # section id ("二", "三", "四"), set by the pipeline from the anchor
    glued: bool = False  # cells run together (crawled page text): a value cell may hold a whole row's figures


@dataclass(frozen=True, init=False)
class Value:
    """A cell's content read as a number, keeping what was written."""

    number: Decimal | None  # the figure; None for a blank or a placeholder such as "—"
    raw: str  # the text as written, trimmed
    kind: str  # "number", "blank", "placeholder", "word" (not a figure where one belongs: O, 不适用) or "text"
    loc: Loc  # where the cell is
    unit: str | None = None  # unit written with the number ("万元", "元", "件"), if any
    note: Decimal | None = None  # a second figure in brackets, e.g. 512（+284） keeps 512 here
    placed: str | None = None  # how the cell found its row when not by its label: "order" (rows without labels)
    confidence: float | None = None  # OCR's score for the cell's text, 0–1; None when not read by OCR

    def __init__(self, number: Decimal | None, raw: str, kind: str, loc: Loc, unit: str | None = None,
                 note: Decimal | None = None, placed: str | None = None, confidence: float | None = None) -> None:
        d = self.__dict__
        d["number"], d["raw"], d["kind"], d["loc"], d["unit"], d["note"] = number, raw, kind, loc, unit, note
        d["placed"], d["confidence"] = placed, confidence


@dataclass(frozen=True)
class Section:
    """One of the six report sections as found in the text."""

    id: str  # "一" … "六"
    title: str  # the title line as written
    start: int  # 1-based line of the title
    end: int  # 1-based last line of the body (inclusive)


@dataclass(frozen=True)
class Document:
    """A decoded input: lines of text plus, for formats that have them, tables already laid out."""

    path: str  # as the user named it
    encoding: str  # how the bytes were decoded ("utf-8", "gb18030", "docx", …)
    lines: tuple[str, ...]  # text lines (for sections, year, prose); line n is lines[n - 1]
    tables: tuple[Table, ...] = field(default=())  # tables found by the layout stage
    layout: str = ""  # which layout reader produced the tables ("tabcells", "html", "docx", …)
    origin: tuple[int, ...] = ()  # each line's line in the file, where lines were re-split; empty: the file's own
    places: tuple[Loc, ...] = ()  # each line's place where the file has no lines (DOCX: a paragraph, a table row)
    format: str = ""  # the kind of file read: "text", "html", "docx", "pdf", "doc" or "image"

    def source_line(self, n: int) -> int:
        """Line n of `lines` as a line of the file, for every location a user reads."""
        return self.origin[n - 1] if self.origin and 0 < n <= len(self.origin) else n

    def loc(self, n: int) -> Loc:
        """Where line n of `lines` is, as the user finds it: a line of the file, or in a Word document the
        paragraph (第N段) or table row it came from, since Word shows no line numbers."""
        if self.places and 0 < n <= len(self.places):
            return self.places[n - 1]
        return Loc(self.path, self.source_line(n))

    @cached_property
    def table_lines(self) -> frozenset[int]:
        """Lines from each table's first row to its last (wrapped labels and blank lines between rows included):
        prose checks read around them. Formats without lines (DOCX, PDF) have none."""
        out: set[int] = set()
        for t in self.tables:
            first = [c.loc.line for c in t.rows[0] if c.loc.line is not None]
            last = [c.loc.line for c in t.rows[-1] if c.loc.line is not None]
            if first and last:
                out.update(range(min(first), max(last) + 1))
        return frozenset(out)
