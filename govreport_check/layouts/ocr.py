"""Scanned pages and table images, read offline by OCR (the optional `ocr` extra: rapidocr-onnxruntime, whose wheel
ships its Chinese models, and OpenCV, which comes with it).

Report tables are ruled, so a table's structure is taken from its ruling lines, not from where the text falls:
the page is straightened by the tilt of its long horizontal lines, lines are found by morphology, the grid is cut
at every line position, and two neighbouring grid cells with no line between them are one merged cell. Each
cell's text lines are found from the ink between the lines and recognised crop by crop (many crops side by side in
one strip, each decoded from the recogniser's steps under it), so a `0` the text detector would miss, or two
figures it would read as one across a line (`0|0` → `olo`), are still cells of their own. The text around tables
goes through the detector and its boxes are joined into lines by vertical overlap, top to bottom. A table drawn
without any ruling lines is not recognised as a table: its rows come out as text lines.

Everything that follows (stitching a table across pages, template matching) is the PDF reader's: a page gives
the same text lines and `_Grid`s a PDF page with a text layer gives, in points, with each cell's OCR score and box.
"""

from __future__ import annotations

import io
import statistics
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from govreport_check.errors import InputError
from govreport_check.layouts.grid import Span, check_size, clean, is_figure
from govreport_check.model import Loc
from govreport_check.read import MB, check_bytes, limit

INSTALL = '读取扫描件或图片需要安装可选组件：pip install "govreport-check[ocr]"'
DPI = 150  # scanned PDF pages are rendered at this resolution: every cell of our scans is read right from 150 on
MAX_IMAGE_BYTES = limit("MAX_IMAGE_BYTES", 64 * MB)  # a page scanned at 600 dpi is a few MB
MAX_IMAGE_PIXELS = limit("MAX_IMAGE_PIXELS", 40_000_000)  # per page: A4 at 600 dpi is 35 million
MAX_IMAGE_PAGES = limit("MAX_IMAGE_PAGES", 100)  # frames of one TIFF; each costs ~10 s of OCR
PAGE_BUDGET_S = 30.0  # added to a file's --timeout for each page OCR'd: a page takes 4-10 s here
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

# Sizes in points (1/72 inch), turned into pixels by the page's scale. No horizontal stroke of body text is as long
# as a ruling line (under 16 pt), and table rows are taller than 12 pt.
_H_LINE = 20.0  # shortest horizontal ruling line
_V_LINE = 6.0  # shortest vertical ruling line (shorter strokes of print are told from rules by where they end)
_LONG_STROKE = 24.0  # no stroke of print is this long: a rule meeting a line at one end only is still a rule
_OPEN_ROW = 8.0  # rules running this far past a table's last line close a row the page break left open
_LINE_GAP = 3.0  # a break in a ruling line bridged (a faint scan)
_SAME_LINE = 3.0  # line positions this close are one line
_MIN_TABLE = 40.0  # a table is at least this wide and tall
_TEXT_SCORE = 0.3  # detector boxes outside tables recognised with a lower score are dropped as noise


@dataclass(frozen=True)
class Page:
    """One page as pixels: `gray` a 2-D uint8 array, `scale` pixels per point."""

    number: int
    gray: object
    scale: float


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def require(path: str | Path) -> None:
    if not available():
        raise InputError(INSTALL, path)


@lru_cache(maxsize=1)
def _engine():
    """One engine a process: loading its three models takes a quarter of a second."""
    import logging

    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine


def read_image(path: Path, data: bytes, tables_only: bool = False) -> list[list]:
    """A picture file's pages (frames of a TIFF), as page items for the PDF reader's assembly; with `tables_only`,
    only the pages ruled like a table are read (a picture in a web page may be a logo)."""
    require(path)
    check_bytes(len(data), MAX_IMAGE_BYTES, "图片文件", path)
    pages = [p for p in _frames(path, data) if not tables_only or ruled(p)]
    return read_pages(path, pages, len(pages))


def ruled(page: Page) -> bool:
    """Whether the page holds a ruled table, told from its lines alone (tens of milliseconds, no OCR)."""
    lines = _Lines(_ink(page.gray), page.scale)
    return any(_grid(lines, box) is not None for box in lines.tables())


def _frames(path: Path, data: bytes):
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi", (0, 0))[0] or 0
            for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if n > MAX_IMAGE_PAGES:
                    raise InputError(f"图片超过上限 {MAX_IMAGE_PAGES} 页：不像一份年度报告", path)
                w, h = frame.size
                if w * h > MAX_IMAGE_PIXELS:
                    raise InputError(f"图片过大（{w} × {h} 像素，上限 {MAX_IMAGE_PIXELS:,} 像素）：不像年度报告", path)
                gray = np.array(frame.convert("L"))
                # a scanner's dpi where it says one; else a page of A4 width (595 pt) across the picture
                scale = float(dpi) / 72 if 50 <= float(dpi) <= 1200 else w / 595
                yield Page(n, gray, scale)
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"无法读取图片：已损坏或格式不受支持（{type(exc).__name__}: {exc}）", path) from None
    except Image.DecompressionBombError:
        raise InputError(f"图片过大（上限 {MAX_IMAGE_PIXELS:,} 像素）：不像年度报告", path) from None


def render(pdf_page, number: int, dpi: int = DPI) -> Page:
    """A pypdfium2 page as gray pixels at `dpi`, lowered for a page so large it would pass MAX_IMAGE_PIXELS."""
    import numpy as np

    w, h = pdf_page.get_size()
    scale = dpi / 72
    if w * h * scale * scale > MAX_IMAGE_PIXELS:
        scale = (MAX_IMAGE_PIXELS / (w * h)) ** 0.5
    bitmap = pdf_page.render(scale=scale, grayscale=True)
    gray = np.ascontiguousarray(np.squeeze(bitmap.to_numpy()))
    if gray.ndim == 3:  # an older pypdfium2 gives BGR even when asked for gray
        import cv2

        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    return Page(number, gray, scale)


def read_pages(path: Path, pages: Iterable[Page], total: int) -> list[list]:
    """Each page's items, top to bottom, with a progress bar on a terminal."""
    from govreport_check.batch import more_time

    require(path)
    with _progress(total, path) as advance:
        out = []
        for page in pages:
            more_time(PAGE_BUDGET_S)  # a long scan is slow, not stuck: each page earns its own time in a batch
            out.append(page_items(page, str(path)))
            advance()
    return out


@contextmanager
def _progress(total: int, path: Path):
    """A bar per page on stderr when it is a terminal and the work is long enough to wait for."""
    batch = sys.modules.get("govreport_check.batch")  # not imported for it: a library caller has no batch
    if total < 1 or not sys.stderr.isatty() or not getattr(batch, "page_bars", True):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("识别 {task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("页"),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(Path(path).name, total=total)
        yield lambda: bar.advance(task)


def page_items(page: Page, path: str) -> list:
    """The page's text lines and tables, top to bottom, as (top in points, str or _Grid)."""
    import cv2
    import numpy as np

    from govreport_check.layouts.pdf import _PAGE_NUMBER

    gray = page.gray
    if int(gray.min()) > 160:  # nothing printed: a blank page or a page's back
        return []
    ink = _ink(gray)
    angle = _tilt(ink, page.scale)
    if abs(angle) > 0.05:
        h, w = gray.shape
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        gray = cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        ink = _ink(gray)
    lines = _Lines(ink, page.scale)
    grids = [g for g in (_grid(lines, box) for box in lines.tables()) if g is not None]
    ruled = np.zeros_like(ink)
    for grid in grids:  # lines are taken out of tables only: a large title's strokes are as long as a rule
        x0, y0, x1, y1 = grid.box
        ruled[y0:y1 + 1, x0:x1 + 1] = lines.dilated[y0:y1 + 1, x0:x1 + 1]
    clean_gray = gray.copy()
    clean_gray[ruled > 0] = 255
    text_ink = _faint(gray)
    text_ink[ruled > 0] = 0
    runs = {(g, s): _runs(text_ink, cell.inner, page.scale) for g, grid in enumerate(grids)
            for s, cell in enumerate(grid.cells)}
    line = median([b - a for found, _ in runs.values() for a, b in found], 1.0)
    crops, owners = [], []
    for g, grid in enumerate(grids):
        for s, cell in enumerate(grid.cells):
            for band in _bands(*runs[(g, s)], cell.inner, line):
                crops.append(_crop(clean_gray, band, cell.inner))
                owners.append((g, s, band))
    texts = _recognise(crops)
    outside = clean_gray.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.box
        outside[y0:y1 + 1, x0:x1 + 1] = 255
    items: list = []
    for top, text in _text_lines(outside, page.scale):
        if not _PAGE_NUMBER.match(text):
            items.append((top, text))
    found: dict[tuple[int, int], list] = {}
    for (g, s, _), read in zip(owners, texts):
        found.setdefault((g, s), []).append(read)
    for g, grid in enumerate(grids):
        items.append((grid.box[1] / page.scale, grid.result(found, g, page, path)))
    return [item for _, item in sorted(items, key=lambda p: p[0])]


def _ink(gray):
    """Printed pixels as 255, Otsu picking the threshold. Not smoothed first: a median filter would take out the
    one-pixel strokes of small print (一) with the noise; specks are dropped where cells are read."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _faint(gray):
    """Printed pixels as 255 down to half-way between Otsu's threshold and the paper: the thin strokes of small
    print (一) come out lighter than the threshold in a blurred scan."""
    import cv2
    import numpy as np

    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    paper = float(np.percentile(gray, 75))
    return np.where(gray < (otsu + paper) / 2, 255, 0).astype(np.uint8)


def _tilt(ink, scale: float) -> float:
    """Degrees the page is turned, from the slope of its long horizontal lines (0 when it has none)."""
    import cv2
    import numpy as np

    length = max(int(_H_LINE * scale), 8)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(across, connectivity=8)
    slopes, weights = [], []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < 100 * scale or h > w / 10:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        slopes.append(float(np.polyfit(xs, ys, 1)[0]))
        weights.append(w)
    if not slopes:
        return 0.0
    order = sorted(range(len(slopes)), key=slopes.__getitem__)
    half, seen = sum(weights) / 2, 0
    for i in order:  # the length-weighted median
        seen += weights[i]
        if seen >= half:
            return float(np.degrees(np.arctan(slopes[i])))
    return 0.0


class _Lines:
    """The page's horizontal and vertical ruling lines, as masks and as segments."""

    def __init__(self, ink, scale: float):
        import cv2

        self.scale = scale
        h_len, v_len = max(int(_H_LINE * scale), 8), max(int(_V_LINE * scale), 6)
        gap = max(int(_LINE_GAP * scale), 2)
        rect = cv2.getStructuringElement
        across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (h_len, 1)))
        self.across = cv2.morphologyEx(across, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (gap, 1)))
        self.slack = max(3, int(1.5 * scale))  # how far off a line's centre its pixels may lie
        down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, v_len)))
        down = cv2.morphologyEx(down, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (1, gap)))
        # A rule runs from line to line; a stroke of large print (本, 1) ends inside its cell.
        self.down = self._joined(down, self.across, vertical=True, alone=int(_LONG_STROKE * scale))
        self.across = self._joined(self.across, self.down, vertical=False, alone=int(_LONG_STROKE * scale),
                                   solo=int(3 * _H_LINE * scale))
        both = cv2.bitwise_or(self.across, self.down)
        self.dilated = cv2.dilate(both, rect(cv2.MORPH_RECT, (3, 3)))

    def _joined(self, mask, other, vertical: bool, alone: int, solo: int | None = None):
        """The segments of `mask` whose both ends meet a line of `other`, or one end when at least `alone` long (a
        table cut by the page break has no bottom rule), or neither when at least `solo` long (a table may have no
        side rules); the rest are print."""
        import cv2
        import numpy as np

        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        s = self.slack
        keep = np.zeros(n, dtype=bool)
        for i in range(1, n):
            x, y, w, h, _ = stats[i]
            if vertical:
                ends = [other[max(y - s, 0):y + s + 1, max(x - s, 0):x + w + s], other[max(y + h - 1 - s, 0):y + h + s,
                                                                                      max(x - s, 0):x + w + s]]
            else:
                ends = [other[max(y - s, 0):y + h + s, max(x - s, 0):x + s + 1], other[max(y - s, 0):y + h + s,
                                                                                      max(x + w - 1 - s, 0):x + w + s]]
            met, length = sum(bool(e.any()) for e in ends), h if vertical else w
            keep[i] = met == 2 or (met == 1 and length >= alone) or (solo is not None and length >= solo)
        return np.where(keep[labels], 255, 0).astype(np.uint8)

    def tables(self) -> list[tuple[int, int, int, int]]:
        """Boxes (x0, y0, x1, y1) of the connected line drawings big enough to be tables."""
        import cv2

        n, _, stats, _ = cv2.connectedComponentsWithStats(self.dilated, connectivity=8)
        least = _MIN_TABLE * self.scale
        return [(x, y, x + w - 1, y + h - 1) for x, y, w, h, _ in (stats[i] for i in range(1, n))
                if w >= least and h >= least / 2]

    def positions(self, box: tuple[int, int, int, int]) -> tuple[list[int], list[int]]:
        """Rows' and columns' line positions inside `box`, near positions merged."""
        import cv2

        x0, y0, x1, y1 = box
        ys, xs, ends = [], [], []
        for mask, out, along in ((self.across, ys, 0), (self.down, xs, 1)):
            sub = mask[y0:y1 + 1, x0:x1 + 1]
            n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
            for i in range(1, n):
                x, y, w, h, _ = stats[i]
                if along == 0 and w >= _H_LINE * self.scale:
                    out.append((y0 + y + h / 2, w))
                elif along == 1 and h >= _V_LINE * self.scale:
                    out.append((x0 + x + w / 2, h))
                    ends += [y0 + y, y0 + y + h - 1]
        ys = _merged(ys, _SAME_LINE * self.scale)
        if ys and ends:  # a table cut by the page break: its columns' rules run on past its last line
            if max(ends) - ys[-1] > _OPEN_ROW * self.scale:
                ys.append(max(ends))
            if ys[0] - min(ends) > _OPEN_ROW * self.scale:
                ys.insert(0, min(ends))
        return ys, _merged(xs, _SAME_LINE * self.scale)

    def vertical_between(self, x: int, ya: int, yb: int) -> bool:
        return _covered(self.down[ya:yb, max(x - self.slack, 0):x + self.slack + 1], axis=1)

    def horizontal_between(self, y: int, xa: int, xb: int) -> bool:
        return _covered(self.across[max(y - self.slack, 0):y + self.slack + 1, xa:xb], axis=0)


def _merged(found: list[tuple[float, int]], tolerance: float) -> list[int]:
    """Positions within `tolerance` of each other as one, at their length-weighted mean."""
    out: list[list[float]] = []
    for pos, weight in sorted(found):
        if out and pos - out[-1][2] <= tolerance:
            out[-1][0] += pos * weight
            out[-1][1] += weight
            out[-1][2] = pos
        else:
            out.append([pos * weight, weight, pos])
    return [round(total / weight) for total, weight, _ in out]


def _covered(band, axis: int) -> bool:
    """A line runs along most of the band (a gap in a faint scan does not split a merged cell)."""
    inner = band[2:-2] if axis == 1 else band[:, 2:-2]
    return inner.size > 0 and float(inner.any(axis=axis).mean()) > 0.5


@dataclass(frozen=True)
class _Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    inner: tuple[int, int, int, int]  # pixels inside its lines: x0, y0, x1, y1 (exclusive)
    outer: tuple[int, int, int, int]  # its rectangle, lines included


@dataclass(frozen=True)
class _Table:
    box: tuple[int, int, int, int]
    xs: list[int]
    cells: list[_Cell]

    def result(self, found: dict, g: int, page: Page, path: str):
        """The table as the PDF reader's `_Grid`: cell text lines top to bottom, the lowest score kept."""
        from govreport_check.layouts.pdf import MAX_HEADER_ROWS, _Grid, _texts

        rows = max((c.row + c.rowspan for c in self.cells), default=0)
        check_size(rows, len(self.xs) - 1, path)
        read = [found.get((g, s), []) for s in range(len(self.cells))]
        texts = [_tidy(clean("\n".join(r.text for r in lines))) for lines in read]
        scores = [min((r.score for r in lines), default=None) if text else None for lines, text in zip(read, texts)]
        for s in _figures_misread(self.cells, texts):
            digits = "".join(r.digits for r in read[s])
            if digits:
                texts[s], scores[s] = digits, min(r.digit_score for r in read[s])
        spans = []
        for cell, text, score in zip(self.cells, texts, scores):
            box = tuple(round(v / page.scale, 1) for v in cell.outer)
            spans.append(Span(text, Loc(path, page=page.number, row=cell.row + 1), cell.row, cell.col,
                              cell.rowspan, cell.colspan, score, box))
        grid = _Grid(spans, [Loc(path, page=page.number, row=r + 1) for r in range(rows)],
                     [round(x / page.scale, 1) for x in self.xs[:-1]])
        grid.header = [_texts(grid, r) for r in range(min(MAX_HEADER_ROWS, rows))]
        return grid


_SPECKS = ".,。，、·'`\""  # a speck of dirt or a rule's remnant beside a figure reads as one of these


def _tidy(text: str) -> str:
    """A figure with a speck read beside it (`0.`, `·12`) as the figure alone."""
    bare = text.strip(_SPECKS)
    return bare if bare != text and bare and is_figure(bare) else text


def _figures_misread(cells: list[_Cell], texts: list[str]) -> list[int]:
    """Cells read as a letter or two (`D`, `E`, `口` for a blurred 0) where a figure belongs: on a row with figures
    of its own, in a column of figures or after the row's first figure. They are read again among figure characters, with
    the score that reading has (low, so the cell is reported and never the sure target of a suggestion)."""
    from collections import Counter

    figures = [bool(t) and is_figure(t) for t in texts]
    filled, counted = Counter(), Counter()
    for cell, text, figure in zip(cells, texts, figures):
        if cell.colspan == 1 and text:
            filled[cell.col] += 1
            counted[cell.col] += figure
    columns = {c for c, n in filled.items() if n >= 3 and counted[c] >= 0.5 * n}
    rows = Counter(cell.row for cell, figure in zip(cells, figures) if figure)
    first: dict[int, int] = {}  # each row's first figure: a row's label never follows its figures
    for cell, figure in zip(cells, figures):
        if figure:
            first[cell.row] = min(first.get(cell.row, cell.col), cell.col)
    return [s for s, (cell, text, figure) in enumerate(zip(cells, texts, figures))
            if text and not figure and len(text) <= 3 and cell.colspan == 1 and rows[cell.row] >= 2
            and (cell.col in columns or cell.col > first[cell.row])]


def _grid(lines: _Lines, box: tuple[int, int, int, int]) -> _Table | None:
    """The cells of the ruled drawing in `box`: grid cells joined where no line parts them."""
    ys, xs = lines.positions(box)
    if len(ys) < 2 or len(xs) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not lines.vertical_between(xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not lines.horizontal_between(ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    pad = 1  # the lines themselves are whitened before cells are read
    cells = []
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members) + 1
        c0, c1 = min(c for _, c in members), max(c for _, c in members) + 1
        inner = (xs[c0] + pad, ys[r0] + pad, xs[c1] - pad, ys[r1] - pad)
        if inner[2] <= inner[0] or inner[3] <= inner[1]:
            continue
        cells.append(_Cell(r0, c0, r1 - r0, c1 - c0, inner, (xs[c0], ys[r0], xs[c1], ys[r1])))
    cells.sort(key=lambda c: (c.row, c.col))
    return _Table(box, xs, cells)


def _runs(text_ink, inner: tuple[int, int, int, int], scale: float) -> tuple[list[list[int]], object]:
    """Runs of pixel rows with ink inside a cell (specks of noise left out), and the mask they were read from."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = inner
    sub = text_ink[y0:y1, x0:x1]
    if not sub.any():
        return [], None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] > max(2.0, (0.35 * scale) ** 2)
    if not keep.any():
        return [], None
    mask = keep[labels]
    counts = mask.sum(axis=1)
    rows = np.flatnonzero(counts >= max(1, 0.1 * counts.max()))  # blur greys the rows between two lines
    runs, start = [], int(rows[0])
    for a, b in zip(rows, rows[1:]):
        if b > a + 1:
            runs.append([start, int(a) + 1])
            start = int(b)
    runs.append([start, int(rows[-1]) + 1])
    return runs, mask


def _bands(runs: list[list[int]], mask, inner: tuple[int, int, int, int], line: float) -> list[tuple[int, ...]]:
    """A cell's text lines as pixel boxes (x0, y0, x1, y1 exclusive), top to bottom: runs that together are no
    taller than a line of the table's text are one line (the three strokes of 三 alone on a line)."""
    import numpy as np

    if not runs:
        return []
    merged = [list(runs[0])]
    for a, b in runs[1:]:
        if b - merged[-1][0] <= 1.3 * line:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out = []
    for a, b in merged:
        cols = np.flatnonzero(mask[a:b].any(axis=0))
        out.append((inner[0] + int(cols[0]), inner[1] + a, inner[0] + int(cols[-1]) + 1, inner[1] + b))
    return out


def _crop(gray, band: tuple[int, int, int, int], inner: tuple[int, int, int, int]):
    """A line of a cell with a margin, as the recogniser likes it: a quarter of its height above and below."""
    import cv2

    x0, y0, x1, y1 = band
    h = y1 - y0
    my, mx = max(1, int(0.1 * h)), max(2, int(0.3 * h))
    top, left = max(y0 - my, inner[1]), max(x0 - mx, inner[0])
    crop = gray[top:min(y1 + my, inner[3]), left:min(x1 + mx, inner[2])]
    return cv2.copyMakeBorder(crop, my - (y0 - top), max(0, y1 + my - inner[3]), mx - (x0 - left),
                              max(0, x1 + mx - inner[2]), cv2.BORDER_CONSTANT, value=255)


_HEIGHT = 48  # the recogniser's input height
_STRIP = 960  # width of a strip of crops recognised at once (the recogniser's cost grows with width)
_GAP = 32  # white between two crops of a strip: four of the recogniser's steps
_BATCH = 6  # strips a run
_FIGURE_CHARS = frozenset("0123456789.-—/")


def _recognise(crops: list) -> list:
    """What each gray crop reads as (`_Read`). The recogniser pads every input to at least 320 × 48, so one figure alone
    costs as much as a line of text (~90 ms here); crops are laid side by side in strips with white between them,
    each strip recognised once, and each crop's text decoded from the recogniser's steps under it."""
    import cv2
    import numpy as np

    if not crops:
        return []
    rec = _engine().text_rec
    chars = rec.postprocess_op.character
    sized = []
    for crop in crops:
        h, w = crop.shape[:2]
        width = max(1, min(int(np.ceil(w * _HEIGHT / max(h, 1))), 4 * _STRIP))
        sized.append(cv2.resize(crop, (width, _HEIGHT), interpolation=cv2.INTER_LINEAR))
    order = sorted(range(len(sized)), key=lambda i: sized[i].shape[1])
    strips: list[list[int]] = [[]]
    used = 0
    for i in order:
        w = sized[i].shape[1] + _GAP
        if strips[-1] and used + w > _STRIP:
            strips.append([])
            used = 0
        strips[-1].append(i)
        used += w
    figures = np.array([0] + [k for k, ch in enumerate(chars) if ch in _FIGURE_CHARS], dtype=np.intp)
    out: list = [_Read("", 0.0, "", 0.0)] * len(crops)
    for first in range(0, len(strips), _BATCH):
        group = strips[first:first + _BATCH]
        widths = [sum(sized[i].shape[1] + _GAP for i in strip) + _GAP for strip in group]
        width = max(widths)
        batch = np.full((len(group), _HEIGHT, width), 255, dtype=np.uint8)
        places = []
        for b, strip in enumerate(group):
            x = _GAP
            for i in strip:
                w = sized[i].shape[1]
                batch[b, :, x:x + w] = sized[i]
                places.append((b, i, x, x + w))
                x += w + _GAP
        tensor = np.repeat(((batch.astype(np.float32) / 255 - 0.5) / 0.5)[:, None], 3, axis=1)
        preds = rec.session(tensor)[0]
        best = preds.argmax(axis=2)
        for members in _folds(tuple(chars)):  # ０ and 0 are one figure: their shares of a step are added up
            preds[..., members] = preds[..., members].sum(axis=-1, keepdims=True)
        step = width / preds.shape[1]
        prob = np.take_along_axis(preds, best[..., None], axis=2)[..., 0]
        for b, i, a, z in places:
            lo, hi = max(0, int((a - _GAP / 2) // step)), int(np.ceil((z + _GAP / 2) / step))  # a peak may lead
            text, score = _decode(best[b, lo:hi], prob[b, lo:hi], chars)
            narrow = preds[b, lo:hi][:, figures]  # the same steps read as a figure, for cells where one belongs
            digits, digit_score = _decode(figures[narrow.argmax(axis=1)], narrow.max(axis=1), chars)
            out[i] = _Read(text, score, digits, digit_score)
    return out


@lru_cache(maxsize=1)
def _folds(chars: tuple[str, ...]) -> list:
    """The recogniser's classes that are one character after NFKC (full-width and half-width forms), in groups."""
    import numpy as np

    from govreport_check.normalize import nfkc

    groups: dict[str, list[int]] = {}
    for k, ch in enumerate(chars):
        if k:
            groups.setdefault(nfkc(ch), []).append(k)
    return [np.array(g, dtype=np.intp) for g in groups.values() if len(g) > 1]


def _decode(idx, prob, chars) -> tuple[str, float]:
    """CTC: repeated steps are one character, blanks (class 0) none; the score is the mean of the kept steps'."""
    keep = idx != 0
    keep[1:] &= idx[1:] != idx[:-1]
    return "".join(chars[k] for k in idx[keep]), float(prob[keep].mean()) if keep.any() else 0.0


@dataclass(frozen=True)
class _Read:
    """What the recogniser read in one crop, and what it read there among figure characters only."""

    text: str
    score: float
    digits: str
    digit_score: float


def _text_lines(gray, scale: float) -> list[tuple[float, str]]:
    """The detector's boxes outside tables, joined into lines by vertical overlap, left to right; a wide gap
    between two boxes of one line is kept as a space."""
    import cv2

    found, _ = _engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), use_cls=False)
    boxes = []
    for points, text, score in found or ():
        if float(score) < _TEXT_SCORE or not str(text).strip():
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(ys), max(ys), min(xs), max(xs), str(text).strip()))
    boxes.sort()
    lines: list[list] = []
    for top, bottom, left, right, text in boxes:
        line = next((ln for ln in lines if min(bottom, ln[1]) - max(top, ln[0]) > 0.5 * min(bottom - top,
                                                                                             ln[1] - ln[0])), None)
        if line is None:
            lines.append([top, bottom, [(left, right, text)]])
        else:
            line[0], line[1] = min(line[0], top), max(line[1], bottom)
            line[2].append((left, right, text))
    out = []
    for top, bottom, parts in lines:
        parts.sort()
        height = bottom - top
        text = parts[0][2]
        for (_, prev_right, _), (left, _, part) in zip(parts, parts[1:]):
            text += (" " if left - prev_right > 1.5 * height else "") + part
        out.append((top / scale, text))
    return out


def median(values: list[float], default: float = 0.0) -> float:
    return statistics.median(values) if values else default
