"""Hostile inputs: each one gives a Chinese message naming the file and exit code 2 (or findings, for a report with
problems), in bounded time, without a traceback and without reaching the "内部错误" catch-all.

The files are built here in tmp_path, never committed. Limits that would make a test slow (a 256 MB zip bomb, a
64 MB PDF stream) are lowered with monkeypatch, which is what GOVREPORT_CHECK_<LIMIT> does for a user.
The builders are shared with test_cli_errors, test_data_safety and test_fuzz.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from govreport_check import read
from govreport_check.errors import INTERNAL
from govreport_check.layouts import docx as docx_layout
from govreport_check.layouts import pdf as pdf_layout
from govreport_check.layouts import text as text_layout
from tests_paths import EXAMPLES

EXAMPLE = EXAMPLES / "示例区-2020.txt"
MAX_SECONDS = 10  # every hostile input is answered well within this on a slow CI machine


def report_bytes() -> bytes:
    return EXAMPLE.read_bytes()


def minimal_pdf(objects: list[bytes], info: int | None = None) -> bytes:
    """A PDF from its objects (numbered from 1, the first being the catalog; `info` the document information
    dictionary's number), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    extra = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, extra, xref)
    return bytes(out)


def one_page_pdf(content: bytes, packed: bytes | None = None, title: bytes = b"") -> bytes:
    """One page whose content stream is `content` Flate-compressed (or `packed` as given), Helvetica as /F1."""
    packed = zlib.compress(content) if packed is None else packed
    return minimal_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) >>" % title,
    ], info=6)


def many_pages_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    return minimal_pdf(objects)


def docx_bytes(document_xml: bytes) -> bytes:
    """The smallest package python-docx opens: content types, the package relationship and the document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def mutate(data: bytes, edits) -> bytes:
    """Apply (kind, where, size, value) edits: 0 sets the byte at `where` (a fraction of the length in thousandths)
    to `value`, 1 deletes `size` bytes there, 2 duplicates the `size` bytes that follow."""
    out = bytearray(data)
    for kind, where, size, value in edits:
        if not out:
            break
        i = where * len(out) // 1000
        if kind == 0:
            out[i] = value
        elif kind == 1:
            del out[i:i + size]
        else:
            out[i:i] = out[i:i + size]
    return bytes(out)


def flipped(data: bytes, count: int, seed: int = 0) -> bytes:
    """`count` bytes inside multi-byte UTF-8 characters replaced by an ASCII letter: a damaged download."""
    rng = random.Random(seed)
    out = bytearray(data)
    for i in rng.sample([i for i, b in enumerate(out) if b >= 0x80], count):
        out[i] = ord("x")
    return bytes(out)


def low_limits(monkeypatch) -> None:
    """Low enough that each hostile file trips its limit in milliseconds; the real values are in docs/limits.md."""
    monkeypatch.setattr(docx_layout, "MAX_UNPACKED_BYTES", 4 * read.MB)
    monkeypatch.setattr(docx_layout, "MAX_XML_PART_BYTES", 2 * read.MB)
    monkeypatch.setattr(pdf_layout, "MAX_PDF_UNPACKED_BYTES", 2 * read.MB)
    monkeypatch.setattr(pdf_layout, "MAX_PDF_TOKENS", 20_000)
    monkeypatch.setattr(pdf_layout, "MAX_PDF_OBJECTS", 5_000)


# name → (file contents, expected exit codes, words the message must hold); None for exit code 0/1 with no words
HOSTILE: dict[str, tuple] = {
    "empty.txt": (lambda: b"", {2}, "文件为空"),
    "blank.txt": (lambda: b" \r\n\t\n\x0c", {2}, "文件为空"),
    "garbage.txt": (lambda: random.Random(1).randbytes(64 * 1024), {2}, "无法识别文件编码"),
    "nul.txt": (lambda: b"\x00" * 4096, {2}, "无法识别文件编码"),
    "mojibake.txt": (lambda: report_bytes().decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8"), {2},
                     "找不到"),
    "truncated.txt": (lambda: report_bytes()[:len(report_bytes()) // 2 + 1], {0, 1}, None),
    "flipped.txt": (lambda: flipped(report_bytes(), 3), {0, 1}, None),
    "huge-number.txt": (lambda: report_bytes().replace(b"\t16\n", b"\t" + b"9" * 5000 + b"\n", 1), {0, 1}, None),
    "big.txt": (lambda: report_bytes() * (50 * read.MB // len(report_bytes()) + 1), {2}, "文本文件过大"),
    "long-line.txt": (lambda: "政府信息公开".encode() + b"1 " * (10 * read.MB // 2), {2}, "过大"),
    "one-line.txt": (lambda: "政府信息公开申请".encode() + "年度报告".encode() * 50_000, {2}, "第 1 行过长"),
    "rowspan.html": (lambda: ("<html><body><p>政府信息公开</p><table>" + '<tr><td rowspan="999999" colspan="999999">一'
                              '</td><td rowspan=0>1</td><td colspan="-5">2</td></tr>' * 2000
                              + "</table></body></html>").encode(), {2}, "表格过大"),
    "deep.html": (lambda: ("<html><body><p>政府信息公开申请</p>" + "<div><span>" * 100_000 + "申请"
                           + "</span></div>" * 100_000 + "</body></html>").encode(), {0, 1, 2}, None),
    "deep-tables.html": (lambda: ("<html><body><p>政府信息公开</p>" + "<table><tr><td>" * 5_000 + "申请"
                                  + "</td></tr></table>" * 5_000 + "</body></html>").encode(), {0, 1, 2}, None),
    "not-html.html": (lambda: b"<html>" + random.Random(2).randbytes(4096), {2}, None),
    "bomb.docx": (lambda: docx_bytes(b"<" + b" " * (8 * read.MB)), {2}, "解压后过大"),
    "not-a-zip.docx": (lambda: b"PK\x03\x04" + random.Random(3).randbytes(2048), {2}, "Word"),
    "no-body.docx": (lambda: docx_bytes(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                                        b'2006/main"/>'), {2}, "w:body"),
    "entities.docx": (lambda: docx_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                                         + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10)
                                                    for i in range(8))
                                         + b']><d>&i;</d>'), {2}, None),
    "pages.pdf": (lambda: many_pages_pdf(3_000), {2}, "超过上限"),
    "no-pages.pdf": (lambda: minimal_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                          b"<< /Type /Pages /Kids [] /Count 0 >>"]), {2}, "没有任何页面"),
    "flate-bomb.pdf": (lambda: one_page_pdf(b"BT /F1 9 Tf 9 9 Td (x) Tj ET\n" + b" " * (8 * read.MB)), {2},
                       "解压后超过"),
    "char-flood.pdf": (lambda: one_page_pdf(b"BT /F1 1 Tf 9 700 Td (" + b"x" * 50_000 + b") Tj ET"), {2}, "文字和图形"),
    "op-flood.pdf": (lambda: one_page_pdf(b"q Q\n" * 50_000), {2}, "指令"),
    "long-comment.pdf": (lambda: one_page_pdf(b"%" + b" " * (3 * read.MB // 2) + b"\nBT /F1 9 Tf 9 9 Td (x) Tj ET"), {2},
                         "单个注释"),
    "long-title.pdf": (lambda: one_page_pdf(b"BT /F1 9 Tf 9 9 Td (x) Tj ET", title=b"t" * (3 * read.MB)), {2}, "单个注释"),
    "truncated.pdf": (lambda: one_page_pdf(b"BT /F1 9 Tf 9 9 Td (x) Tj ET")[:300], {2}, "PDF"),
    "pdf-header-only.pdf": (lambda: b"%PDF-1.7\n", {2}, "PDF"),
}


def build(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(HOSTILE[name][0]())
    return path


def run(cli, *args):
    """(exit code, stdout + stderr, seconds), asserting the properties every run must have."""
    start = time.monotonic()
    code, out, err = cli(*args)
    seconds = time.monotonic() - start
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    assert INTERNAL not in out + err, "an input reached the catch-all: fix the reader instead"
    return code, out + err, seconds


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file(cli, tmp_path, monkeypatch, name):
    low_limits(monkeypatch)
    _, codes, words = HOSTILE[name]
    path = build(tmp_path, name)
    before = path.read_bytes()
    code, text, seconds = run(cli, "check", path, "--format", "json")
    assert code in codes, text[-500:]
    assert seconds < MAX_SECONDS
    if code == 2:
        assert f"错误：{path}: " in text  # the message names the file
    if words:
        assert words in text
    assert path.read_bytes() == before


def test_damaged_utf8_is_checked_and_says_so(cli, tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes(flipped(report_bytes(), 3))
    code, data = cli.json("check", path)
    assert code in (0, 1)
    assert data["reports"][0]["encoding"] == "utf-8（3 处字节无法解码）"
    path.write_bytes(report_bytes()[:-1] + "申".encode()[:2])  # cut inside the last character
    assert cli.json("check", path)[1]["reports"][0]["encoding"] == "utf-8（1 处字节无法解码）"


def test_too_many_bad_bytes_is_not_utf8(tmp_path):
    data = flipped(report_bytes(), 200)
    with pytest.raises(read.InputError, match="无法识别文件编码"):
        read.decode(data, "x.txt")


def test_a_huge_figure_is_text_not_a_crash(cli, tmp_path):
    path = build(tmp_path, "huge-number.txt")
    for fmt in ("json", "sarif", "junit", "github", "markdown", "plain"):
        run(cli, "check", path, "--format", fmt)
    code, text, _ = run(cli, "extract", path)
    assert code == 0


def test_file_larger_than_any_format_is_refused_before_reading(cli, tmp_path, monkeypatch):
    path = tmp_path / "sparse.pdf"
    with path.open("wb") as handle:
        handle.truncate(read.MAX_INPUT_BYTES + 1)  # sparse: no disk, and we must not read it either
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: pytest.fail("read a file we should have refused by its size"))
    code, text, _ = run(cli, "check", path, "--format", "plain")
    assert code == 2 and "文件过大" in text


def test_size_limits_follow_the_environment(monkeypatch):
    monkeypatch.setenv("GOVREPORT_CHECK_MAX_TEXT_BYTES", "1234")
    assert read.limit("MAX_TEXT_BYTES", 5) == 1234
    for bad in ("", "0", "-3", "1e6", "ten"):
        monkeypatch.setenv("GOVREPORT_CHECK_MAX_TEXT_BYTES", bad)
        assert read.limit("MAX_TEXT_BYTES", 5) == 5


def test_text_limit_is_configurable(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(text_layout, "MAX_TEXT_BYTES", 1000)
    code, text, _ = run(cli, "check", EXAMPLE, "--format", "plain")
    assert code == 2 and "文本文件过大" in text


def test_a_folder_given_as_a_report(cli, tmp_path):
    folder = tmp_path / "report.txt"
    folder.mkdir()
    code, text, _ = run(cli, "check", folder)
    assert code == 2 and f"{folder} 中没有可检查的报告文件" in text
    with pytest.raises(read.InputError, match="文件夹"):
        read.read_bytes(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pipe_named_like_a_report_does_not_block(cli, tmp_path):
    (tmp_path / "reports").mkdir()
    fifo = tmp_path / "reports" / "report.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    code, text, seconds = run(cli, "check", tmp_path / "reports", "--format", "plain")
    assert code == 2 and "不是普通文件" in text and str(fifo) in text and seconds < MAX_SECONDS


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused(cli):
    code, text, _ = run(cli, "check", "/dev/zero", "--format", "plain")
    assert code == 2 and "不是普通文件" in text


def test_symlink_loops_in_a_folder(cli, tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "self").symlink_to(".")  # a folder that contains itself
    (folder / "sub" / "up").symlink_to("..")
    (folder / "loop.txt").symlink_to("loop.txt")  # a file that points at itself
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "good.txt").write_bytes(report_bytes())
    code, text, seconds = run(cli, "check", folder, "--format", "plain", "--jobs", "1")
    assert code == 2 and seconds < MAX_SECONDS
    assert f"{folder / 'loop.txt'}: error input 符号链接循环" in text
    assert f"{folder / 'good.txt'}: pass" in text


def test_unreadable_file(cli, tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_bytes(report_bytes())
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.chmod(0)
        try:
            code, text, _ = run(cli, "check", path, "--format", "plain")
        finally:
            path.chmod(0o644)
        assert code == 2 and "没有读取权限" in text
    real_open = os.open

    def denied(name, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)  # root reads through chmod 000, so simulate what a user gets
    code, text, _ = run(cli, "check", path, "--format", "plain")
    assert code == 2 and f"{path}: error input 没有读取权限" in text


def test_pdf_budget_message_survives_pdfplumber_wrapping(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_layout, "MAX_PDF_OBJECTS", 10)
    path = tmp_path / "chars.pdf"
    path.write_bytes(one_page_pdf(b"BT /F1 9 Tf 9 700 Td (" + b"x" * 100 + b") Tj ET"))
    with pytest.raises(read.InputError, match="超过 10 个文字和图形"):
        pdf_layout.read(path, path.read_bytes())
    import pdfminer.pdftypes

    assert pdfminer.pdftypes.zlib is zlib  # the guard put pdfminer back as it found it


def test_damaged_flate_streams_are_salvaged_as_pdfminer_would(tmp_path):
    """A stream cut short keeps what it holds, a damaged one what pdfminer would make of it. pdfminer's own salvage
    is quadratic (a 40 KB file took minutes); ours is linear and must give the same text."""
    pdfplumber = pytest.importorskip("pdfplumber")
    whole = zlib.compress(b"BT /F1 9 Tf 72 700 Td (Zheng fu xin xi gong kai) Tj ET\n%" + b" " * 200_000 + b"\n")
    damaged = [bytearray(whole) for _ in range(3)]
    for copy, at in zip(damaged, (3, len(whole) // 2, len(whole) - 2)):
        copy[at] ^= 0xFF
    found = []
    for packed in (whole, whole[:-6], *map(bytes, damaged)):
        data = one_page_pdf(b"", packed=packed)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            expected = len(pdf.pages[0].chars)  # pdfminer's own answer, without our guard
        found.append(pdf_layout._scan(pdfplumber, tmp_path / "x.pdf", data)[0][0])
        assert found[-1] == expected
    assert found[0] == found[1] > 0


def test_real_reports_stay_within_the_pdf_budgets(shared, monkeypatch):
    """The budgets leave room (the table finder's too): a real report uses under a tenth of each."""
    budgets = []
    original = pdf_layout._Budget.__init__

    def record(self):
        original(self)
        budgets.append(self)

    monkeypatch.setattr(pdf_layout._Budget, "__init__", record)
    limits = {"unpacked": pdf_layout.MAX_PDF_UNPACKED_BYTES, "tokens": pdf_layout.MAX_PDF_TOKENS,
              "objects": pdf_layout.MAX_PDF_OBJECTS, "line_pairs": pdf_layout.MAX_PDF_LINE_PAIRS,
              "points_squared": pdf_layout.MAX_PDF_POINTS_SQUARED, "corners": pdf_layout.MAX_PDF_CORNERS,
              "row_scans": pdf_layout.MAX_PDF_ROW_SCANS}
    for name in ("hongze_district_2023.pdf", "huaian_city_2024.pdf"):
        path = shared / "real" / name
        assert pdf_layout.read(path, path.read_bytes()).tables
        assert all(budgets[-1].left[k] > 0.9 * limits[k] for k in limits), budgets[-1].left
