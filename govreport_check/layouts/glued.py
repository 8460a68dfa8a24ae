"""Text a crawler took from a published page: every separator lost, the whole body on one line.

`…四、政府信息公开行政复议、行政诉讼情况…一、本年新收政府信息公开申请数量801000081二、上年结转…` holds section
titles and table rows run together, each row's figures glued into one run of digits. `reflow` puts the titles
and rows back on lines of their own (remembering each one's source line), so sections are found as usual;
the reader below then turns each row line into a label cell and one cell holding the run of digits, which
template matching splits into figures with the table's own arithmetic (template/unglue.py).

Crawlers differ: the whole body on one line, a line per paragraph with each table's cells run together, or a
row a line. Nothing here fires on a report whose cells are separated: only lines with figures straight after
words are looked at (never TAB or pipe lines, never text with pdftotext's page breaks), a line is cut into
rows only when at least three of them follow the template's own labels (or sec4's headings), and a document
of one row a line needs five such lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from govreport_check.layouts.cells import cell, tables
from govreport_check.model import Table
from govreport_check.normalize import label_key, nfkc
from govreport_check.template.spec import builtin_templates

NAME = "glued"
MARK = None
_MIN_LINE = 400  # a crawled page body; a report's own paragraphs with two titles in them are rarer than this
_TITLE_AT = re.compile(r"(?<![一二三四五六七八九十第（(、])([一二三四五六七八九十])[、.．]")
_TITLE_STOP = re.compile(r"\d|[一二三四五六七八九十]、|[（(][一二三四五六七八九十]+[）)]")
_TITLE_SPAN = 40
_TITLE_END = re.compile(r"情况|事项")
_FIGURES = r"(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:万元|元|件)?"  # thousands kept whole
_RUN = re.compile(_FIGURES)
_TAIL = re.compile(_FIGURES + "$")  # a row's figures, at its end, with their unit
_WIDE = str.maketrans("０１２３４５６７８９．", "0123456789.")  # full-width digits, as crawlers keep them
_ENUM = re.compile(r"(?<!第)(?:[一二三四五六七八九十]、|[（(][一二三四五六七八九十]+[）)])|(?<![\d.])[1-9][.、．](?!\d)")
_GLUED = re.compile(r"[\u4e00-\u9fff”）)][0-9０-９]{3,}")
_STEP = re.compile(r"[\u4e00-\u9fff”）)][0-9]")  # words then figures: a row's start, where cells ran together
_ROW_LINES = 5  # lines that are each one glued row before a document is read as glued
_MIN_ROWS = 3  # glued rows that follow template labels before a section is read as a glued table


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[tuple[str, tuple[str, ...], str], ...], frozenset[str], tuple[str, ...]]:
    """Section titles (id, keywords, official title), the row label keys of every template's tables, and the
    column headings of sec3 and sec4 (a header glued to the first data row is split from it)."""
    templates = builtin_templates().values()
    sections = next(iter(templates)).sections
    titles = tuple((s.id, s.keywords, s.title) for s in sections)
    rows = frozenset(k for t in templates for spec in t.tables.values() for r in spec.rows for k in r.keys if k)
    heads = tuple(dict.fromkeys(k for t in templates for tid in ("sec3", "sec4")
                                for c in t.tables[tid].columns for k in c.keys if len(k) >= 2))
    return titles, rows, heads


def _titles(line: str) -> list[tuple[int, int]]:
    """(start, end) of each section title inside a long line: a numeral, then within a few words (before any
    figure or further numbering) one of a section's keywords. As in sections.py, the words name the section,
    not the numeral, which reports get wrong (renumbered, shifted)."""
    titles, _, _ = _vocabulary()
    out = []
    for m in _TITLE_AT.finditer(line):
        rest = line[m.end():m.end() + _TITLE_SPAN]
        stop = _TITLE_STOP.search(rest)
        head = rest[:stop.start()] if stop else rest
        for _, keys, title in titles:
            found = [head.find(k) + len(k) for k in keys if k in head]
            if found:
                break
        else:
            continue
        if nfkc(rest).startswith(title):
            end = len(title)
        else:
            tail = _TITLE_END.search(head, min(found) - 2)
            end = tail.end() if tail else max(found)
        out.append((m.start(), m.end() + end))
    return out


def _rows(text: str) -> list[str]:
    """A glued table's text cut into rows: after each run of digits (a numbering digit that ran into the run,
    `00000002.其他…`, goes back to its label), before each numbered label, and between a header and its figures."""
    _, _, heads = _vocabulary()
    pieces: list[str] = []
    pos = 0
    for m in _RUN.finditer(text):
        end = m.end()
        nxt = text[end:end + 2]
        if nxt[:1] in ".、．" and len(nxt) == 2 and not nxt[1].isdigit():
            if m.end() - m.start() == 1 and (m.start() == pos or not text[m.start() - 1].isdigit()):
                continue  # the numbering of a label (`1.属于…`), not a figure
            end -= 1
        if end > m.start():
            pieces.append(text[pos:end])
            pos = end
    pieces.append(text[pos:])
    out: list[str] = []
    for piece in pieces:
        cuts = [m.start() for m in _ENUM.finditer(piece) if m.start() > 0]
        for a, b in zip([0, *cuts], [*cuts, len(piece)]):
            part = piece[a:b]
            run = _TAIL.search(part)
            label = part[:run.start()] if run else part
            if run and sum(1 for h in heads if h in label) >= 2:
                out += [label, part[run.start():]]
            elif part.strip():
                out.append(part)
    return [p.strip() for p in out if p.strip()]


@lru_cache(maxsize=1)
def _endings() -> tuple[frozenset[str], tuple[int, ...]]:
    """The row label keys and their lengths, so that "does this key end in a label" is a few set lookups."""
    _, labels, _ = _vocabulary()
    keys = frozenset(k for k in labels if len(k) >= 2)
    return keys, tuple(sorted({len(k) for k in keys}))


def _ends_in_label(key: str) -> bool:
    keys, lengths = _endings()
    return any(key[-n:] in keys for n in lengths if n <= len(key))


def _glued_rows(rows: Sequence[str]) -> int:
    """Rows that are a template label followed directly by figures, or figures alone under a run of column
    headings (sec4's one row of fifteen)."""
    _, _, heads = _vocabulary()
    n = 0
    for prev, row in zip(["", *rows], rows):
        run = _TAIL.search(row)
        if run and run.start() > 0 and not row[run.start() - 1].isspace():
            n += _ends_in_label(label_key(row[:run.start()]))
        elif run and run.start() == 0:
            n += _MIN_ROWS * (sum(1 for h in heads if h in prev) >= 2)
    return n


def _headed(line: str) -> bool:
    """Column headings with figures run on after them: sec4's header and its one row of fifteen."""
    _, _, heads = _vocabulary()
    return bool(_TAIL.search(line)) and sum(1 for h in heads if h in line) >= 2


def _is_table(rows: Sequence[str]) -> bool:
    """Most rows with figures follow a template label: a table, not prose that quotes a few figures."""
    hits = _glued_rows(rows)
    return hits >= _MIN_ROWS and 2 * hits >= sum(1 for row in rows if _TAIL.search(row))


def reflow(lines: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The lines with run-together titles and table rows put on lines of their own, and each new line's
    source line; None when no line was run together. A crawler may run the whole body into one line, or
    keep a line per paragraph and run only each table's cells together."""
    candidates = {n for n, line in enumerate(lines, start=1)
                  if "\t" not in line and "|" not in line and _GLUED.search(line)}  # figures straight after words
    if not candidates:
        return None
    out: list[str] = []
    origin: list[int] = []
    rows_alone: list[str] = []  # candidate lines left whole: each may be one glued row
    for n, line in enumerate(lines, start=1):
        if n not in candidates:
            out.append(line)
            origin.append(n)
            continue
        line = line.translate(_WIDE)
        spans = _titles(line) if len(line) >= _MIN_LINE else []
        rest = line.rsplit("。", 1)[-1]  # a table runs on after the last sentence, if anywhere
        if not spans and len(_STEP.findall(rest)) < _MIN_ROWS and not _headed(rest):  # prose, or a single row
            out.append(line)
            origin.append(n)
            rows_alone.append(line)
            continue
        if len(spans) < 2:
            spans = []
        bounds = [0, *(b for span in spans for b in span), len(line)]
        for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
            part = line[a:b].strip() if spans else line
            if spans and not part:
                continue
            glued = i % 2 == 0 and "\t" not in part and "|" not in part and _GLUED.search(part)
            rows = _rows(part) if glued else [part]  # even pieces lie between titles
            if glued and not spans and len(rows) > 1:
                lead = _titles(rows[0])  # a section title run into its table's first row
                if lead and lead[0][0] == 0 and lead[0][1] < len(rows[0]):
                    rows[:1] = [rows[0][:lead[0][1]], rows[0][lead[0][1]:]]
            if len(rows) > 1 and _is_table(rows):
                out += rows
                origin += [n] * len(rows)
            else:
                out.append(part)
                origin.append(n)
                rows_alone.append(part)
    if len(out) > len(lines) or _glued_rows(rows_alone) >= _ROW_LINES:  # or a row a line, its cells run together
        return tuple(out), tuple(origin)
    return None


def score(lines: Sequence[str]) -> int:
    """Lines that are a template row label with its figures glued on: a reflowed table."""
    n = _glued_rows(lines)
    return n if n >= _MIN_ROWS else 0


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """Each line a row: its label, then its run of figures as one cell (marked glued for the matcher)."""
    end = len(lines) if end is None else end
    rows = []
    for n in range(start, end + 1):
        line = lines[n - 1].strip()
        if not line:
            continue
        run = _TAIL.search(line)
        if run and run.start() > 0:
            rows.append((cell(line[:run.start()], path, n), cell(run.group(), path, n)))
        else:
            rows.append((cell(line, path, n),))
    return [replace(t, glued=True) for t in tables([rows])]
