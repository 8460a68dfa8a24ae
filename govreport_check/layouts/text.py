"""Plain-text reports: decode, then find tables in whichever text layout each part was written.

Readers get the lines as decoded, form feeds included (pdftotext marks page breaks with them); the
document keeps them without, for section titles and prose.

A report pasted together from several sources can mix layouts (sec2 copied from Word, sec3 saved from
Excel), so the layout is chosen per region: each section, and the lines before the first. Each reader
scores how many lines of the region look like its own; the best wins, earlier readers winning ties.
`--layout NAME` skips the choice: every region is read with that reader. Text a crawler ran together (titles
and rows on one line, no separators) is first re-split by `glued.reflow`, and only then may the glued reader
take a region.

A reader module exposes NAME, MARK (a character every line it scores holds, or None),
`score(lines) -> int` and `read_tables(lines, path, start, end) -> list[Table]`
(1-based, inclusive line range); it anchors each table at its first row's line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.layouts import glued, markdown, pipes, spaces, tabcells, tsv
from govreport_check.layouts.grid import MAX_GRID_CELLS
from govreport_check.model import Document, Table
from govreport_check.read import MB, check_bytes, check_lines, decode, limit, split_lines
from govreport_check.sections import find_sections
from govreport_check.template.spec import builtin_templates

MAX_TEXT_BYTES = limit("MAX_TEXT_BYTES", 4 * MB)  # text reports are 10–50 KB; reading costs about 1 s a MB
READERS = (markdown, pipes, tsv, tabcells, spaces)
LAYOUTS = {r.NAME: r for r in (*READERS, glued)}
_MIN_SCORE = 1


def regions(lines: tuple[str, ...]) -> list[tuple[int, int]]:
    """(first, last) 1-based line ranges: the lines before the first section, then each section.

    Sections are found exactly as the pipeline finds them, so a table never straddles two, and a row label
    that looks like a title (`四、结转下年度继续办理`) does not cut a table in two.
    """
    specs = next(iter(builtin_templates().values())).sections
    starts = [s.start for s in find_sections(lines, specs)]
    starts = ([1] if not starts or starts[0] > 1 else []) + starts
    return [(s, e - 1) for s, e in zip(starts, starts[1:] + [len(lines) + 1])]


def detect(lines: tuple[str, ...], readers: tuple = READERS):
    """The reader whose table lines fill the most of these lines, or None when none has a table here."""
    text = "\n".join(lines)
    scores = [r.score(lines) if r.MARK is None or r.MARK in text else 0 for r in readers]  # no mark, no score
    best = max(range(len(readers)), key=lambda i: scores[i])  # the first of equals wins
    return readers[best] if scores[best] >= _MIN_SCORE else None


def read(path: Path, data: bytes, encoding: str | None = None, layout: str | None = None) -> Document:
    check_bytes(len(data), MAX_TEXT_BYTES, "文本文件", path)
    text, used = decode(data, path, encoding)
    raw = split_lines(text)
    check_lines(raw, path)
    lines = tuple(line.replace("\f", "") for line in raw) if "\f" in text else tuple(raw)
    reflowed = glued.reflow(lines) if "\f" not in text else None  # page breaks: pdftotext, not a crawler
    origin: tuple[int, ...] = ()
    readers = READERS
    if reflowed is not None:  # only text run together holds glued rows: other reports never pay for scoring them
        raw, origin = reflowed
        lines = raw
        readers = (*READERS, glued)
    if layout is not None and layout not in LAYOUTS:
        raise InputError(f"未知的版式 {layout}（可用：{'、'.join(LAYOUTS)}）", path)
    _within_budget(text, path)
    found: list[Table] = []
    names: list[str] = []
    for first, last in regions(lines):
        reader = LAYOUTS[layout] if layout is not None else detect(lines[first - 1:last], readers)
        if reader is None:
            continue
        found += reader.read_tables(raw, str(path), first, last)
        names.append(reader.NAME)
    if origin:
        found = [_relocated(t, origin) for t in found]
    return Document(str(path), used, lines, tuple(found), "+".join(dict.fromkeys(names)), origin)


_SPACED = re.compile(r" {2,}")


def _within_budget(text: str, path: Path) -> None:
    """One cell budget per document, as the HTML and DOCX readers have: the separators a reader could cut cells
    at (TABs, pipes, runs of spaces, line ends) bound the cells it could build, so a file of millions of
    cells is refused before any reader spends memory on them. Real reports have under a thousand."""
    cells = text.count("\t") + text.count("|") + text.count("\n") + len(_SPACED.findall(text))
    if cells > MAX_GRID_CELLS:
        raise InputError(f"表格单元格可能多达 {cells} 个（上限 {MAX_GRID_CELLS}）：不像年度报告", path)


def _relocated(table: Table, origin: tuple[int, ...]) -> Table:
    """A table read from re-split lines, its cells pointing at the file's own lines (the anchor stays on the
    re-split lines, where its section is found)."""
    def at(loc):
        return replace(loc, line=origin[loc.line - 1]) if loc.line else loc

    rows = tuple(tuple(replace(c, loc=at(c.loc)) for c in row) for row in table.rows)
    return replace(table, rows=rows, loc=at(table.loc))
