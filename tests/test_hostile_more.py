"""More hostile inputs (issue 13): a page ruled into a fine grid, a PDF whose references go round, a .docx part that
inflates to far more than it declares, spans with thousands of digits. Built here with test_hostile's builders,
which benchmarks/robustness.py also uses at full size.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tracemalloc
import zipfile
import zlib

import pytest

from govreport_check import read
from govreport_check.errors import InputError
from govreport_check.layouts import docx as docx_layout
from govreport_check.layouts import html as html_layout
from govreport_check.layouts import pdf as pdf_layout
from govreport_check.layouts import read_document
from govreport_check.layouts.grid import MAX_COLS
from test_hostile import docx_bytes, minimal_pdf, run

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (f'<w:document {W_NS}><w:body><w:p><w:r><w:t>政府信息公开申请</w:t></w:r></w:p></w:body>'
            "</w:document>").encode()
HUGE = "9" * 4301  # one digit more than int() accepts


def segments(lines) -> bytes:
    return b"\n".join(b"%.3f %.3f m %.3f %.3f l S" % line for line in lines)


def ruled(rows: int, cols: int, step: float = 5) -> bytes:
    """Content drawing a grid of rows × cols cells `step` points square (closer than 3, lines are snapped together)."""
    across = [(50, 50 + i * step, 50 + cols * step, 50 + i * step) for i in range(rows + 1)]
    down = [(50 + j * step, 50, 50 + j * step, 50 + rows * step) for j in range(cols + 1)]
    return segments(across + down)


def comb(teeth: int) -> bytes:
    """Content drawing two long lines meeting at a corner, each crossed by short ticks 4 points apart (closer, they
    would be snapped together): no cell anywhere, but every tick on one line is tried as a corner with every tick on
    the other. Wider than a page for more than 180 teeth."""
    top = 50 + 4 * teeth
    lines = [(50, 50, 50, top), (50, top, 60 + 4 * teeth, top)]
    lines += [(45, 50 + 4 * i, 55, 50 + 4 * i) for i in range(teeth)]
    lines += [(60 + 4 * j, top - 5, 60 + 4 * j, top + 5) for j in range(teeth)]
    return segments(lines)


def pages_pdf(contents: list[bytes], text: bytes = b"zheng fu xin xi", size: int = 792) -> bytes:
    """One page `size` points square per content stream, each also writing `text` in Helvetica at the top left."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(contents)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        packed = zlib.compress(content + b"\nBT /F1 9 Tf 60 %d Td (%s) Tj ET" % (size - 22, text))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (size, size, 5 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    return minimal_pdf(objects)


def grid_pdf(n: int) -> bytes:
    """A page ruled into n × n cells: pdfplumber alone took 11 s on 120 × 120, 49 s on 200 × 200."""
    return pages_pdf([ruled(n, n)], size=100 + 5 * n)


def loop_pdf(where: str = "MediaBox", loop: tuple[bytes, ...] = (b"7 0 R", b"6 0 R")) -> bytes:
    """One page whose `where` is `6 0 R`, object 6 being `loop[0]` and so on: by default 6 → 7 → 6."""
    refs = {b"MediaBox": b"[0 0 612 792]", b"Resources": b"<< /Font << /F1 5 0 R >> >>", b"Contents": b"4 0 R"}
    refs[where.encode()] = b"6 0 R"
    if where == "Font":
        refs[b"Resources"] = b"<< /Font << /F1 6 0 R >> >>"
    packed = zlib.compress(b"BT /F1 9 Tf 9 9 Td (x) Tj ET")
    return minimal_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %(MediaBox)s /Contents %(Contents)s /Resources %(Resources)s >>" % refs,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *loop,
    ])


def lying_docx(declared: int, actual: int, head: bytes = DOCUMENT) -> bytes:
    """A .docx whose word/document.xml says it is `declared` bytes (with the checksum of its first `declared` bytes,
    so zipfile's own check passes) but inflates to `actual`: `head` then spaces, streamed, never held whole."""
    buffer = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes(head)))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, base.read(info))
        with z.open("word/document.xml", "w", force_zip64=False) as part:
            part.write(head)
            block, left = b" " * (1 << 20), actual - len(head)
            while left > 0:
                part.write(block[:left])
                left -= len(block)
    data = bytearray(buffer.getvalue())
    crc = zlib.crc32(head + b" " * (declared - len(head)))
    name = b"word/document.xml"
    for signature, name_at, crc_at in ((b"PK\x01\x02", 28, 16), (b"PK\x03\x04", 26, 14)):
        at = data.find(signature)
        while at >= 0:
            length = int.from_bytes(data[at + name_at:at + name_at + 2], "little")
            start = at + (46 if signature == b"PK\x01\x02" else 30)
            if data[start:start + length] == name:
                data[at + crc_at:at + crc_at + 4] = crc.to_bytes(4, "little")
                data[at + crc_at + 8:at + crc_at + 12] = declared.to_bytes(4, "little")
            at = data.find(signature, at + 4)
    return bytes(data)


def bzip2_docx(head: bytes = DOCUMENT) -> bytes:
    """A .docx compressed with bzip2, which Word never writes and zipfile inflates whole in one call."""
    buffer = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes(head)))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as z:
        for info in base.infolist():
            z.writestr(info.filename, base.read(info))
    return buffer.getvalue()


def span_html(digits: str = HUGE) -> bytes:
    return (f'<html><body><p>政府信息公开申请</p><table><tr><td>标签</td><td colspan="{digits}">1</td></tr>'
            f'<tr><td rowspan="{digits}">a</td><td>2</td></tr></table></body></html>').encode()


def span_docx(digits: str = HUGE) -> bytes:
    def cell(text: str, pr: str = "") -> str:
        return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    wide = f'<w:gridSpan w:val="{digits}"/>'
    return docx_bytes((f"<w:document {W_NS}><w:body><w:p><w:r><w:t>政府信息公开申请</w:t></w:r></w:p><w:tbl>"
                       f"<w:tr>{cell('标签')}{cell('1', wide)}</w:tr><w:tr>{cell('a')}{cell('2')}</w:tr>"
                       "</w:tbl></w:body></w:document>").encode())


# ---- item 5: ruled grids ----------------------------------------------------------------------------------------

def scan(tmp_path, data: bytes) -> list[list]:
    pdfplumber = pytest.importorskip("pdfplumber")
    return [items for _, items in pdf_layout._scan(pdfplumber, tmp_path / "x.pdf", data)]


@pytest.fixture
def no_cell_search(monkeypatch):
    """pdfplumber's cell search, which is what costs: a 120×120 grid took 11 s in it, a 200×200 one 49 s."""
    table = pytest.importorskip("pdfplumber.table")

    monkeypatch.setattr(table, "intersections_to_cells",
                        lambda *a, **k: pytest.fail("searched the cells of a page that cannot afford it"))


@pytest.mark.parametrize("data", [grid_pdf(120), pages_pdf([comb(600)], size=2500)], ids=["grid-120", "comb-600"])
def test_a_page_too_costly_to_search_for_tables_is_read_as_text(tmp_path, no_cell_search, data):
    (items,) = scan(tmp_path, data)
    assert items == ["zheng fu xin xi"]


def test_the_table_search_budget_is_for_the_whole_pdf(tmp_path, monkeypatch):
    """Three pages of 5×5 tables (36 intersections each) with room for two: the third page's table is read as text."""
    monkeypatch.setattr(pdf_layout, "MAX_PDF_POINTS_SQUARED", 2 * 36**2)
    pages = scan(tmp_path, pages_pdf([ruled(5, 5)] * 3))
    kinds = [[type(item).__name__ for item in items] for items in pages]
    assert kinds == [["str", "_Grid"], ["str", "_Grid"], ["str"]]
    assert len(pages[0][1].locs) == 5 and len(pages[0][1].xs) == 5


def test_the_corners_tried_are_counted_as_pdfplumber_tries_them():
    points = {(x, y): None for x in (0, 1, 2) for y in (0, 1, 2)}
    # (0,0): 2 below × 2 right; (0,1): 1 × 2; (1,0): 2 × 1; (1,1): 1 × 1; the rest 0
    assert pdf_layout._corners(points) == 4 + 2 + 2 + 1


def test_a_grid_pdf_through_the_cli(cli, tmp_path, no_cell_search):
    path = tmp_path / "grid.pdf"
    path.write_bytes(grid_pdf(200))
    code, text, _ = run(cli, "check", path, "--format", "plain")
    assert code == 2 and "找不到" in text  # read to the end: its text has no report words


# ---- item 6: reference loops ------------------------------------------------------------------------------------

LOOPS = {
    "mediabox.pdf": loop_pdf(),
    "self.pdf": loop_pdf(loop=(b"6 0 R", b"null")),
    "resources.pdf": loop_pdf("Resources"),
    "contents.pdf": loop_pdf("Contents"),
    "font.pdf": loop_pdf("Font"),
}


def test_reference_loops_end_with_an_input_error(tmp_path):
    """In a process of its own with a deadline: before the fix pdfminer looped for ever on each of them."""
    paths = []
    for name, data in LOOPS.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    command = [sys.executable, "-m", "govreport_check", "check", *map(str, paths), "--format", "json", "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr[-500:]
    reports = {r["path"]: r for r in json.loads(done.stdout)["reports"]}
    assert len(reports) == len(paths)
    for path in paths:
        assert reports[str(path)]["status"] == "error"
        assert "PDF 中的对象引用形成循环" in reports[str(path)]["error"], reports[str(path)]
    assert "（6 0 R → 7 0 R → 6 0 R）" in reports[str(paths[0])]["error"]
    assert "（6 0 R → 6 0 R）" in reports[str(paths[1])]["error"]


def test_a_reference_to_a_reference_still_reads(tmp_path):
    """A chain that ends is followed to its end, as pdfminer does."""
    data = loop_pdf(loop=(b"7 0 R", b"[0 0 612 792]"))
    (items,) = scan(tmp_path, data)
    assert items == ["x"]
    import pdfminer.pdftypes

    assert pdfminer.pdftypes.PDFObjRef.resolve.__name__ == "resolve"  # the guard put pdfminer back


# ---- item 9: lying zips -----------------------------------------------------------------------------------------

def test_a_part_inflating_past_its_declared_size_is_refused_in_little_memory(tmp_path, cli):
    path = tmp_path / "lying.docx"
    path.write_bytes(lying_docx(2_000, 64 * read.MB))
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="word/document.xml 解压后与它声明的大小（2000 字节）不符"):
            docx_layout.read(path, path.read_bytes())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * read.MB + 2 * path.stat().st_size  # before: the whole 64 MB at once, then cut to 2,000 bytes
    code, text, _ = run(cli, "check", path, "--format", "plain")
    assert code == 2 and "声明的大小" in text


def test_a_part_shorter_than_it_declares_is_refused(tmp_path):
    path = tmp_path / "short.docx"
    path.write_bytes(lying_docx(4_000, 3_000))
    with pytest.raises(InputError, match="声明的大小（4000 字节）不符"):
        docx_layout.read(path, path.read_bytes())


def test_a_part_compressed_as_word_never_does_is_refused(tmp_path):
    path = tmp_path / "bzip2.docx"
    path.write_bytes(bzip2_docx())
    with pytest.raises(InputError, match="Word 不用的压缩方式"):
        docx_layout.read(path, path.read_bytes())


def test_an_honest_package_still_reads(tmp_path):
    path = tmp_path / "honest.docx"
    path.write_bytes(lying_docx(3_000, 3_000))
    assert docx_layout.read(path, path.read_bytes()).lines == ("政府信息公开申请",)


# ---- item 13: spans too long for int() --------------------------------------------------------------------------

def test_html_spans_of_thousands_of_digits_are_as_wide_as_can_be(tmp_path, cli):
    path = tmp_path / "span.html"
    path.write_bytes(span_html())
    first, second = read_document(path).tables[0].rows
    assert [c.text for c in first] == ["标签", "1"] and first[1].colspan == MAX_COLS - 1
    assert [c.text for c in second] == ["a", "2"] and second[0].rowspan == 1  # clamped at the table's end
    code, _, _ = run(cli, "check", path, "--format", "json")
    assert code in (0, 1)


@pytest.mark.parametrize(("value", "span"), [("3", 3), ("0005", 5), ("0", 0), (" 12abc", 12), ("x", 1), ("", 1),
                                             (HUGE, 10**9), ("0" * 5000 + "7", 7)])
def test_html_span_values(value, span):
    from lxml.html import fragment_fromstring

    assert html_layout._span(fragment_fromstring(f'<td colspan="{value}">x</td>'), "colspan") == span


def test_docx_grid_spans_of_thousands_of_digits_are_as_wide_as_can_be(tmp_path, cli):
    path = tmp_path / "span.docx"
    path.write_bytes(span_docx())
    first, second = docx_layout.read(path, path.read_bytes()).tables[0].rows
    assert [c.text for c in first] == ["标签", "1"] and first[1].colspan == MAX_COLS - 1
    assert [c.text for c in second] == ["a", "2"]
    assert docx_layout._int("-" + HUGE, 0) == 0 and docx_layout._int("+" + HUGE) > MAX_COLS
    code, _, _ = run(cli, "check", path, "--format", "json")
    assert code in (0, 1)
