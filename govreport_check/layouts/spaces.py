"""Space-aligned columns, as `pdftotext -layout` writes a PDF table.

A line whose last cells (two or more spaces apart) are figures is a *number line*: one table row. Labels
are not always on it: a long label wraps above and below its number line, a merged label is printed one
character per line down the rows it spans, and a group label sits somewhere beside its rows. Text
fragments are therefore joined into labels by column first (same start column, each continuation no wider
than the line above it, never starting with a new numbering), and each label then goes to the number line
it spans, or failing that the number line right below or above it whose place for it is free. Page footers
(`— 5 —`, `第 3 页`) and running heads repeated by page breaks are dropped before any of this.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from govreport_check.layouts.cells import cell, enumerated, is_figure, tables
from govreport_check.model import Cell, Table

NAME = "spaces"
MARK = None
_FRAGMENT = re.compile(r"[^\s\u3000]+(?: [^\s\u3000]+)*")
_FOOTER = re.compile(r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_TRAILING_FIGURE = re.compile(r"^(?P<label>[^。]{1,20}[^\x00-\xff)]) (?P<figure>[^ ]+)$")  # label ends in CJK
_COLUMN_SLACK = 2  # characters a wrapped line may start left or right of the line above
_REACH = 2  # other lines allowed between two parts of one label
_BLANKS = 3  # blank lines allowed between them: a wrapped cell is printed tight
_REPEATED = 6  # a line this long seen twice by a page break is a running head, not a label
_PAGE_EDGE = 3  # lines from a page break that a running head may sit


@dataclass(frozen=True)
class Fragment:
    """A run of text on one line, with single spaces inside and two or more around it."""

    text: str
    line: int
    x: int  # 0-based column of its first character

    @property
    def end(self) -> int:
        return self.x + len(self.text)


@dataclass(frozen=True)
class _Label:
    """Fragments joined into one label, top to bottom."""

    parts: tuple[Fragment, ...]
    rows: tuple[int, ...]  # number lines it has a part on

    def plus(self, frag: Fragment, on_row: bool) -> "_Label":
        return _Label(self.parts + (frag,), self.rows + ((frag.line,) if on_row else ()))

    @property
    def x(self) -> int:
        return min(p.x for p in self.parts)

    @property
    def end(self) -> int:
        return max(p.end for p in self.parts)

    @property
    def vertical(self) -> bool:
        return all(len(p.text) <= 2 for p in self.parts)


def fragments(line: str, n: int) -> list[Fragment]:
    """A line's fragments; `0 0 0` and `label 12` (one space apart) are split into their figures."""
    out: list[Fragment] = []
    for m in _FRAGMENT.finditer(line):
        text, x = m.group(), m.start()
        words = text.split(" ")
        if len(words) > 1 and all(is_figure(w) for w in words):
            for w in words:
                out.append(Fragment(w, n, x))
                x += len(w) + 1
            continue
        tail = _TRAILING_FIGURE.match(text)
        if tail and is_figure(tail["figure"]) and not is_figure(tail["label"]):
            out.append(Fragment(tail["label"], n, x))
            out.append(Fragment(tail["figure"], n, x + len(tail["label"]) + 1))
            continue
        out.append(Fragment(text, n, x))
    return out


def _figures(frags: list[Fragment]) -> int:
    """How many of the line's last fragments are figures."""
    k = 0
    while k < len(frags) and is_figure(frags[-1 - k].text):
        k += 1
    return k


def _is_number_line(frags: list[Fragment]) -> bool:
    k = _figures(frags)
    return k >= 2 or (k == 1 and len(frags) > 1)


_LONGEST_FIGURE = 64  # characters of a figure with its unit and bracketed note, well over what parse_number takes


def score(lines: Sequence[str]) -> int:
    """Number lines that carry no TAB or pipe (those belong to other layouts). A line whose last word is longer
    than any figure (a line of prose) is passed over without splitting it into fragments."""
    return sum(1 for n, ln in enumerate(lines, 1)
               if "\t" not in ln and "|" not in ln and ln.strip()
               and len(ln.rsplit(None, 1)[-1]) <= _LONGEST_FIGURE and _is_number_line(fragments(ln.lstrip("\f"), n)))


def _skipped(lines: Sequence[str]) -> set[int]:
    """Page footers, and running heads: one-piece text lines repeated in the document, standing by a page
    break. A table heading repeated on a new page is not dropped: it still parts the labels above and below."""
    keys = {n: " ".join(ln.split()) for n, ln in enumerate(lines, 1)}
    seen = Counter(keys.values())
    footers = {n for n, ln in enumerate(lines, 1) if _FOOTER.match(ln)}
    breaks = footers | {n for n, ln in enumerate(lines, 1) if ln.startswith("\f")}
    out = set(footers)
    for n, ln in enumerate(lines, 1):
        if len(keys[n]) >= _REPEATED and seen[keys[n]] > 1 and any(abs(n - b) <= _PAGE_EDGE for b in breaks):
            frags = fragments(ln, n)
            if len(frags) == 1 and not _figures(frags):
                out.add(n)
    return out


class _Layout:
    """The lines of one region, read into number lines and labels."""

    def __init__(self, lines: Sequence[str], start: int, end: int):
        skipped = _skipped(lines)
        self.content = [n for n in range(start, end + 1) if lines[n - 1].strip() and n not in skipped]
        self.blank = {n for n in range(start, end + 1) if not lines[n - 1].strip()}
        self.order = {n: i for i, n in enumerate(self.content)}
        self.figures: dict[int, list[Fragment]] = {}
        self.headers: set[int] = set()  # text lines reaching into the figures' columns: column headings
        self.texts: list[Fragment] = []
        lined = {n: fragments(lines[n - 1].lstrip("\f"), n) for n in self.content}
        for n, frags in lined.items():
            if _is_number_line(frags):
                k = _figures(frags)
                self.figures[n] = frags[-k:]
                self.texts.extend(frags[:-k])
        left = min((f[0].x for f in self.figures.values()), default=0)
        for n, frags in lined.items():
            if n in self.figures or n == start:  # a region opens with its section's title, never a label
                continue
            if len(frags) > 1 and any(f.x >= left for f in frags):
                self.headers.add(n)
            else:
                self.texts.extend(frags)

    def gap(self, above: int, below: int) -> int:
        """Content lines strictly between two lines."""
        return self.order[below] - self.order[above] - 1

    def labels(self) -> list[_Label]:
        out: list[_Label] = []
        for frag in sorted(self.texts, key=lambda f: (f.line, f.x)):
            target = self._continued(out, frag)
            on_row = frag.line in self.figures
            if target is None:
                out.append(_Label((frag,), (frag.line,) if on_row else ()))
            else:
                out[out.index(target)] = target.plus(frag, on_row)
        return out

    def _continued(self, labels: list[_Label], frag: Fragment) -> _Label | None:
        """The label this fragment wraps from, if any: the nearest one above in the same column."""
        above = [lab for lab in labels if lab.parts[-1].line < frag.line
                 and lab.parts[-1].x - _COLUMN_SLACK <= frag.x and frag.x <= lab.parts[-1].end]
        if not above:
            return None
        lab = max(above, key=lambda lab: lab.parts[-1].line)
        last = lab.parts[-1]
        if abs(last.x - frag.x) > _COLUMN_SLACK or self.gap(last.line, frag.line) > _REACH or enumerated(frag.text):
            return None
        if len(frag.text) > len(last.text) + 1 or len(self.blank & set(range(last.line, frag.line))) > _BLANKS:
            return None
        if lab.vertical and len(frag.text) <= 2:
            return lab
        between = self.content[self.order[last.line] + 1:self.order[frag.line]]
        if any(n in self.headers for n in between):
            return None
        rows = [n for n in between if n in self.figures]
        if frag.line in self.figures:
            return None if rows or lab.rows else lab
        return None if len(rows) > 1 or (rows and lab.rows) else lab

    def rows(self, path: str) -> list[list[Cell]]:
        placed: dict[int, list[_Label]] = {n: [] for n in self.figures}
        loose: list[_Label] = []
        labels = self.labels()
        for lab in sorted(labels, key=lambda lab: not lab.rows):
            row = lab.rows[0] if lab.rows else self._neighbour(lab, placed)
            if row is None:
                loose.append(lab)
            else:
                placed[row].append(lab)
        first, last = min(self.figures), max(self.figures)
        out: list[tuple[int, list[Cell]]] = []
        for n, labs in placed.items():
            cells = [_cell(lab, path) for lab in sorted(labs, key=lambda lab: lab.x)]
            out.append((n, cells + [cell(f.text, path, f.line) for f in self.figures[n]]))
        for lab in loose:
            if first < lab.parts[0].line < last:
                out.append((lab.parts[0].line, [_cell(lab, path)]))
        return [cells for _, cells in sorted(out, key=lambda item: item[0])]

    def _neighbour(self, lab: _Label, placed: dict[int, list[_Label]]) -> int | None:
        """The number line a label without one of its own belongs to: the one it spans, or right below, or above."""
        top, bottom = lab.parts[0].line, lab.parts[-1].line
        spanned = [n for n in self.figures if top < n < bottom]
        i, j = self.order[top], self.order[bottom]
        nearby = [self.content[j + 1]] if j + 1 < len(self.content) else []
        nearby += [self.content[i - 1]] if i > 0 else []
        for n in spanned + nearby:
            if n in self.figures and self._free(lab, n, placed[n]):
                return n
        return None

    def _free(self, lab: _Label, n: int, taken: list[_Label]) -> bool:
        """The label fits left of the line's figures and overlaps no label already there."""
        if lab.end > self.figures[n][0].x:
            return False
        return all(other.end <= lab.x or lab.end <= other.x for other in taken)


def _cell(lab: _Label, path: str) -> Cell:
    text = ("" if lab.vertical else "\n").join(p.text for p in lab.parts)
    return cell(text, path, lab.parts[0].line)


def read_tables(lines: Sequence[str], path: str, start: int = 1, end: int | None = None) -> list[Table]:
    """One table per region that holds number lines: its rows from the first number line to the last."""
    end = len(lines) if end is None else end
    layout = _Layout(lines, start, end)
    if not layout.figures:
        return []
    return tables([layout.rows(path)])
