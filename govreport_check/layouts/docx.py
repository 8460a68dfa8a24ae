"""Word .docx: paragraphs and tables in body order, merged cells read from the XML.

python-docx opens the package, but `row.cells` repeats a merged cell once per grid column it covers, which
would put three copies of `一、本年新收…` before the numbers. The spans are in the XML: `w:gridSpan` (across),
`w:vMerge` (down: `restart` starts it, an empty or `continue` value carries it on), `w:gridBefore` (grid
columns skipped at the start of a row), and the legacy `w:hMerge`. Locations are 表N 第R行 第C列, with C the
grid column, which is where the cell sits on the page. Word shows no line numbers, so each line of the text
keeps its place too: the paragraph (第N段, counting the body's paragraphs that show text) or the table row.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.layouts.grid import MAX_COLS, Builder, Span, check_size, clean, expand
from govreport_check.model import Document, Loc
from govreport_check.read import MB, check_bytes, limit

MAX_DOCX_BYTES = limit("MAX_DOCX_BYTES", 64 * MB)  # the file as stored; reports with photos stay well under this
# every part uncompressed: a zip bomb stops here before anything inflates
MAX_UNPACKED_BYTES = limit("MAX_DOCX_UNPACKED_BYTES", 256 * MB)
MAX_XML_PART_BYTES = limit("MAX_DOCX_XML_PART_BYTES", 32 * MB)  # one XML part; a report's document.xml is under 2 MB
MAX_PARTS = 5_000  # entries in the package
_INFLATE_CHUNK = 64 * 1024
_LOCAL_HEADER = 30  # bytes of a zip entry's local header before its name and extra field
_HUGE = 10**9  # a count too long for int() (over 4,300 digits): as large as can be, then clamped like any other

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"})
_RUN_WRAPPERS = _WRAPPERS | {f"{W}hyperlink", f"{W}ins", f"{W}fldSimple", f"{W}moveTo", f"{W}dir", f"{W}bdo"}


def read(path: Path, data: bytes, encoding: str | None = None, label: str = "docx") -> Document:
    """`label` is what the user is told the input was decoded as ("docx", or "doc→docx" after conversion)."""
    _check_package(path, data)
    reader = _Reader(Builder(path), str(path))
    reader.blocks(_body(path, data))
    doc = reader.builder.document(label, "docx")
    return replace(doc, places=tuple(reader.places)) if len(reader.places) == len(doc.lines) else doc


def _body(path: Path, data: bytes):
    """The main document's `w:body`. Opened as a plain package, so .docm and .dotx (which `docx.Document`
    refuses for their content type) read too; python-docx's parser does not resolve entities."""
    from docx.opc.package import OpcPackage
    from docx.oxml import parse_xml

    try:
        part = OpcPackage.open(io.BytesIO(data)).main_document_part
        root = part.element if hasattr(part, "element") else parse_xml(part.blob)
    except Exception as exc:  # noqa: BLE001 - python-docx and zipfile raise TypeError, zlib.error … on damaged packages
        detail = f"{type(exc).__name__}: {exc}"
        raise InputError(f"无法读取 Word 文档（.docx）：已损坏或格式不受支持（{detail}）", path) from None
    body = root.find(f"{W}body")
    if body is None:
        raise InputError("找不到 Word 正文（w:body）：不是 Word 文档（.docx）", path)
    return body


def _check_package(path: Path, data: bytes) -> None:
    check_bytes(len(data), MAX_DOCX_BYTES, "Word 文件", path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except Exception:  # noqa: BLE001 - a damaged directory can raise BadZipFile, ValueError, OverflowError, EOFError …
        raise InputError("文件已损坏，或不是 Word 文档（.docx）", path) from None
    too_big = sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES or any(
        i.file_size > MAX_XML_PART_BYTES for i in infos if i.filename.endswith((".xml", ".rels")))
    if len(infos) > MAX_PARTS or too_big:
        raise InputError("Word 文件解压后过大：可能已损坏或是恶意文件", path)
    for info in infos:
        _check_part(path, data, info)


def _check_part(path: Path, data: bytes, info: zipfile.ZipInfo) -> None:
    """Each part inflates to exactly the size it declares, which the check above has bounded.

    python-docx reads a part whole, and zipfile inflates it in one call to all it holds (up to 2 GB) before cutting
    that to the declared size: a part declaring 2,000 bytes that inflates to 1 GB took 2 GB of memory. So every
    part is inflated here first, a piece at a time, and refused as soon as it outgrows its declared size.
    """
    lying = InputError(f"Word 文件中的 {info.filename} 解压后与它声明的大小（{info.file_size} 字节）不符："
                       "已损坏或是恶意文件", path)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise lying
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:  # Word writes only these two
        raise InputError(f"Word 文件中的 {info.filename} 使用了 Word 不用的压缩方式：已损坏或不是 Word 文档（.docx）",
                         path)
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER]
    if len(header) < _LOCAL_HEADER or not header.startswith(b"PK\x03\x04"):
        raise InputError(f"Word 文件中的 {info.filename} 已损坏：不是有效的 Word 文档（.docx）", path)
    start += _LOCAL_HEADER + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    packed = memoryview(data)[start:start + info.compress_size]
    inflater, size = zlib.decompressobj(-zlib.MAX_WBITS), 0
    try:
        for at in range(0, len(packed), _INFLATE_CHUNK):
            piece = packed[at:at + _INFLATE_CHUNK]
            while piece and not inflater.eof:
                size += len(inflater.decompress(piece, _INFLATE_CHUNK))
                if size > info.file_size:
                    raise lying
                piece = inflater.unconsumed_tail
        size += len(inflater.flush())
    except zlib.error:
        raise InputError(f"Word 文件中的 {info.filename} 已损坏，无法解压：不是有效的 Word 文档（.docx）", path) from None
    if size != info.file_size:
        raise lying


def _children(el, tag: str):
    """Children with `tag`, looking through content controls and custom XML that wrap them."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _val(el, tag: str, default: str | None = None) -> str | None:
    found = el.find(tag) if el is not None else None
    return default if found is None else found.get(f"{W}val", "")


def _int(value: str | None, default: int = 1) -> int:
    if value is None:
        return default
    try:
        return max(int(value), 0)
    except ValueError:
        return _HUGE if value.strip().lstrip("+").isdecimal() else default


def _runs_text(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{W}r":
            if child.find(f"{W}rPr/{W}vanish") is not None:
                continue
            for part in child:
                if part.tag == f"{W}t":
                    out.append(part.text or "")
                elif part.tag in (f"{W}tab", f"{W}ptab"):
                    out.append(" ")
                elif part.tag in (f"{W}br", f"{W}cr"):
                    out.append("\n")
                elif part.tag == f"{W}noBreakHyphen":
                    out.append("-")
        elif tag in _RUN_WRAPPERS:
            _runs_text(child, out)


def paragraph_text(p) -> str:
    """What the paragraph shows: text runs, tabs as spaces (a TAB-led line would read as a table cell)."""
    out: list[str] = []
    _runs_text(p, out)
    return "".join(out)


class _Reader:
    def __init__(self, builder: Builder, path: str):
        self.builder = builder
        self.path = path
        self.count = 0  # tables met so far, nested ones included, as Word numbers them
        self.paragraphs = 0  # body paragraphs that showed text so far
        self.places: list[Loc] = []  # each line's place: its paragraph, or the table row it came from
        self.inside: int | None = None  # the table whose cells are being read as blocks (a table of tables)

    def blocks(self, parent) -> None:
        for el in parent:
            if el.tag == f"{W}p":
                before = len(self.builder.lines)
                self.builder.text(paragraph_text(el))
                added = len(self.builder.lines) - before
                if not added:
                    continue
                if self.inside is None:
                    self.paragraphs += 1
                    place = Loc(self.path, paragraph=self.paragraphs)
                else:
                    place = Loc(self.path, table=self.inside)
                self.places += [place] * added
            elif el.tag == f"{W}tbl":
                self.table(el)
            elif el.tag in _WRAPPERS:
                self.blocks(el)

    def table(self, tbl) -> None:
        self.count += 1
        number = self.count
        rows = list(_children(tbl, f"{W}tr"))
        if tbl.find(f".//{W}tbl") is not None:
            outer, self.inside = self.inside, self.inside or number
            for tr in rows:
                for tc in _children(tr, f"{W}tc"):
                    self.blocks(tc)
            self.inside = outer
            return
        spans = self._spans(rows, number)
        grid = expand(spans, len(rows), lambda r, c: Loc(self.path, table=number, row=r + 1, col=c + 1))
        before = len(self.builder.lines)
        self.builder.table(grid)
        self._place_rows(grid, len(self.builder.lines) - before, number)

    def _place_rows(self, grid: list, added: int, number: int) -> None:
        """The lines a table added, each at its row: one per row of cells, and a one-cell row (text the layout
        reads as prose) one per line it shows; where that does not add up, at the table."""
        places = []
        for row in grid:
            shown = 1 if len(row) > 1 else sum(1 for ln in row[0].text.splitlines() if ln.replace("\xa0", " ").strip())
            places += [Loc(self.path, table=number, row=row[0].loc.row)] * shown
        self.places += places if len(places) == added else [Loc(self.path, table=number)] * added

    def _spans(self, rows: list, number: int) -> list[Span]:
        """Cells with their grid position; a vMerge run becomes one span with the first cell's text."""
        open_: dict[int, list] = {}  # grid column → [row, col, colspan, text, rowspan] of its latest cell
        spans = []
        for r, tr in enumerate(rows):
            c = _int(_val(tr.find(f"{W}trPr"), f"{W}gridBefore"), 0)
            for tc in _children(tr, f"{W}tc"):
                pr = tc.find(f"{W}tcPr")
                colspan = max(1, min(_int(_val(pr, f"{W}gridSpan")), MAX_COLS - c))
                if c >= MAX_COLS:
                    break
                check_size(len(rows), c + colspan, self.path)
                if _val(pr, f"{W}hMerge") not in (None, "restart"):
                    c += colspan
                    continue
                vmerge = _val(pr, f"{W}vMerge")
                run = open_.get(c)
                if vmerge not in (None, "restart") and run is not None and run[0] + run[4] == r:
                    run[4] += 1
                else:
                    text = "\n".join(paragraph_text(p) for p in tc.iter(f"{W}p"))
                    run = [r, c, colspan, clean(text), 1]
                    spans.append(run)
                    open_[c] = run  # Word lets `continue` extend the cell above even without `restart`
                c += colspan
        return [Span(text, Loc(self.path, table=number, row=r + 1, col=c + 1), r, c, rowspan, colspan)
                for r, c, colspan, text, rowspan in spans]
