"""PDFs with a text layer, read with pdfplumber (the optional `pdf` extra).

Each page gives ruled tables and the text around them, in top-to-bottom order. A table cut by a page break
is stitched back: the next page's copy of the header rows is dropped, a row split in two by the break (a label
wrapped onto the next page with no figures of its own) is merged back, and a merged label cell split by the
break (`（四）无` / `法提供`) becomes one cell again. Page numbers between pages are dropped. Locations are
第P页 第R行, R counting the rows of that page's table.

A page without a usable text layer (a scan: pictures and next to no text, or glyphs that map to no characters) is
rendered with pypdfium2 and read by OCR (layouts/ocr.py, the `ocr` extra); it gives the same lines and tables.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

from govreport_check.errors import InputError
from govreport_check.layouts.grid import Builder, Span, check_size, clean, expand, is_enumerated, is_number
from govreport_check.model import Document, Loc
from govreport_check.read import MB, check_bytes, limit

MAX_PDF_BYTES = limit("MAX_PDF_BYTES", 128 * MB)  # a report with photos is a few MB
MAX_PAGES = limit("MAX_PDF_PAGES", 300)  # reports run to 5–30 pages; more is a compilation or a hostile file
# pdfminer is pure Python: a 1 KB file can inflate to gigabytes or hold a million operators (~30 µs each), so what
# one PDF may cost is counted where the work happens. Real reports use under a tenth of each.
MAX_PDF_UNPACKED_BYTES = limit("MAX_PDF_UNPACKED_BYTES", 64 * MB)  # all streams, decompressed
MAX_PDF_TOKENS = limit("MAX_PDF_TOKENS", 400_000)  # content-stream tokens interpreted, forms and glyphs included
MAX_PDF_OBJECTS = limit("MAX_PDF_OBJECTS", 100_000)  # characters and paths drawn: ~1 KB and ~0.1 ms each
MAX_PDF_TOKEN_BYTES = limit("MAX_PDF_TOKEN_BYTES", 1 * MB)  # one comment, string, line or inline image
_INFLATE_CHUNK = 64 * 1024
MAX_PAGE_GRAPHICS = 10_000  # ruling lines and boxes on one page; above this its tables are not searched
# pdfplumber's table finder compares every pair of ruling lines, then every intersection with the rest, then reads
# each row against every character of the page: a 2 KB page ruled into a 200×200 grid took 49 s. Its work is
# counted before each step, against what the whole PDF may spend; a page that would overspend is read as text
# lines, its tables not searched. Each budget is about a second of work; a real report spends under a twentieth
# of each (in all about 1,300 pairs of lines, 66,000 squared intersections, 8,500 corners, 48,000 comparisons).
MAX_PDF_LINE_PAIRS = limit("MAX_PDF_LINE_PAIRS", 500_000)  # horizontal × vertical ruling lines, ~2 µs each
MAX_PDF_POINTS_SQUARED = limit("MAX_PDF_POINTS_SQUARED", 20_000_000)  # intersections², ~35 ns each
MAX_PDF_CORNERS = limit("MAX_PDF_CORNERS", 200_000)  # corner pairs a cell may close on, ~9 µs each
MAX_PDF_ROW_SCANS = limit("MAX_PDF_ROW_SCANS", 5_000_000)  # table rows × characters on their page, ~0.3 µs each
MAX_HEADER_ROWS = 4  # header rows a continued table may repeat at the top of the next page
STITCH_TOLERANCE = 4.0  # points two pages' column lines may differ by and still be the same table
MIN_PAGE_CHINESE = 10  # Chinese characters a page's text layer has when it is the page's text, not a scan's stamp
MIN_GARBAGE = 30  # characters a text layer with almost no Chinese has when it is glyphs mapped to nothing

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–－\s]*$")
_INSTALL = '读取 PDF 需要安装可选组件：pip install "govreport-check[pdf]"'


@dataclass
class _Grid:
    """A ruled table found on one page, possibly grown by the pages it continues onto."""

    spans: list[Span]
    locs: list[Loc]  # one per grid row: the page and row it came from
    xs: list[float]  # left edge of every column, to recognise the same table on the next page
    header: list[tuple] = field(default_factory=list)  # texts of its first rows, to drop their repeats

    def row(self, r: int) -> list[Span]:
        return sorted((s for s in self.spans if s.row == r), key=lambda s: s.col)

    def owner(self, r: int, c: int) -> Span | None:
        return next((s for s in self.spans if s.row <= r < s.row + s.rowspan and s.col <= c < s.col + s.colspan),
                    None)


def read(path: Path, data: bytes, encoding: str | None = None) -> Document:
    try:
        import pdfplumber
    except ImportError:
        raise InputError(_INSTALL, path) from None
    check_bytes(len(data), MAX_PDF_BYTES, "PDF 文件", path)
    layers: list[str] = []
    pages = _scan(pdfplumber, path, data, layers)
    if not pages:
        raise InputError("PDF 没有任何页面：文件已损坏，或不是年度报告", path)
    scanned = [n for n, layer in enumerate(layers, start=1) if layer == "scan"]
    per_page = [items for _, items in pages]
    encoding = "pdf"
    if scanned:
        from govreport_check.layouts import ocr

        if ocr.available():
            found = ocr.read_pages(path, _rendered(data, scanned, path), len(scanned))
            for n, items in zip(scanned, found):
                per_page[n - 1] = items
            encoding = "ocr"
        elif "text" not in layers:
            raise InputError("PDF 没有文字层（可能是扫描件或图片）：" + ocr.INSTALL + "，或改用网页版、Word 版或带文字的 PDF",
                             path)
    if "text" not in layers and not scanned:
        raise InputError("PDF 没有文字层（可能是扫描件或图片）：无法读取表格，请改用网页版、Word 版或带文字的 PDF", path)
    return assemble(path, per_page, encoding, "pdf")


def assemble(path: Path, pages: list[list], encoding: str, layout: str) -> Document:
    """Pages' text lines and tables as one document, each table stitched onto the one it continues."""
    items: list = []
    for page_items in pages:
        _append(items, page_items)
    builder = Builder(path)
    for item in items:
        if isinstance(item, str):
            builder.text(item)
        else:
            builder.table(expand(item.spans, len(item.locs), lambda r, c, locs=item.locs: locs[r]))
    return builder.document(encoding, layout)


def _layer(page) -> str:
    """"text" where the page's text layer can be read; "scan" where OCR must read it: pictures over a fifth of
    the page and little text, or glyphs that map to no Chinese (a font without a ToUnicode map, `(cid:123)`);
    "empty" for a page with neither."""
    letters = [c["text"] for c in page.chars if not c["text"].isspace()]
    chinese = sum(1 for t in letters if any("\u4e00" <= ch <= "\u9fff" for ch in t))
    if chinese >= MIN_PAGE_CHINESE and chinese >= 0.2 * len(letters):
        return "text"
    if len(letters) >= MIN_GARBAGE:
        return "scan"
    width, height = float(page.width), float(page.height)
    pictured = sum(max(0.0, min(float(im["x1"]), width) - max(float(im["x0"]), 0.0)) *
                   max(0.0, min(float(im["bottom"]), height) - max(float(im["top"]), 0.0)) for im in page.images)
    if pictured >= 0.2 * width * height:
        return "scan"
    return "text" if letters else "empty"


def _rendered(data: bytes, numbers: list[int], path: Path):
    """The pages numbered, as pixels for OCR (pypdfium2, installed with pdfplumber), one at a time."""
    import pypdfium2

    from govreport_check.layouts import ocr

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium's own error types vary between versions
        raise InputError(f"无法读取 PDF：已损坏或格式不受支持（{type(exc).__name__}: {exc}）", path) from None
    try:
        for n in numbers:
            yield ocr.render(pdf[n - 1], n)
    finally:
        pdf.close()


def _scan(pdfplumber, path: Path, data: bytes, layers: list[str] | None = None) -> list[tuple[int, list]]:
    """Per page: (characters found, its text lines and tables top to bottom); each page's layer (see `_layer`) is
    appended to `layers`. pdfplumber errors become input errors."""
    layers = [] if layers is None else layers
    budget = _Budget()
    try:
        with _guarded(budget):
            from pdfminer.pdfpage import PDFPage

            pdf = pdfplumber.open(io.BytesIO(data))  # not `with`: its close() builds every page, however many
            if sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1)) > MAX_PAGES:
                raise InputError(f"PDF 超过上限 {MAX_PAGES} 页：不像一份年度报告", path)
            out = []
            for number, page in enumerate(pdf.pages, start=1):
                layers.append(_layer(page))
                out.append((len(page.chars), _page(page, number, str(path), budget)))
                page.close()
            return out
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises PSException, PDFPasswordIncorrect, KeyError … on damaged files
        causes = _causes(exc)
        spent = next((c for c in causes if isinstance(c, _Exhausted)), None)
        if spent is not None:
            raise InputError(str(spent), path) from None
        encrypted = any("password" in type(c).__name__.lower() for c in causes)
        detail = "已加密" if encrypted else f"已损坏或格式不受支持（{type(exc).__name__}: {exc}）"
        raise InputError(f"无法读取 PDF：{detail}", path) from None


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: pdfplumber re-raises pdfminer's errors as PdfminerException(error)."""
    out: list[BaseException] = []
    while exc is not None and exc not in out and len(out) < 10:
        out.append(exc)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
    return out


class _Exhausted(Exception):
    """pdfminer was stopped (a budget ran out, references loop); its message is the Chinese one the user sees."""


class _Budget:
    """What one PDF may still spend: decompressed bytes, content tokens, objects drawn, and table searching."""

    def __init__(self) -> None:
        self.left = {"unpacked": MAX_PDF_UNPACKED_BYTES, "tokens": MAX_PDF_TOKENS, "objects": MAX_PDF_OBJECTS,
                     "line_pairs": MAX_PDF_LINE_PAIRS, "points_squared": MAX_PDF_POINTS_SQUARED,
                     "corners": MAX_PDF_CORNERS, "row_scans": MAX_PDF_ROW_SCANS}

    def afford(self, **cost: int) -> bool:
        """Spend `cost` if all of it is left; otherwise spend nothing (the work is skipped, not stopped)."""
        if any(self.left[what] < n for what, n in cost.items()):
            return False
        for what, n in cost.items():
            self.left[what] -= n
        return True

    def spend(self, what: str, n: int = 1) -> None:
        self.left[what] -= n
        if self.left[what] < 0:
            self._stop({"unpacked": f"PDF 解压后超过 {MAX_PDF_UNPACKED_BYTES / MB:g} MB",
                        "tokens": f"PDF 页面内容超过 {MAX_PDF_TOKENS} 个指令",
                        "objects": f"PDF 含有超过 {MAX_PDF_OBJECTS} 个文字和图形"}[what])

    def check_token(self, size: int) -> None:
        if size > MAX_PDF_TOKEN_BYTES:
            self._stop(f"PDF 中有超过 {MAX_PDF_TOKEN_BYTES // 1024} KB 的单个注释、字符串、行或内嵌图像")

    @staticmethod
    def _stop(what: str):
        raise _Exhausted(f"{what}：可能已损坏或是恶意文件，不像一份年度报告")


@contextmanager
def _guarded(budget: _Budget):
    """pdfminer's decoders, content parser and pdfplumber's layout device, swapped for ones that charge `budget`
    while this PDF is read (module attributes, restored after; a name a later version lacks is left alone)."""
    import pdfminer.pdfdocument
    import pdfminer.pdfinterp
    import pdfminer.pdftypes
    import pdfplumber.page
    import pdfplumber.pdf
    from pdfminer.lzw import LZWDecoder
    from pdfminer.pdftypes import PDFObjRef
    from pdfminer.runlength import rldecode

    def inflate(data: bytes, *args) -> bytes:
        """What pdfminer (not strict) makes of a Flate stream: all of it; for a damaged one, what comes before a
        fault in the last 3 bytes (the checksum), or nothing. pdfminer's own salvage feeds one byte at a time onto
        a growing bytes object, quadratic: a 40 KB file took minutes. Here it is linear, and never raises."""
        inflater, out = zlib.decompressobj(*args), []
        for start in range(0, len(data), _INFLATE_CHUNK):
            before = inflater.copy()
            try:
                out.append(inflater.decompress(data[start:start + _INFLATE_CHUNK], budget.left["unpacked"] + 1))
            except zlib.error:
                return salvage(before, data, start, out)
            budget.spend("unpacked", len(out[-1]))
        return b"".join(out)

    def salvage(inflater, data: bytes, start: int, out: list[bytes]) -> bytes:
        for i in range(start, len(data)):
            try:
                out.append(inflater.decompress(data[i:i + 1], budget.left["unpacked"] + 1))
            except zlib.error:
                return b"".join(out) if i >= len(data) - 3 else b""
            budget.spend("unpacked", len(out[-1]))
        return b"".join(out)

    def inflater(*args):
        inner = zlib.decompressobj(*args)

        def decompress(data: bytes) -> bytes:
            out = inner.decompress(data, budget.left["unpacked"] + 1)
            budget.spend("unpacked", len(out))
            return out
        return SimpleNamespace(decompress=decompress)

    def lzw(data: bytes) -> bytes:
        out = []
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            budget.spend("unpacked", len(chunk))
            out.append(chunk)
        return b"".join(out)

    def run_length(data: bytes) -> bytes:
        budget.spend("unpacked", _run_length_size(data))
        return rldecode(data)

    def parser(base: type, content: bool = False) -> type:
        class Parser(base):
            """Counts the buffers read for one token or line: pdfminer grows a comment, string, line or inline image
            by concatenating 4 KB at a time, quadratic in its length (a 20 MB title took 40 s). In page content it
            also counts the tokens."""

            fills = 0

            def nexttoken(self):
                if content:
                    budget.spend("tokens")
                self.fills = 0
                return super().nexttoken()

            def nextline(self):
                self.fills = 0
                return super().nextline()

            def seek(self, pos):
                self.fills = 0
                return super().seek(pos)

            def fillbuf(self):
                if self.charpos >= len(self.buf):
                    self.fills += 1
                    budget.check_token(self.fills * self.BUFSIZ)
                return super().fillbuf()
        return Parser

    def resolver(resolve):
        def follow(ref, default=None):
            """A reference to a reference is followed here to its end: pdfminer's own loop (`resolve1`) never ends
            when they go round (`6 0 R` → `7 0 R` → `6 0 R`)."""
            seen: list[int] = []
            target = ref
            while isinstance(target, PDFObjRef):
                if target.objid in seen:
                    loop = [*seen[seen.index(target.objid):], target.objid]
                    shown = " → ".join(f"{n} 0 R" for n in (loop if len(loop) <= 6 else [*loop[:5], "…"]))
                    raise _Exhausted(f"PDF 中的对象引用形成循环（{shown}）：文件已损坏或是恶意文件")
                seen.append(target.objid)
                target = resolve(target, default)
            return target
        return follow

    def device(base: type) -> type:
        class Device(base):
            def render_char(self, *args, **kwargs):
                budget.spend("objects")
                return super().render_char(*args, **kwargs)

            def paint_path(self, *args, **kwargs):
                budget.spend("objects")
                return super().paint_path(*args, **kwargs)
        return Device

    swaps = [(pdfminer.pdftypes, "zlib", lambda _: SimpleNamespace(decompress=inflate, decompressobj=inflater,
                                                                   error=zlib.error)),
             (pdfminer.pdftypes, "lzwdecode", lambda _: lzw), (pdfminer.pdftypes, "rldecode", lambda _: run_length),
             (pdfminer.pdfinterp, "PDFContentParser", lambda base: parser(base, content=True)),
             (pdfplumber.pdf, "PDFParser", parser), (pdfminer.pdfdocument, "PDFStreamParser", parser),
             (pdfplumber.page, "PDFPageAggregatorWithMarkedContent", device), (PDFObjRef, "resolve", resolver)]
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # damaged files make pdfminer log a warning per object, in English, on stderr
    saved = []
    for module, name, make in swaps:
        if hasattr(module, name):
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, make(saved[-1][2]))
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
        quiet.setLevel(level)


def _run_length_size(data: bytes) -> int:
    """Bytes a RunLengthDecode stream expands to (up to 64 times its size), counted before expanding it."""
    size, i = 0, 0
    while i < len(data) and data[i] != 128:
        length = data[i]
        size += length + 1 if length < 128 else 257 - length
        i += length + 2 if length < 128 else 2
    return size


def _page(page, number: int, path: str, budget: _Budget) -> list:
    tables = _tables(page, budget)
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    placed = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()
              if not _PAGE_NUMBER.match(line["text"])]
    placed += [(t.bbox[1], _grid(t, number, path)) for t in tables]
    return [item for _, item in sorted(placed, key=lambda p: p[0])]


def _tables(page, budget: _Budget) -> list:
    """What `page.find_tables()` finds, its steps run only while the PDF can afford them (see MAX_PDF_LINE_PAIRS)."""
    from pdfplumber import table as finder

    if len(page.lines) + len(page.rects) + len(page.curves) > MAX_PAGE_GRAPHICS:
        return []
    settings = finder.TableSettings.resolve(None)
    # TableFinder() would run every step at once; its first, cheap one needs only these two attributes
    edges = finder.TableFinder.get_edges(SimpleNamespace(page=page, settings=settings))
    across = sum(1 for e in edges if e["orientation"] == "h")
    if not budget.afford(line_pairs=across * (len(edges) - across)):
        return []
    points = finder.edges_to_intersections(edges, settings.intersection_x_tolerance,
                                           settings.intersection_y_tolerance)
    if not budget.afford(points_squared=len(points) ** 2, corners=_corners(points)):
        return []
    tables = [finder.Table(page, cells) for cells in finder.cells_to_tables(finder.intersections_to_cells(points))]
    if not budget.afford(row_scans=len(page.chars) * sum(len(t.rows) + 1 for t in tables)):
        return []
    return tables


def _corners(points) -> int:
    """The (below, right) pairs pdfplumber tries as a cell's corners: for each intersection, those further down
    its column times those further along its row."""
    column, row = Counter(x for x, _ in points), Counter(y for _, y in points)
    pairs = 0
    for x, y in sorted(points):
        column[x] -= 1
        row[y] -= 1
        pairs += column[x] * row[y]
    return pairs


def _grid(table, number: int, path: str) -> _Grid:
    rows = table.rows
    texts = table.extract()
    xs = sorted({c[0] for c in table.cells})
    tops = [row.bbox[1] for row in rows]
    check_size(len(rows), len(xs), path)
    tol = 0.5
    spans = []
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            colspan = sum(1 for x in xs if box[0] - tol <= x < box[2] - tol)
            rowspan = sum(1 for t in tops if box[1] - tol <= t < box[3] - tol)
            spans.append(Span(clean(texts[r][c] or ""), Loc(path, page=number, row=r + 1), r, c,
                              max(rowspan, 1), max(colspan, 1)))
    grid = _Grid(spans, [Loc(path, page=number, row=r + 1) for r in range(len(rows))], xs)
    grid.header = [_texts(grid, r) for r in range(min(MAX_HEADER_ROWS, len(rows)))]
    return grid


def _texts(grid: _Grid, r: int) -> tuple:
    return tuple((s.col, s.text) for s in grid.row(r))


def _append(items: list, page_items: list) -> None:
    """Add a page's items, stitching its first table onto the previous page's last one when they line up."""
    if items and page_items and isinstance(items[-1], _Grid) and isinstance(page_items[0], _Grid):
        if _stitch(items[-1], page_items[0]):
            page_items = page_items[1:]
    items.extend(page_items)


def _same_columns(a: _Grid, b: _Grid) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= STITCH_TOLERANCE for x, y in zip(a.xs[1:], b.xs[1:]))


def _stitch(a: _Grid, b: _Grid) -> bool:
    if not _same_columns(a, b):
        return False
    repeated = next((k for k in range(min(len(a.header), len(b.locs)), 0, -1)
                     if any(t for _, t in a.header[0]) and [_texts(b, r) for r in range(k)] == a.header[:k]), 0)
    _drop_rows(b, repeated)
    if not b.locs:
        return True
    last, first = len(a.locs) - 1, b.row(0)
    if _is_phantom(a, last, first):
        _merge_row(a, last, first)
        _drop_rows(b, 1)
    else:
        _join_split_labels(a, b, last, first)
    offset = len(a.locs)
    a.spans.extend(replace(s, row=s.row + offset) for s in b.spans)
    a.locs.extend(b.locs)
    return True


def _drop_rows(grid: _Grid, k: int) -> None:
    if k:
        grid.spans = [replace(s, row=s.row - k) for s in grid.spans if s.row >= k]
        grid.locs = grid.locs[k:]


def _is_phantom(a: _Grid, last: int, first: list[Span]) -> bool:
    """The next page's first row is the rest of the previous page's last row, not a row of its own.

    Either it holds only wrapped label text (no figures, nothing that starts like a new label, nothing reaching
    into the figures' columns, so a 第二十条 heading row is not swallowed), or it fills exactly the cells the last
    row left empty.
    """
    filled = [s for s in first if s.text]
    if not filled:
        return False
    if not any(is_number(s.text) for s in filled) and not any(is_enumerated(s.text) for s in filled):
        figures = [s.col for s in a.row(last) if is_number(s.text)]
        return bool(figures) and all(s.col + s.colspan <= min(figures) for s in filled)
    owners = [a.owner(last, s.col) for s in filled]
    return all(t is None or not t.text for t in owners)


def _merge_row(a: _Grid, last: int, first: list[Span]) -> None:
    for s in first:
        t = a.owner(last, s.col)
        if t is None or t.col != s.col:
            a.spans.append(replace(s, row=last))
        else:
            _grow(a, t, s, rows=last - t.row + s.rowspan)


def _join_split_labels(a: _Grid, b: _Grid, last: int, first: list[Span]) -> None:
    """A label merged down several rows and cut by the page break continues in the next page's first row."""
    figures = [s.col for s in first if is_number(s.text)]
    for s in first:
        if figures and s.col >= min(figures):
            break
        t = a.owner(last, s.col)
        if t is None or (t.col, t.colspan) != (s.col, s.colspan) or is_number(t.text):
            continue
        if s.text and (is_number(s.text) or is_enumerated(s.text) or (s.rowspan == 1 and t.rowspan == 1)):
            continue
        _grow(a, t, s, rows=last - t.row + 1 + s.rowspan)
        b.spans.remove(s)


def _grow(a: _Grid, t: Span, s: Span, rows: int | None = None) -> None:
    """Append s's text to t (figures join without a break) and, if asked, stretch t down `rows` rows."""
    text = t.text + s.text if is_number(t.text + s.text) else "\n".join(x for x in (t.text, s.text) if x)
    a.spans[a.spans.index(t)] = replace(t, text=text, rowspan=rows or t.rowspan)
