"""Space-aligned columns, as `pdftotext -layout` writes a PDF table.

A line whose last cells (two or more spaces apart) are figures is a *number line*: one table row. Labels
are not always on it: a long label wraps above and below its number line, a merged label is printed one
character per line down the rows it spans, and a group label sits somewhere beside its rows. Text
fragments are therefore joined into labels by column first (same start column, each continuation no wider
than the line above it, never starting with a new numbering), and each label then goes to the number line
it spans, or failing that the number line right below or above it whose place for it is free. Page footers
(`— 5 —`, `第 3 页`) and running heads repeated by page breaks are dropped before any of this.

Figures go to columns by where they stand, not by counting: a blank cell prints nothing, so a row with fewer
figures than its table's fullest rows has each figure placed in the column it stands in, the others blank.
A table's rows are grouped by page (pdftotext lays out each page afresh) and the columns of a page are those
of its full rows; or, where fewer than two rows are full, the runs of all its rows' figures; or those of the
table's other pages, when they agree and the page's figures reach its first and last column; or the
bottom-level headings, when they name more columns than any row fills. Positions are counted in characters
(pdftotext gives each character one cell, CJK or not) or in display columns (a CJK character two wide: text
aligned by eye in a monospaced font); the document's tables show which (`_alignment`). A figure that stands
in no column or in two, text standing in a column, or a document whose figures are merely spaced apart, leaves
the row as found: the matcher then names it as a row whose figures it cannot place, and no figure moves into
another column.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import insort
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from govreport_check.layouts.cells import cell, enumerated, is_figure, is_title, tables
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
_HEADS = 8  # heading lines above a table's rows whose bottom-level headings may name its columns
CHARS, DISPLAY = 0, 1  # two ways to count a position on a line: characters, or display columns
_STRAY = 4  # half columns a column's figures may stray, on average, where columns are lined up


@dataclass(frozen=True)
class Fragment:
    """A run of text on one line, with single spaces inside and two or more around it."""

    text: str
    line: int
    x: int  # 0-based column of its first character
    col: int  # the same, in display columns (a CJK character is two wide)
    width: int  # display columns it takes

    @property
    def end(self) -> int:
        return self.x + len(self.text)

    def span(self, measure: int) -> tuple[int, int]:
        """[start, end) in characters or in display columns."""
        return (self.x, self.end) if measure == CHARS else (self.col, self.col + self.width)


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


def _width(text: str) -> int:
    """Display columns the text takes: a CJK character two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ch > "\u10ff" and unicodedata.east_asian_width(ch) in "WF")


def fragments(line: str, n: int, measure: bool = True) -> list[Fragment]:
    """A line's fragments; `0 0 0` and `label 12` (one space apart) are split into their figures. Without
    `measure` (scoring, which only asks what the line holds) display columns are not worked out."""
    out: list[Fragment] = []
    ascii_line = not measure or line.isascii()
    seen = [0, 0]  # characters and display columns up to the end of the last fragment made

    def frag(text: str, x: int) -> Fragment:
        if ascii_line:
            return Fragment(text, n, x, x, len(text))
        col = seen[1] + _width(line[seen[0]:x])
        width = _width(text)
        seen[:] = [x + len(text), col + width]
        return Fragment(text, n, x, col, width)

    for m in _FRAGMENT.finditer(line):
        text, x = m.group(), m.start()
        words = text.split(" ")
        if len(words) > 1 and all(is_figure(w) for w in words):
            for w in words:
                out.append(frag(w, x))
                x += len(w) + 1
            continue
        tail = _TRAILING_FIGURE.match(text)
        if tail and is_figure(tail["figure"]) and not is_figure(tail["label"]):
            out.append(frag(tail["label"], x))
            out.append(frag(tail["figure"], x + len(tail["label"]) + 1))
            continue
        out.append(frag(text, x))
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
               and len(ln.rsplit(None, 1)[-1]) <= _LONGEST_FIGURE
               and _is_number_line(fragments(ln.lstrip("\f"), n, measure=False)))


def _footers(lines: Sequence[str]) -> set[int]:
    return {n for n, ln in enumerate(lines, 1) if _FOOTER.match(ln)}


def _breaks(lines: Sequence[str], footers: set[int]) -> set[int]:
    """Lines where a page ends or begins: its footer, or a form feed."""
    return footers | {n for n, ln in enumerate(lines, 1) if ln.startswith("\f")}


def _skipped(lines: Sequence[str], footers: set[int], breaks: set[int]) -> set[int]:
    """Page footers, and running heads: one-piece text lines repeated in the document, standing by a page
    break. A table heading repeated on a new page is not dropped: it still parts the labels above and below."""
    keys = {n: " ".join(ln.split()) for n, ln in enumerate(lines, 1)}
    seen = Counter(keys.values())
    out = set(footers)
    edges = {b + d for b in breaks for d in range(-_PAGE_EDGE, _PAGE_EDGE + 1)}
    for n, ln in enumerate(lines, 1):
        if len(keys[n]) >= _REPEATED and seen[keys[n]] > 1 and n in edges:
            frags = fragments(ln, n)
            if len(frags) == 1 and not _figures(frags):
                out.add(n)
    return out


@dataclass(frozen=True)
class _Block:
    """Number lines that share one column grid: a table's rows under one heading, on one page."""

    rows: tuple[int, ...]
    heads: tuple[int, ...]  # heading lines above the rows, on the same page
    width: int  # the most figures a row of the table has, on any of its pages
    table: int  # which table of the region, counted from 0


class _Layout:
    """The lines of one region, read into number lines and labels."""

    def __init__(self, lines: Sequence[str], start: int, end: int, titled: bool = False):
        self.titled = titled  # section titles part tables (a whole document read at once)
        footers = _footers(lines)
        breaks = _breaks(lines, footers)
        skipped = _skipped(lines, footers, breaks)
        self.lines, self.start, self.end = lines, start, end
        self.breaks = {n for n in breaks if start <= n <= end}
        self.content = [n for n in range(start, end + 1) if lines[n - 1].strip() and n not in skipped]
        self.order = {n: i for i, n in enumerate(self.content)}
        self.blanks = [0]  # blank lines before start + i
        for n in range(start, end + 1):
            self.blanks.append(self.blanks[-1] + (not lines[n - 1].strip()))
        self.figures: dict[int, list[Fragment]] = {}
        self.lead: dict[int, list[Fragment]] = {}  # a number line's text before its figures
        self.headers: dict[int, list[Fragment]] = {}  # text lines reaching into the figures' columns: headings
        self.texts: list[Fragment] = []
        lined = {n: fragments(lines[n - 1].lstrip("\f"), n) for n in self.content}
        for n, frags in lined.items():
            if _is_number_line(frags):
                k = _figures(frags)
                self.figures[n] = frags[-k:]
                self.lead[n] = frags[:-k]
                self.texts.extend(frags[:-k])
        left = min((f[0].x for f in self.figures.values()), default=0)
        self.plain: dict[int, list[Fragment]] = {}  # text lines that are not headings
        for n, frags in lined.items():
            if n in self.figures or n == start:  # a region opens with its section's title, never a label
                continue
            if len(frags) > 1 and any(f.x >= left for f in frags):
                self.headers[n] = frags
            else:
                self.plain[n] = frags
                self.texts.extend(frags)
        self._block_of: dict[int, _Block] | None = None
        self._grids: dict[tuple[int, int], tuple[tuple[int, int], ...] | None] = {}

    def gap(self, above: int, below: int) -> int:
        """Content lines strictly between two lines."""
        return self.order[below] - self.order[above] - 1

    def blank_between(self, above: int, below: int) -> int:
        """Blank lines from `above` up to, not including, `below`."""
        return self.blanks[below - self.start] - self.blanks[above - self.start]

    def labels(self) -> list[_Label]:
        out: list[_Label] = []
        ends: dict[int, list[int]] = {}  # line → the labels whose last part is on it, oldest first
        for frag in sorted(self.texts, key=lambda f: (f.line, f.x)):
            i = self._continued(out, ends, frag)
            on_row = frag.line in self.figures
            if i is None:
                ends.setdefault(frag.line, []).append(len(out))
                out.append(_Label((frag,), (frag.line,) if on_row else ()))
            else:
                ends[out[i].parts[-1].line].remove(i)
                insort(ends.setdefault(frag.line, []), i)
                out[i] = out[i].plus(frag, on_row)
        return out

    def _continued(self, labels: list[_Label], ends: dict[int, list[int]], frag: Fragment) -> int | None:
        """The label this fragment wraps from, if any: the nearest one above in the same column. Only the lines
        within reach are looked at, so a long region costs no more per fragment than a short one."""
        at = self.order[frag.line]
        found = None
        for n in reversed(self.content[max(0, at - _REACH - 1):at]):
            found = next((i for i in ends.get(n, ()) if labels[i].parts[-1].x - _COLUMN_SLACK <= frag.x
                          <= labels[i].parts[-1].end), None)
            if found is not None:
                break
        if found is None:
            return None
        lab = labels[found]
        last = lab.parts[-1]
        if abs(last.x - frag.x) > _COLUMN_SLACK or self.gap(last.line, frag.line) > _REACH or enumerated(frag.text):
            return None
        if len(frag.text) > len(last.text) + 1 or self.blank_between(last.line, frag.line) > _BLANKS:
            return None
        if lab.vertical and len(frag.text) <= 2:
            return found
        between = self.content[self.order[last.line] + 1:self.order[frag.line]]
        if any(n in self.headers for n in between):
            return None
        rows = [n for n in between if n in self.figures]
        if frag.line in self.figures:
            return None if rows or lab.rows else found
        return None if len(rows) > 1 or (rows and lab.rows) else found

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
            out.append((n, cells + self.figure_cells(n, path)))
        for lab in loose:
            if first < lab.parts[0].line < last:
                out.append((lab.parts[0].line, [_cell(lab, path)]))
        return [cells for _, cells in sorted(out, key=lambda item: item[0])]

    def _neighbour(self, lab: _Label, placed: dict[int, list[_Label]]) -> int | None:
        """The number line a label without one of its own belongs to: the one it spans, or right below, or above."""
        top, bottom = lab.parts[0].line, lab.parts[-1].line
        i, j = self.order[top], self.order[bottom]
        spanned = [n for n in self.content[i + 1:j] if n in self.figures]
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

    def blocks(self) -> dict[int, _Block]:
        """Each number line's block. A heading line starts a new table, a page break a new block of the table
        (each page is laid out afresh); the headings above a block's first row go with it."""
        if self._block_of is None:
            groups: list[tuple[int, list[int], tuple[int, ...]]] = []
            table, heads, fresh, new_table = -1, [], True, True
            for n in range(self.start, self.end + 1):
                if n in self.breaks:
                    heads, fresh = [], True
                if n in self.headers:
                    heads.append(n)
                    new_table = True
                elif self.titled and n in self.plain and is_title(self.lines[n - 1]):
                    heads, new_table = [], True
                elif n in self.figures:
                    table += new_table
                    if fresh or new_table:
                        groups.append((table, [], tuple(heads[-_HEADS:])))
                        heads = []
                    groups[-1][1].append(n)
                    fresh = new_table = False
            widths: dict[int, int] = {}
            for t, rows, _ in groups:
                widths[t] = max(widths.get(t, 0), *(len(self.figures[r]) for r in rows))
            self._block_of = {}
            for t, rows, heads in groups:
                block = _Block(tuple(rows), heads, widths[t], t)
                self._block_of.update((r, block) for r in rows)
        return self._block_of

    def figure_cells(self, n: int, path: str) -> list[Cell]:
        """The number line's figures, each in the column it stands in, blank cells for the columns it leaves
        empty; as found when the row fills its columns, or when where a figure belongs cannot be told."""
        figs = self.figures[n]
        found = [cell(f.text, path, f.line) for f in figs]
        block = self.blocks()[n]
        if len(figs) == block.width and not block.heads:
            return found
        outcomes: dict[int, tuple[int, tuple[int, ...]] | None] = {}  # measure → (columns, each figure's)
        for m in (CHARS, DISPLAY):
            grid = self._grid(block, m)
            if grid is None:
                continue
            if len(figs) >= len(grid):
                outcomes[m] = (len(figs), tuple(range(len(figs))))
                continue
            falls = _fall(figs, grid, m)
            outcomes[m] = None if falls is None or self._occupied(n, grid, m) else (len(grid), falls)
        if all(o is None or o[0] == len(figs) for o in outcomes.values()):
            return found
        chosen = {outcomes[m] for m in _alignment(tuple(self.lines)) if m in outcomes}
        if len(chosen) != 1 or None in chosen:
            return found
        width, falls = chosen.pop()
        out = [cell("", path, n) for _ in range(width)]
        for i, c in zip(falls, found):
            out[i] = c
        return out

    def _grid(self, block: _Block, m: int) -> tuple[tuple[int, int], ...] | None:
        key = (block.rows[0], m)
        if key not in self._grids:
            self._grids[key] = self._make_grid(block, m)
        return self._grids[key]

    def _make_grid(self, block: _Block, m: int) -> tuple[tuple[int, int], ...] | None:
        """The columns' extents: the bottom-level headings', when they name more columns than any row fills
        and the rows' figures stand under them; else the block's own (`_columns`); None: no grid."""
        leaves = self._leaves(block, m)
        if len(leaves) > block.width:
            falls = [_fall(self.figures[r], leaves, m) for r in block.rows]
            # every row stands under the headings, and with rows enough to tell, every heading has figures
            if None not in falls and (len(block.rows) == 1 or len({i for f in falls for i in f}) == len(leaves)):
                return leaves
        return _columns(self, block, m) or self._borrowed(block, m)

    def _borrowed(self, block: _Block, m: int) -> tuple[tuple[int, int], ...] | None:
        """A page that shows too few columns of its own takes those of the table's other pages, when they
        agree and its figures fall into them reaching the first column and the last: a page laid out shifted
        would miss one end."""
        donors = [g for b in {b.rows: b for b in self.blocks().values()}.values()
                  if b.table == block.table and b is not block and (g := _columns(self, b, m)) is not None]
        if not donors:
            return None
        width = block.width
        if any(max(g[i][0] for g in donors) >= min(g[i][1] for g in donors) for i in range(width)):
            return None  # the pages' columns do not meet
        grid = tuple((min(g[i][0] for g in donors), max(g[i][1] for g in donors)) for i in range(width))
        if any(a[1] > b[0] for a, b in zip(grid, grid[1:])):
            return None
        falls = [_fall(self.figures[r], grid, m) for r in block.rows]
        if None in falls or not {0, width - 1} <= {i for f in falls for i in f}:
            return None
        return grid

    def _leaves(self, block: _Block, m: int) -> tuple[tuple[int, int], ...]:
        """Extents of the headings with no heading below them, right of every label from the headings down to
        the block's last row (信息内容 heads the labels, not a column). A lone word among the heading lines
        right of the labels is a heading too: one that spans two heading rows is printed between them."""
        if not block.heads:
            return ()
        top, first, last = (self.order[n] for n in (block.heads[0], block.rows[0], block.rows[-1]))
        rows = [f for n in self.content[first:last + 1] for f in self.plain.get(n, self.lead.get(n, ()))]
        after = max((f.span(m)[1] for f in rows if not is_figure(f.text)), default=0)  # a figure alone on a line
        # (its label wrapped above and below it) stands in a column, not among the labels
        lines = []
        for n in self.content[top:first]:
            frags = self.headers.get(n) or self.plain.get(n, ())
            if n in self.headers or all(f.span(m)[0] >= after for f in frags):
                lines.append(frags)
            else:
                after = max(after, *(f.span(m)[1] for f in frags))
        heads = [[f.span(m) for f in frags] for frags in lines]
        out = []
        for i, spans in enumerate(heads):
            below = [s for lower in heads[i + 1:] for s in lower]
            out += [(a, b) for a, b in spans if a >= after and not any(x < b and a < e for x, e in below)]
        return tuple(sorted(out))

    def _occupied(self, n: int, grid: tuple[tuple[int, int], ...], m: int) -> bool:
        """Text standing in the figures' columns (a word for a figure, a label run into them): placing the
        figures around it would be a guess."""
        return any(a < e and x < b for f in self.lead[n] for a, b in (f.span(m),) for x, e in grid)


def _fall(figs: Sequence[Fragment], grid: tuple[tuple[int, int], ...], m: int) -> tuple[int, ...] | None:
    """The column each figure stands in: the one extent it overlaps. None when a figure overlaps none or two,
    or two figures stand in one column."""
    out: list[int] = []
    for f in figs:
        a, b = f.span(m)
        hit = [i for i, (x, e) in enumerate(grid) if a < e and x < b]
        if len(hit) != 1 or (out and hit[0] <= out[-1]):
            return None
        out.append(hit[0])
    return tuple(out)


def _extents(rows: Sequence[Sequence[Fragment]], m: int) -> tuple[tuple[int, int], ...] | None:
    """Each column's reach over rows that fill every column; None when neighbouring columns overlap: the
    rows are not aligned in this measure."""
    spans = [[f.span(m) for f in row] for row in rows]
    ext = tuple((min(r[i][0] for r in spans), max(r[i][1] for r in spans)) for i in range(len(spans[0])))
    return None if any(a[1] > b[0] for a, b in zip(ext, ext[1:])) else ext


def _clusters(rows: Sequence[Sequence[Fragment]], width: int, m: int) -> tuple[tuple[int, int], ...] | None:
    """Columns as the runs of overlapping figures of all the rows; None unless there are `width` of them and
    no row has two figures in one (figures merely spaced apart smear into fewer, wider runs)."""
    out: list[list[int]] = []
    for a, b in sorted(f.span(m) for row in rows for f in row):
        if out and a < out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    grid = tuple((a, b) for a, b in out)
    if len(grid) != width or any(_fall(row, grid, m) is None for row in rows):
        return None
    return grid


def _columns(layout: "_Layout", block: _Block, m: int) -> tuple[tuple[int, int], ...] | None:
    """A block's columns: those of its full rows when two or more keep their figures in line, else the runs
    of all its rows' figures (a page where no row, or only one, fills every column)."""
    full = [layout.figures[r] for r in block.rows if len(layout.figures[r]) == block.width]
    if len(full) > 1:
        return _extents(full, m) if _spread(full, m) <= _STRAY * block.width else None
    return _clusters([layout.figures[r] for r in block.rows], block.width, m)


def _spread(rows: Sequence[Sequence[Fragment]], m: int) -> int:
    """How far the rows' figures stray from one column each, in half display columns or characters: 0 when
    they line up on the left, on the right or on the centre."""
    total = 0
    for i in range(len(rows[0])):
        spans = [row[i].span(m) for row in rows]
        starts, ends, mids = [a for a, _ in spans], [b for _, b in spans], [a + b for a, b in spans]
        total += min(2 * (max(starts) - min(starts)), 2 * (max(ends) - min(ends)), max(mids) - min(mids))
    return total


@lru_cache(maxsize=4)
def _alignment(lines: tuple[str, ...]) -> tuple[int, ...]:
    """The measures the document's columns line up in, shown by its tables (parted by headings, section
    titles and pages) whose figures keep to their columns in one measure and stray in the other, as when
    labels hold different numbers of CJK characters: characters for pdftotext, display columns for text
    aligned by eye. None shown (figures merely spaced apart, or no table can tell): nothing is placed by
    position. Both shown (a document pasted together): they must agree."""
    layout = _Layout(lines, 1, len(lines), titled=True)
    shown: set[int] = set()
    for block in {b.rows: b for b in layout.blocks().values()}.values():
        full = [layout.figures[r] for r in block.rows if len(layout.figures[r]) == block.width]
        if len(full) > 1:
            spread = [_spread(full, m) for m in (CHARS, DISPLAY)]
            shown |= {m for m in (CHARS, DISPLAY) if spread[m] <= _STRAY * block.width and spread[m] < spread[1 - m]}
        elif len(block.rows) > 1:
            fits = [_clusters([layout.figures[r] for r in block.rows], block.width, m) is not None
                    for m in (CHARS, DISPLAY)]
            shown |= {m for m in (CHARS, DISPLAY) if fits[m] and not fits[1 - m]}
    return tuple(sorted(shown))


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
