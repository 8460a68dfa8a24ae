"""HTML pages: a hand-written CMS/Word page, its encodings and disguises, hostile markup, and the shared cases."""

from __future__ import annotations

import quopri
import time
from pathlib import Path

import pytest

import sample_2021 as sample
from expected_cells import assert_case
from govreport_check.errors import InputError
from govreport_check.layouts import html, read_document
from govreport_check.layouts.grid import MAX_COLS
from govreport_check.report import load_report

PAGE = Path(__file__).parent / "fixtures" / "html" / "cms_page.html"


def cells(path: Path) -> dict:
    records = load_report(path).records
    return {key: value.raw for key, value in records.values.items()}


def source_line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_cms_page_extracts_the_sample_and_checks_clean(cli):
    sample.assert_reads_as_sample(cli, PAGE, "utf-8")


def test_spans_blanks_and_split_numbers():
    got = cells(PAGE)
    assert got[("sec3", "一", "总计")] == "13"  # <span>1</span><span>3</span><o:p></o:p>
    assert got[("sec2", "行政规范性文件", "现行有效件数")] == "20"
    assert got[("sec2", "行政许可", "本年处理决定数量")] == "15"
    assert got[("sec3", "三.三.4", "自然人")] == "1"
    assert got[("sec4", "复议后起诉", "其他结果")] == "1"
    assert len(got) == 200  # 2021 template: sec2 10, sec3 25 × 7, sec4 15


def test_navigation_scripts_comments_and_hidden_tables_are_not_read():
    doc = read_document(PAGE)
    titles = [n for n, line in enumerate(doc.lines, start=1) if line.startswith("三、收到")]
    assert len(titles) == 1
    assert not any("999" in line or line.endswith(" 99") for line in doc.lines)
    assert not any("首页" in line or "相关链接" in line for line in doc.lines)


def test_cells_carry_their_source_line():
    text = PAGE.read_text(encoding="utf-8")
    value = load_report(PAGE).records.get("sec3", "三.四.1", "自然人")
    assert value.loc.line == source_line(text, "1.本机关不掌握相关政府信息")


def test_covered_cells_keep_values_in_order():
    doc = read_document(PAGE)
    sec3 = next(t for t in doc.tables if any("一、本年新收" in c.text for row in t.rows for c in row))
    row = next(r for r in sec3.rows if any(c.text == "2.其他法律行政法规禁止公开" for c in r))
    assert [c.covered for c in row[:2]] == [True, True]
    assert len(row) == 10
    first = next(r for r in sec3.rows if r[0].text.startswith("一、"))
    assert first[0].colspan == 3 and len(first) == 8


def test_declared_gb2312_page_decodes_as_gb18030(tmp_path):
    text = PAGE.read_text(encoding="utf-8").replace("charset=utf-8", "charset=gb2312")
    page = tmp_path / "gb.htm"
    page.write_bytes(text.encode("gb18030"))
    assert read_document(page).encoding == "gb18030"
    assert cells(page) == cells(PAGE)


def test_a_page_lying_about_its_charset_falls_back_to_the_cascade(tmp_path):
    page = tmp_path / "lie.html"
    page.write_bytes(PAGE.read_text(encoding="utf-8").replace("charset=utf-8", "charset=iso-8859-1").encode())
    assert read_document(page).encoding == "utf-8"


def test_utf16_page_with_bom(tmp_path):
    page = tmp_path / "u16.html"
    page.write_bytes(PAGE.read_text(encoding="utf-8").encode("utf-16"))
    assert cells(page) == cells(PAGE)


def test_page_saved_as_txt_is_still_html(tmp_path):
    page = tmp_path / "saved.txt"
    page.write_bytes(PAGE.read_bytes())
    assert read_document(page).layout == "html"


def test_mht_archive(tmp_path):
    body = quopri.encodestring(PAGE.read_bytes()).decode("ascii")
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
           "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           f"{body}\r\n--B--\r\n")
    page = tmp_path / "saved.mht"
    page.write_text(mht, encoding="ascii")
    assert cells(page) == cells(PAGE)


def test_headline_deep_in_a_long_page_still_gives_year_and_body(tmp_path):
    head = "\n".join(f"<link rel='stylesheet' href='/s{i}.css'>" for i in range(300))
    page = tmp_path / "long.html"
    page.write_text(f"<html><head><title>政务公开</title>\n{head}\n</head><body>\n"
                    "<div class='nav'><p>测试局2022年政府信息公开工作年度报告</p></div>\n"
                    "<h1>测试局2023年政府信息公开工作年度报告</h1>\n<p>一、总体情况</p>\n</body></html>",
                    encoding="utf-8")
    report = load_report(page)
    assert (report.year, report.unit) == (2023, "测试局")
    source = source_line(page.read_text(encoding="utf-8"), "<p>一、总体情况</p>")
    assert report.document.lines.index("一、总体情况") + 1 == source  # blocks sit at their source lines


def test_two_column_layout_table_without_nested_tables_is_read_as_text(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in ["一、总体情况", "本机关认真贯彻落实政府信息公开条例。" * 30,
                                                  "三、收到和处理政府信息公开申请情况"])
    page = tmp_path / "layout.html"
    page.write_text(f"<html><body><table><tr><td>导航</td><td>{body}</td></tr></table></body></html>",
                    encoding="utf-8")
    doc = read_document(page)
    assert "三、收到和处理政府信息公开申请情况" in doc.lines and not doc.tables


def test_huge_spans_are_clamped_quickly(tmp_path):
    rows = "".join('<tr><td rowspan="999999" colspan="999999">一</td><td>1</td></tr>' for _ in range(50))
    wide = "<tr>" + '<td colspan="1000">x</td>' * 3000 + "</tr>"
    page = tmp_path / "spans.html"
    page.write_text(f"<html><body><p>政府信息公开</p><table>{rows}</table><table>{wide * 20}</table></body></html>",
                    encoding="utf-8")
    start = time.monotonic()
    doc = read_document(page)
    assert time.monotonic() - start < 5
    assert all(len(row) <= MAX_COLS for t in doc.tables for row in t.rows)


def test_deep_nesting_does_not_crash(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body><p>政府信息公开</p>" + "<div>" * 100_000 + "申请" + "</div>" * 100_000
                    + "</body></html>", encoding="utf-8")
    assert read_document(page).lines


def test_oversized_page_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_HTML_BYTES", 1000)
    with pytest.raises(InputError, match="过大"):
        read_document(PAGE)


def test_page_without_report_words_is_an_input_error(tmp_path):
    page = tmp_path / "other.html"
    page.write_text("<html><body><table><tr><td>天气</td><td>晴</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(InputError):
        read_document(page)


@pytest.mark.parametrize("name", ["sample2019-html.html", "sample2021-html.html"])
def test_corpus_pages_extract_every_cell(shared, cli, name):
    assert_case(shared, cli, "corpus", name)


def test_real_hangzhou_style_page(shared, cli):
    assert_case(shared, cli, "real", "hangzhou_style_2025_fixture.html")
