"""Word .docx: a report with merged cells built here by python-docx, XML edge cases, hostile packages, .doc→.docx."""

from __future__ import annotations

import os
import stat
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

import sample_2021 as sample
from expected_cells import assert_case
from govreport_check.errors import InputError
from govreport_check.layouts import docx as docx_layout
from govreport_check.layouts import read_document
from govreport_check.model import Loc
from govreport_check.report import load_report

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def add_table(document, shape) -> None:
    """Merge first (python-docx writes gridSpan and vMerge), then fill each merged cell once."""
    n_rows, n_cols, spans = shape
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    for r, c, rowspan, colspan, text in spans:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        paragraph = cell.paragraphs[0]
        if text.isdigit() and len(text) > 1:
            for digit in text:  # a number typed in pieces: one run per digit
                paragraph.add_run(digit)
        else:
            paragraph.add_run(text)


def add_tables_and_closing(document) -> None:
    """Sections 二 to 六 of the sample: the three tables under their titles, then 五 and 六."""
    document.add_paragraph(sample.SEC2_TITLE)
    add_table(document, sample.sec2_spans())
    document.add_paragraph(sample.SEC3_TITLE)
    add_table(document, sample.sec3_spans())
    document.add_paragraph(sample.SEC4_TITLE)
    add_table(document, sample.sec4_spans())
    for title in sample.CLOSING:
        document.add_paragraph(title)
        document.add_paragraph(sample.PROSE[title])


def build_report(path: Path) -> Path:
    document = docx.Document()
    for line in sample.TITLE:
        document.add_paragraph(line)
    first = document.add_paragraph()
    first.add_run().add_tab()
    first.add_run("一、总体情况")
    document.add_paragraph(sample.PROSE["一、总体情况"])
    hidden = document.add_paragraph().add_run("三、收到和处理政府信息公开申请情况（隐藏的修订说明）")
    hidden.font.hidden = True
    add_tables_and_closing(document)
    last = document.paragraphs[-1]._p
    sdt = parse_xml(f"<w:sdt {W_NS}><w:sdtContent/></w:sdt>")
    last.addprevious(sdt)
    sdt[0].append(last)  # the last paragraph inside a content control
    document.save(path)
    return path


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Path:
    return build_report(tmp_path_factory.mktemp("docx") / "report.docx")


def test_built_report_extracts_every_cell_and_passes(report_docx, cli):
    sample.assert_reads_as_sample(cli, report_docx, "docx")


def test_merged_cells_appear_once_and_covered_below(report_docx):
    doc = read_document(report_docx)
    sec3 = doc.tables[[i for i, t in enumerate(doc.tables) if len(t.rows) > 20][0]]
    first = next(r for r in sec3.rows if r[0].text.startswith("一、"))
    assert (len(first), first[0].colspan) == (8, 3)
    sub = next(r for r in sec3.rows if any(c.text == "2.其他法律行政法规禁止公开" for c in r))
    assert [c.covered for c in sub[:3]] == [True, True, False]
    assert sub[0].loc == Loc(str(report_docx), table=2, row=sub[0].loc.row, col=1)
    assert sub[3].loc.col == 4


def test_body_order_tabs_hidden_text_and_content_controls(report_docx):
    doc = read_document(report_docx)
    assert "一、总体情况" in doc.lines
    assert not any("隐藏的修订说明" in line for line in doc.lines)
    assert doc.lines[-1] == sample.PROSE["六、其他需要报告的事项"]
    anchors = [t.anchor for t in doc.tables]
    assert anchors == sorted(anchors)
    assert doc.lines.index(sample.SEC3_TITLE) + 1 < anchors[-2]


def test_cell_locations_name_table_row_and_grid_column(report_docx):
    value = load_report(report_docx).records.get("sec3", "三.四.1", "自然人")
    assert (value.loc.table, value.loc.row, value.loc.col) == (2, 16, 4)
    assert str(value.loc).endswith("表2 第16行 第4列")


def test_grid_before_and_vmerge_without_restart(tmp_path):
    document = docx.Document()
    document.add_paragraph("政府信息公开")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])
    tr_pr = row.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:gridBefore {W_NS} w:val="1"/>'))
    below = table.rows[2]._tr.tc_lst[2]
    below.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {W_NS}/>"))  # continues "12"
    path = tmp_path / "grid.docx"
    document.save(path)
    [t] = read_document(path).tables
    assert [c.text for c in t.rows[1]] == ["11", "12"]
    assert t.rows[1][0].loc.col == 2
    assert t.rows[1][1].rowspan == 2
    assert t.rows[2][2].covered and t.rows[2][2].loc.col == 3


def test_huge_grid_span_is_clamped(tmp_path):
    document = docx.Document()
    document.add_paragraph("政府信息公开")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "规章", "1"
    table.cell(1, 0).text, table.cell(1, 1).text = "行政许可", "2"
    span = parse_xml(f'<w:gridSpan {W_NS} w:val="999999999"/>')
    table.rows[0]._tr.tc_lst[0].get_or_add_tcPr().append(span)
    path = tmp_path / "span.docx"
    document.save(path)
    assert read_document(path).tables


def test_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_layout, "MAX_XML_PART_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (8 * 1024 * 1024))
    with pytest.raises(InputError, match="过大"):
        read_document(path)


def test_a_zip_that_is_not_word(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="Word"):
        read_document(path)


def test_macro_enabled_and_template_packages_read_too(tmp_path, report_docx):
    path = tmp_path / "report.dotx"
    with zipfile.ZipFile(report_docx) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, data)
    assert len(read_document(path).tables) == len(read_document(report_docx).tables)


def test_a_damaged_package(tmp_path, report_docx):
    path = tmp_path / "cut.docx"
    path.write_bytes(report_docx.read_bytes()[:3000])
    with pytest.raises(InputError):
        read_document(path)


def test_doc_without_libreoffice_asks_for_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputError, match=r"\.docx"):
        read_document(path)


def test_doc_is_converted_by_libreoffice_when_installed(tmp_path, monkeypatch, report_docx):
    """A stand-in `soffice` that "converts" by copying our .docx; the reader must find and read its output."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(
        f"#!{sys.executable}\nimport shutil, sys\nargs = sys.argv[1:]\nout = args[args.index('--outdir') + 1]\n"
        f"import os; os.makedirs(out, exist_ok=True)\n"
        f"shutil.copy({str(report_docx)!r}, os.path.join(out, 'report.docx'))\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    path = tmp_path / "old.wps"
    original = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    path.write_bytes(original)
    doc = read_document(path)
    assert doc.encoding == "doc→docx"
    assert doc.tables[0].loc.path == str(path)
    assert path.read_bytes() == original


@pytest.mark.parametrize("name", ["sample2019-docx.docx", "sample2021-docx.docx"])
def test_corpus_documents_extract_every_cell(shared, cli, name):
    assert_case(shared, cli, "corpus", name)


def test_official_blank_template_reads_as_blank_cells(shared, cli):
    path = shared / "real" / "official_2021_template_blank.docx"
    report = load_report(path)
    assert report.template.id == "2021"
    kinds = {v.kind for v in report.records.values.values()}
    assert kinds == {"blank"}
    assert len(report.records.values) == 10 + 25 * 7 + 15
    code, out = cli.json("check", path)
    findings = out["reports"][0]["findings"]
    assert code == 1 and out["reports"][0]["status"] == "fail"  # an unfilled template is one error a table
    assert [f["rule"] for f in findings if f["rule"] != "template-instructions"] == ["table-unfilled"] * 3
