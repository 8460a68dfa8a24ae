"""OCR, the optional `ocr` extra: scans of our own report (tests/test_layout_pdf.py draws it; benchmarks/ocr.py turns
it into a scan at 100, 150 and 200 dpi, turned by up to a degree, blurred, speckled, wrapped in a PDF of images
only), a picture file, ruled grids drawn here, and the real hongze report rasterised. Without the extra a scan is an
input error naming the install command, and checking a text file never imports it."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import sample_2021 as sample
from govreport_check.batch import expand
from govreport_check.errors import InputError
from govreport_check.layouts import ocr, read_document
from govreport_check.report import load_report
from tests_paths import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import ocr as bench  # noqa: E402  benchmarks/ocr.py

INSTALL = r'pip install "govreport-check\[ocr\]"'


def picture_pdf(path: Path) -> Path:
    """A PDF of one image and nothing else, as a scanner writes it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 877), 255)
    ImageDraw.Draw(image).rectangle((60, 100, 560, 400), outline=0, width=2)
    image.save(path, "PDF", resolution=75)
    return path


def test_checking_a_text_file_does_not_import_ocr():
    code = ("import sys; from govreport_check.report import load_report; load_report(sys.argv[1]); "
            "print([m for m in ('govreport_check.layouts.ocr', 'rapidocr_onnxruntime', 'cv2', 'onnxruntime', "
            "'numpy') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "示例区-2020.txt")], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_a_scan_without_the_extra_names_the_install_command(tmp_path, monkeypatch, cli):
    pytest.importorskip("pdfplumber")
    path = picture_pdf(tmp_path / "scan.pdf")
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if the extra were not installed
    with pytest.raises(InputError, match=f"没有文字层.*{INSTALL}"):
        read_document(path)
    code, out, _ = cli("check", path)
    assert code == 2 and 'pip install "govreport-check[ocr]"' in out


def test_a_picture_without_the_extra_names_the_install_command(tmp_path, monkeypatch):
    from PIL import Image

    for name in ("table.png", "table.jpg", "table.tif", "table.bmp"):
        Image.new("L", (100, 100), 255).save(tmp_path / name)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    for name in ("table.png", "table.jpg", "table.tif", "table.bmp"):
        with pytest.raises(InputError, match=INSTALL):
            read_document(tmp_path / name)


def test_pictures_in_a_folder_are_checked(tmp_path):
    for name in ("a.png", "b.JPG", "c.jpeg", "d.tif", "e.tiff", "f.bmp", "notes.psd"):
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in expand([str(tmp_path)])) == ["a.png", "b.JPG", "c.jpeg", "d.tif", "e.tiff",
                                                                "f.bmp"]


def test_a_page_of_pictures_with_little_text_is_a_scan_and_a_page_of_text_is_not(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from PIL import Image

    from govreport_check.layouts import pdf as pdf_layout

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(Image.new("L", (400, 600), 200)), 50, 100, 480, 700)
    c.setFont("STSong-Light", 10)
    c.drawString(60, 60, "- 3 -")
    c.showPage()
    c.setFont("STSong-Light", 10)
    c.drawString(60, 700, "三、收到和处理政府信息公开申请情况，本年度共收到申请若干件。")
    c.showPage()
    c.drawString(60, 700, "1")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        assert [pdf_layout._layer(page) for page in pdf.pages] == ["scan", "text", "text"]


def test_a_text_layer_of_glyphs_that_map_to_no_characters_is_a_scan():
    from types import SimpleNamespace

    from govreport_check.layouts import pdf as pdf_layout

    def page(texts):
        return SimpleNamespace(chars=[{"text": t} for t in texts], images=[], width=595, height=842)

    assert pdf_layout._layer(page(["(cid:17)"] * 40)) == "scan"  # a font without a ToUnicode map
    assert pdf_layout._layer(page(list("政府信息公开工作年度报告第三部分"))) == "text"
    assert pdf_layout._layer(page(list("- 5 -"))) == "text"  # a page number: nothing to read by OCR
    assert pdf_layout._layer(page([])) == "empty"


def test_misread_figures_are_read_again_only_where_figures_belong():
    cell = lambda row, col: ocr._Cell(row, col, 1, 1, (0, 0, 1, 1), (0, 0, 1, 1))  # noqa: E731
    cells = [cell(r, c) for r in range(4) for c in range(4)]
    texts = ["信息内容", "本年", "其他", "总计",
             "规章", "0", "D", "0",
             "行政许可", "3", "1", "E",
             "行政处罚", "5", "2", "7"]
    assert ocr._figures_misread(cells, texts) == [6, 11]  # not 其他 in the header row, nor the labels


def test_a_speck_read_beside_a_figure_is_dropped():
    assert [ocr._tidy(t) for t in ("0.", "·12", "1.5", "。", "2.重复申请", "")] == ["0", "12", "1.5", "。",
                                                                                  "2.重复申请", ""]


# --- what needs the extra ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[int, Path]:
    pytest.importorskip("rapidocr_onnxruntime")
    pytest.importorskip("reportlab")
    folder = tmp_path_factory.mktemp("scans")
    source = bench.report_pdf(folder)
    return {dpi: bench.scan(source, folder / f"scan-{dpi}.pdf", dpi, seed=dpi) for dpi in bench.SETTINGS}


def checked(report):
    """The report checked in this process (OCR takes seconds a page: each scan is read once)."""
    from govreport_check.batch import Options, select_rules
    from govreport_check.report import check

    return check(report, list(select_rules(Options())))


def test_a_scan_at_150_dpi_reads_every_cell_and_passes_with_pages_boxes_and_scores(scans):
    report = load_report(scans[150])
    values = report.records.values
    assert {k: v.number for k, v in values.items()} == sample.expected_cells()
    result = checked(report)
    assert result.status == "pass", result.findings
    assert (result.report.template, result.report.year, result.report.unit) == ("2021", 2023, "测试县人民政府办公室")
    assert (result.report.format, result.report.encoding) == ("pdf", "ocr")
    assert (values[("sec3", "一", "总计")].loc.page, values[("sec4", "行政复议", "总计")].loc.page) == (1, 2)
    assert all(v.confidence is not None and 0 < v.confidence <= 1 for v in values.values())
    cells = [c for t in report.document.tables for row in t.rows for c in row if not c.covered]
    assert all(c.box is not None and 0 <= c.box[0] < c.box[2] <= 595 and 0 <= c.box[1] < c.box[3] <= 842
               for c in cells)


def test_a_scan_at_200_dpi_reads_every_cell(scans):
    values = load_report(scans[200]).records.values
    assert {k: v.number for k, v in values.items()} == sample.expected_cells()


def test_a_scan_at_100_dpi_is_read_and_what_it_misreads_is_reported(scans):
    """6.5 pt table text at 100 dpi is 9 pixels high: much is misread, and it does not pass silently."""
    result = checked(load_report(scans[100]))
    assert result.status == "fail" and result.report.encoding == "ocr"
    assert any(f.rule == "ocr-low-confidence" for f in result.findings)


@pytest.fixture(scope="module")
def page2(tmp_path_factory) -> Path:
    """Page 2 of our report as a picture: the end of sec3, sec4 and the closing sections."""
    pytest.importorskip("rapidocr_onnxruntime")
    pytest.importorskip("reportlab")
    import pypdfium2

    folder = tmp_path_factory.mktemp("picture")
    pdf = pypdfium2.PdfDocument(str(bench.report_pdf(folder)))
    pdf[1].render(scale=150 / 72, grayscale=True).to_pil().save(folder / "page2.png", dpi=(150, 150))
    pdf.close()
    return folder / "page2.png"


SEC4 = {k: v for k, v in sample.expected_cells().items() if k[0] == "sec4"}


def test_a_picture_file_is_read(page2):
    doc = read_document(page2)
    assert (doc.format, doc.encoding) == ("image", "ocr")
    values = load_report(page2).records.values
    assert {k: v.number for k, v in values.items() if k[0] == "sec4"} == SEC4


def test_a_table_published_as_a_picture_beside_the_page_is_read_through_it(page2, tmp_path, monkeypatch):
    from PIL import Image

    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "sec4.png").write_bytes(page2.read_bytes())
    Image.new("L", (300, 120), 255).save(tmp_path / "logo.png")
    Image.new("L", (300, 120), 255).save(tmp_path.parent / "outside.png")
    body = "".join(f"<p>{t}</p>" for t in (sample.TITLE[1], "一、总体情况", sample.PROSE["一、总体情况"]))
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><img src='logo.png'><img src='../outside.png'><img src='http://x.cn/a.png'>"
                    f"{body}<p>{sample.SEC4_TITLE}</p>\n<img src='page_files/sec4.png'></body></html>",
                    encoding="utf-8")
    read = []
    real = ocr.read_pages
    monkeypatch.setattr(ocr, "read_pages", lambda path, pages, total: read.append(Path(path).name) or
                        real(path, pages, total))
    values = load_report(page).records.values
    assert {k: v.number for k, v in values.items() if k[0] == "sec4"} == SEC4
    cell = values[("sec4", "行政复议", "总计")]
    assert cell.loc.path.endswith("sec4.png") and cell.loc.page == 1 and cell.confidence is not None
    assert read == ["logo.png", "sec4.png"]  # the logo is looked at (no table: nothing read), the rest never


def draw(rows: list[int], cols: list[int], merged: tuple = (), bottom: bool = True):
    """A white page with a ruled grid: lines at `rows` and `cols` (pixels at 2 px a point), `merged` cells
    ((row, col) pairs whose right-hand line is left out), the last line left out unless `bottom`."""
    import numpy as np
    import cv2

    page = np.full((800, 700), 255, dtype=np.uint8)
    for y in rows[:None if bottom else -1]:
        cv2.line(page, (cols[0], y), (cols[-1], y), 0, 2)
    for c, x in enumerate(cols):
        for r in range(len(rows) - 1):
            if (r, c - 1) not in merged:
                cv2.line(page, (x, rows[r]), (x, rows[r + 1]), 0, 2)
    return page


def test_a_ruled_grid_gives_its_cells_merged_ones_whole():
    pytest.importorskip("cv2")
    page = draw([100, 150, 200, 250], [50, 250, 400, 550], merged={(0, 1)})
    lines = ocr._Lines(ocr._ink(page), 2.0)
    (box,) = lines.tables()
    table = ocr._grid(lines, box)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in table.cells] == [
        (0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1), (2, 1, 1, 1),
        (2, 2, 1, 1)]


def test_a_table_cut_by_the_page_break_keeps_its_open_last_row():
    pytest.importorskip("cv2")
    page = draw([100, 150, 200, 250], [50, 250, 400], bottom=False)
    lines = ocr._Lines(ocr._ink(page), 2.0)
    table = ocr._grid(lines, lines.tables()[0])
    assert max(c.row for c in table.cells) == 2


def test_strokes_of_large_print_are_not_rules():
    pytest.importorskip("cv2")
    import cv2

    page = draw([100, 150, 200], [50, 250, 400])
    cv2.line(page, (320, 110), (320, 140), 0, 2)  # the stem of a 1 in 20 pt print: 15 pt long, inside its cell
    lines = ocr._Lines(ocr._ink(page), 2.0)
    assert [(c.row, c.col) for c in ocr._grid(lines, lines.tables()[0]).cells] == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_a_progress_bar_shows_on_a_terminal(monkeypatch):
    class Terminal:
        written = ""

        def isatty(self):
            return True

        def write(self, text):
            Terminal.written += text

        def flush(self):
            pass

    monkeypatch.setattr("govreport_check.batch.page_bars", True)
    monkeypatch.setattr(ocr, "require", lambda path: None)
    monkeypatch.setattr(ocr, "page_items", lambda page, path: [])
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setenv("TERM", "xterm")
    assert ocr.read_pages(Path("scan.pdf"), iter([None, None, None]), 3) == [[], [], []]
    assert "识别 scan.pdf" in Terminal.written and "3/3" in Terminal.written
    Terminal.written = ""
    monkeypatch.setattr("govreport_check.batch.page_bars", False)  # a batch's own bar is showing
    ocr.read_pages(Path("scan.pdf"), iter([None]), 1)
    assert Terminal.written == ""


def test_real_hongze_district_rasterised_reads_every_cell_and_fails_on_its_two_sec4_totals(shared, tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    from expected_cells import expected

    path = bench.scan(shared / "real" / "hongze_district_2023.pdf", tmp_path / "hongze-scan.pdf", 150, turn=0,
                      blur=0, noise=0)
    report = load_report(path)
    records = report.records
    cells = expected(shared, "real", "hongze_district_2023.pdf")["cells"]
    assert len(cells) == 176
    def read(c):
        value = records.get(c["table"], c["row"], c["column"])
        return value.number if value is not None else None

    wrong = [(c["table"], c["row"], c["column"]) for c in cells
             if read(c) != (Decimal(str(c["value"])) if c["value"] is not None else None)]
    assert wrong == []
    result = checked(report)
    errors = [f for f in result.findings
              if f.severity.value == "error" and f.rule not in ("template-outdated", "template-mixed")]
    assert result.status == "fail"
    assert [(f.rule, f.cells[0].row) for f in errors] == [("sec4-row-total", "行政复议"), ("sec4-row-total", "复议后起诉")]
    assert all(f.loc.place.startswith("第4页") and f.cells[0].value.loc.page == 4 for f in errors)
