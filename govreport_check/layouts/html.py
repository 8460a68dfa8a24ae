"""Published web pages (.html, .htm, .mht): lxml, merged cells expanded, every cell at its source line.

Pages come from CMSs and from Word's "save as web page": cells wrap `<p><span>`, numbers are split across
spans, blanks are `&nbsp;` or `<o:p>`, the report sits in a layout table next to navigation and scripts.
Text is rendered the way a browser would show it (blocks on their own lines, inline pieces joined), and a
table that holds another table, or has a single column, is layout: its cells are read as ordinary blocks.
"""

from __future__ import annotations

import codecs
import email
import re
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.layouts.grid import MAX_COLS, Builder, Span, check_size, clean, expand
from govreport_check.meta import title_text
from govreport_check.model import Document, Loc
from govreport_check.read import MB, check_bytes, decode, limit, read_bytes

MAX_HTML_BYTES = limit("MAX_HTML_BYTES", 32 * MB)  # a report page is under 1 MB; past this lxml's tree gets expensive
CHARSET_WINDOW = 16 * 1024  # CMS pages put long <head>s before the <meta charset>
HEADLINE_SCAN = 400  # elements searched for the report's headline
HEADLINE_SOURCE_CHARS = 2_000  # a headline is at most 60 characters, however much whitespace its source wraps them in
MAX_CELL_CHARS = 400  # a table cell longer than this holds prose: its table is page layout, not figures

_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main menu ol p pre section summary table tbody td "
    "tfoot th thead tr ul".split()
)
_SKIP = frozenset(
    "script style noscript template head iframe object embed svg canvas select option button input textarea "
    "map nav".split()
)
_NAV = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|footer|share)(?:$|[\s_-])", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_YEAR = re.compile(r"20\d{2}\s*年")
_HEADINGS = "//body//*[self::h1 or self::h2 or self::h3 or self::p or (self::div and not(div or p or table or ul))]"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                    "gb_2312-80": "gb18030", "utf8": "utf-8", "unicode": "utf-16"}


def read(path: Path, data: bytes, encoding: str | None = None) -> Document:
    """`encoding`, when the user gives one, is obeyed strictly; otherwise see `_decode`."""
    import lxml.etree
    import lxml.html

    check_bytes(len(data), MAX_HTML_BYTES, "网页文件", path)
    data, declared = _unwrap_mht(data)
    text, used = decode(data, path, encoding) if encoding else _decode(data, path, declared)
    text = _XML_DECL.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.LxmlError) as exc:  # an empty or degenerate document
        raise InputError(f"无法解析网页：{exc}", path) from None
    builder = Builder(path)
    title = root.find(".//title")
    headline = _headline(root)
    if headline:
        builder.text(headline, title.sourceline if title is not None else 1)
    _Flow(builder, str(path)).block(root.find("body") if root.find("body") is not None else root)
    return builder.document(used, "html")


def _unwrap_mht(data: bytes) -> tuple[bytes, str | None]:
    """A .mht is a MIME message; its HTML part is the page. Returns (html bytes, charset the part declares)."""
    head = data[:CHARSET_WINDOW].lower()
    if b"mime-version" not in head or b"multipart/related" not in head:
        return data, None
    message = email.message_from_bytes(data)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    return data, None


def _decode(data: bytes, path: Path, charset: str | None) -> tuple[str, str]:
    """A BOM wins, then the charset the page declares, then the shared cascade (pages often lie about it)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-32 LE starts like UTF-16 LE
        return decode(data, path)
    if charset is None:
        m = _META_CHARSET.search(data[:CHARSET_WINDOW])
        charset = m.group(1).decode("ascii") if m else None
    if charset:
        charset = _CHARSET_ALIASES.get(charset.lower(), charset.lower())
        try:
            return decode(data, path, charset)
        except InputError:
            pass
    return decode(data, path)


def _headline(root) -> str | None:
    """The report's title, put on the <title>'s early source line: lines are laid out at their source lines, so
    a headline deep in a long page would otherwise sit where title and year detection never look.

    The <title> without the site name CMSs append (`…年度报告_某某市人民政府`) when it names a year, else the
    first heading or paragraph that does. A section heading is never the headline, though it may say 报告
    (六、其他需要报告的事项): moved to line 1, it would end section detection before the tables.
    """
    found = []
    title = root.find(".//title")
    if title is not None:
        found += [p for p in re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", title.text_content()) if title_text(p)]
    for el in root.xpath(_HEADINGS)[:HEADLINE_SCAN]:
        if any(_skipped(a, _tag(a)) for a in el.iterancestors()) or _skipped(el, _tag(el)):
            continue
        text = _short_text(el)
        if text and title_text(text):
            found.append(text)
    return next((t for t in found if _YEAR.search(t)), found[0] if found else None)


def _short_text(el) -> str | None:
    """The element's text, whitespace collapsed, or None when its source text is too long for a headline. Stops
    reading early: text_content() of a wrapper around the whole page, for each of HEADLINE_SCAN elements, took
    a 30 MB page 84 s."""
    pieces, size = [], 0
    for piece in el.itertext():
        size += len(piece)
        if size > HEADLINE_SOURCE_CHARS:
            return None
        pieces.append(piece)
    return " ".join("".join(pieces).split())


def _tag(el) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def _skipped(el, tag: str | None) -> bool:
    if tag is None or tag in _SKIP:
        return True
    if el.get("hidden") is not None or _HIDDEN.search(el.get("style") or ""):
        return True
    return bool(_NAV.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _rows(table) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(tr) -> list:
    return tr.xpath("./td | ./th")


def _is_data_table(table) -> bool:
    """A table of figures: no table inside it, more than one column somewhere, and no cell holding a page of
    prose (the longest real cell, the sec3 header note, is under 40 characters)."""
    if table.xpath(".//table"):
        return False
    cells = [td for tr in _rows(table) for td in _cells(tr)]
    if any(len("".join(td.text_content().split())) > MAX_CELL_CHARS for td in cells):
        return False
    return any(len(_cells(tr)) > 1 for tr in _rows(table)) or any(_span(td, "colspan") > 1 for td in cells)


def _span(td, name: str) -> int:
    """The leading digits, as browsers read them; more than 9 (int() refuses over 4,300) is as many as can be,
    clamped by the caller."""
    m = re.match(r"\s*0*(\d+)", td.get(name) or "")
    if not m:
        return 1
    return int(m.group(1)) if len(m.group(1)) <= 9 else 10**9


class _Flow:
    """Renders the page as a browser would lay it out: inline pieces joined, each block on its own line."""

    def __init__(self, builder: Builder, path: str):
        self.builder = builder
        self.path = path
        self.pieces: list[str] = []
        self.line: int | None = None

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            if not self.pieces:
                self.line = line
            self.pieces.append(_SPACE.sub(" ", text))

    def flush(self) -> None:
        if self.pieces:
            self.builder.text("".join(self.pieces), self.line)
            self.pieces = []

    def block(self, el) -> None:
        tag = _tag(el)
        if not _skipped(el, tag):
            if tag == "br":
                self.flush()
            elif tag == "table" and _is_data_table(el):
                self.flush()
                self.table(el)
            elif tag == "img":
                self.picture(el)
            else:
                if tag in _BLOCK:
                    self.flush()
                self.add(el.text, el.sourceline)
                for child in el:
                    self.block(child)
                if tag in _BLOCK:
                    self.flush()
        self.add(el.tail, el.sourceline)

    def table(self, table) -> None:
        """The HTML table algorithm: each cell takes the first free column; rowspan stops at the table's end."""
        for caption in table.xpath("./caption"):
            self.block(caption)
        rows = _rows(table)
        taken: set[tuple[int, int]] = set()
        spans = []
        for r, tr in enumerate(rows):
            c = 0
            for td in _cells(tr):
                while (r, c) in taken:
                    c += 1
                if c >= MAX_COLS:
                    break
                rowspan = _span(td, "rowspan")
                rowspan = len(rows) - r if rowspan == 0 else max(1, min(rowspan, len(rows) - r))
                colspan = max(1, min(_span(td, "colspan"), MAX_COLS - c))
                check_size(len(rows), c + colspan, self.path)
                taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
                spans.append(Span(_cell_text(td), Loc(self.path, line=td.sourceline), r, c, rowspan, colspan))
                c += colspan
        lines = [tr.sourceline for tr in rows]
        grid = expand(spans, len(rows), lambda r, c: Loc(self.path, line=lines[r]))
        at = [row[0].loc.line for row in grid]
        self.builder.table(grid, lambda i: at[i])


    def picture(self, img) -> None:
        """A table published as a picture saved next to the page: read by OCR (the `ocr` extra) where the picture
        is ruled like a table; logos, photos and pictures elsewhere on the web are passed over."""
        from govreport_check.layouts import ocr

        found = _beside(self.path, img.get("src")) if self.path else None  # a cell's text has no page
        if found is None or not ocr.available():
            return
        try:
            pages = ocr.read_image(found, read_bytes(found), tables_only=True)
        except InputError:
            return  # a broken picture beside the page is not the page's fault
        if any(pages):
            self.flush()
        for items in pages:
            for item in items:
                if isinstance(item, str):
                    self.builder.text(item, img.sourceline)
                else:
                    rows = expand(item.spans, len(item.locs), lambda r, c, locs=item.locs: locs[r])
                    self.builder.table(rows, lambda i: img.sourceline)


def _beside(page: str, src: str | None) -> Path | None:
    """The picture file `src` names, when it is in the page's folder or below it (`报告_files/image001.png`)."""
    from urllib.parse import unquote

    from govreport_check.layouts.ocr import IMAGE_SUFFIXES

    src = unquote((src or "").split("#")[0].split("?")[0].strip())
    if not src or src.startswith(("/", "\\")) or ":" in src:  # http:, data:, file:, C:\ …
        return None
    folder = Path(page).parent.resolve()
    target = (folder / src).resolve()
    if folder not in target.parents or target.suffix.lower() not in IMAGE_SUFFIXES or not target.is_file():
        return None
    return target


class _CellText(Builder):
    """A cell's lines, which are joined: not laid out at their source lines. Padding them there cost each cell its
    line number in blank lines, quadratic in the page (a 30 MB page took hours)."""

    def _put(self, line: str, at: int | None) -> int:
        return super()._put(line, None)


def _cell_text(td) -> str:
    collector = _CellText("")
    flow = _Flow(collector, "")
    flow.add(td.text, None)
    for child in td:
        flow.block(child)
    flow.flush()
    return clean("\n".join(collector.lines))
