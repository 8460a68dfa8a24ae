"""PDF: a two-page report drawn here with reportlab (a table cut by the page break, its header repeated, a row and a
merged label split across the break, a number wrapped in its cell), damaged and scanned files, and the real PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
canvas = pytest.importorskip("reportlab.pdfgen.canvas")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402

import sample_2021 as sample  # noqa: E402
from expected_cells import assert_case, mismatches  # noqa: E402
from govreport_check.errors import InputError  # noqa: E402
from govreport_check.layouts import pdf as pdf_layout  # noqa: E402
from govreport_check.layouts import read_document  # noqa: E402
from govreport_check.layouts.grid import Span  # noqa: E402
from govreport_check.model import Loc  # noqa: E402
from govreport_check.report import load_report  # noqa: E402

FONT, SIZE, ROW, HEIGHT = "STSong-Light", 6.5, 18, 842
SPLIT = 12  # sec3 grid rows 0–11 on page 1; row 11 (三.三.5) has its label cut by the page break


def text_lines(text: str, width: float) -> list[str]:
    out = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if pdfmetrics.stringWidth(line + ch, FONT, SIZE) > width:
                out.append(line)
                line = ""
            line += ch
        out.append(line)
    return out


def draw_table(c, top: float, widths: list[float], spans) -> float:
    xs = [60.0]
    for w in widths:
        xs.append(xs[-1] + w)
    c.setFont(FONT, SIZE)
    bottom = top
    for r, col, rowspan, colspan, text in spans:
        left, right = xs[col], xs[col + colspan]
        y0, y1 = top + r * ROW, top + (r + rowspan) * ROW
        bottom = max(bottom, y1)
        c.rect(left, HEIGHT - y1, right - left, y1 - y0)
        for i, line in enumerate(text_lines(text, right - left - 3)):
            c.drawString(left + 1.5, HEIGHT - (y0 + 2 + (i + 1) * SIZE * 1.1), line)
    return bottom


def say(c, top: float, text: str, size: float = 10) -> None:
    c.setFont(FONT, size)
    c.drawString(60, HEIGHT - top, text)


def sec3_pages() -> tuple[list, list]:
    """Page 1 keeps rows before SPLIT, cutting 三、本年度办理结果, （三）不予公开 and row 11's label; page 2 repeats the
    three header rows, then the phantom row with the rest of those labels, then the remaining rows."""
    _, _, spans = sample.sec3_spans()
    first, second = [], [s for s in spans if s[0] + s[2] <= 3]
    for r, col, rowspan, colspan, text in spans:
        if r >= SPLIT:
            second.append((r - SPLIT + 4, col, rowspan, colspan, text))
        elif r + rowspan > SPLIT:
            first.append((r, col, SPLIT - r, colspan, "（三）不" if text == "（三）不予公开" else text))
            rest = r + rowspan - SPLIT
            second.append((3, col, rest + 1, colspan, "予公开" if text == "（三）不予公开" else ""))
        elif r == SPLIT - 1 and col == 2:
            first.append((r, col, rowspan, colspan, "5.属于三类内部"))
            second.append((3, col, 1, 1, "事务信息"))
        else:
            first.append((r, col, rowspan, colspan, text))
    second += [(3, col, 1, 1, "") for col in range(3, 10)]
    return first, second


def build_report(path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path))
    say(c, 60, sample.TITLE[0], 14)
    say(c, 80, sample.TITLE[1], 14)
    say(c, 110, "一、总体情况")
    say(c, 128, sample.PROSE["一、总体情况"])
    say(c, 155, sample.SEC2_TITLE)
    _, _, sec2 = sample.sec2_spans()
    sec2 = [(r, col, rs, cs, "1\n5" if text == "15" else text) for r, col, rs, cs, text in sec2]
    end = draw_table(c, 165, [150, 100, 100, 100], sec2)
    say(c, end + 20, sample.SEC3_TITLE)
    page1, page2 = sec3_pages()
    widths = [30, 50, 150] + [35] * 7
    draw_table(c, end + 30, widths, page1)
    say(c, 800, "- 1 -")
    c.showPage()
    end = draw_table(c, 60, widths, page2)
    say(c, end + 20, sample.SEC4_TITLE)
    _, _, sec4 = sample.sec4_spans()
    end = draw_table(c, end + 30, [31] * 15, sec4)
    for i, title in enumerate(sample.CLOSING):
        say(c, end + 30 + 40 * i, title)
        say(c, end + 48 + 40 * i, sample.PROSE[title])
    say(c, 800, "- 2 -")
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    return build_report(tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_drawn_report_extracts_every_cell_and_passes(report_pdf, cli):
    sample.assert_reads_as_sample(cli, report_pdf, "pdf")


def test_table_is_stitched_across_the_page_break(report_pdf):
    doc = read_document(report_pdf)
    sec3 = next(t for t in doc.tables if any(c.text.startswith("一、本年新收") for r in t.rows for c in r))
    assert len(sec3.rows) == 3 + len(sample.SEC3_ROWS)  # header once, phantom row merged back
    labels = [c.text for r in sec3.rows for c in r]
    assert "5.属于三类内部\n事务信息" in labels and "（三）不\n予公开" in labels
    assert not any(line.strip("- ").isdigit() for line in doc.lines)


def test_cells_name_their_page(report_pdf, cli):
    records = load_report(report_pdf).records
    assert records.get("sec3", "一", "总计").loc.page == 1
    assert records.get("sec3", "三.七", "总计").loc.page == 2
    _, out = cli.json("extract", report_pdf)
    cell = next(c for c in out["reports"][0]["cells"] if (c["table"], c["row"], c["column"]) == ("sec4", "行政复议", "总计"))
    assert cell["page"] == 2 and "第2页" in cell["location"]


def test_number_wrapped_in_its_cell_is_joined(report_pdf):
    value = load_report(report_pdf).records.get("sec2", "行政许可", "本年处理决定数量")
    assert (value.raw, value.number) == ("15", 15)


def page_grid(page: int, rows: list[list[str]]) -> "pdf_layout._Grid":
    """A ruled table as one page gives it: one span per cell, two columns at x = 60 and 210."""
    spans = [Span(text, Loc("t.pdf", page=page, row=r + 1), r, c) for r, row in enumerate(rows)
             for c, text in enumerate(row)]
    grid = pdf_layout._Grid(spans, [Loc("t.pdf", page=page, row=r + 1) for r in range(len(rows))], [60.0, 210.0])
    grid.header = [pdf_layout._texts(grid, r) for r in range(min(pdf_layout.MAX_HEADER_ROWS, len(rows)))]
    return grid


def stitched(*pages: list[list[str]]) -> list[list[str]]:
    items: list = []
    for number, rows in enumerate(pages, start=1):
        pdf_layout._append(items, [page_grid(number, rows)])
    assert len(items) == 1
    return [[s.text for s in items[0].row(r)] for r in range(len(items[0].locs))]


def test_a_heading_row_after_the_break_is_not_taken_for_the_rest_of_a_row():
    heading = page_grid(2, [["第二十条第（八）项"]])
    heading.spans = [Span("第二十条第（八）项", Loc("t.pdf", page=2, row=1), 0, 0, colspan=2)]
    items = [page_grid(1, [["信息内容", "本年处理决定数量"], ["行政强制", "2"]])]
    pdf_layout._append(items, [heading])
    assert [s.text for s in items[0].row(2)] == ["第二十条第（八）项"]


def test_a_row_cut_between_label_and_figures_is_joined():
    assert stitched([["信息内容", "数量"], ["行政处罚", ""]], [["信息内容", "数量"], ["", "30"]]) == [
        ["信息内容", "数量"], ["行政处罚", "30"]]


def test_a_new_row_after_the_break_stays_a_row():
    assert stitched([["行政处罚", "30"]], [["行政强制", "2"]]) == [["行政处罚", "30"], ["行政强制", "2"]]


def test_pdf_without_text_layer_is_an_input_error(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(60, 60, 400, 600, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(InputError, match="没有文字层"):
        read_document(path)


def test_damaged_pdf_is_an_input_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF")
    with pytest.raises(InputError, match="无法读取 PDF"):
        read_document(path)


def test_too_many_pages_is_an_input_error(report_pdf, monkeypatch):
    monkeypatch.setattr(pdf_layout, "MAX_PAGES", 1)
    with pytest.raises(InputError, match="超过上限"):
        read_document(report_pdf)


def test_without_pdfplumber_the_message_says_how_to_install(report_pdf, monkeypatch, cli):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(InputError, match=r'pip install "govreport-check\[pdf\]"'):
        read_document(report_pdf)
    code, _, err = cli("check", report_pdf)
    assert code == 2


def test_real_huaian_city(shared, cli):
    assert_case(shared, cli, "real", "huaian_city_2024.pdf")


def test_real_hongze_district_fails_on_its_two_sec4_totals(shared, cli):
    code, out = cli.json("check", shared / "real" / "hongze_district_2023.pdf")
    report = out["reports"][0]
    errors = [f for f in report["findings"] if f["severity"] == "error" and f["rule"] not in ("template-outdated", "template-mixed")]
    assert code == 1 and report["template"] == "2019"
    assert [(f["rule"], f["cells"][0]["row"]) for f in errors] == [("sec4-row-total", "行政复议"),
                                                                   ("sec4-row-total", "复议后起诉")]
    assert all("第4页" in f["location"] and f["cells"][0]["page"] == 4 for f in errors)
    assert any(f["rule"] == "template-outdated" for f in report["findings"])  # its sec3 is the 2019 one


def test_real_hongze_district_every_listed_cell(shared):
    """Including 三.三.2, misspelt in the report (2.其他法律行政止公开), placed by its number within 不予公开."""
    assert mismatches(shared, "real", "hongze_district_2023.pdf") == []
