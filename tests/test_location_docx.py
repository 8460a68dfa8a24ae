"""In a Word document a finding about the prose points at its paragraph (第N段): Word numbers no lines."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import sample_2021 as sample
from test_layout_docx import add_tables_and_closing

from govreport_check.layouts import read_document
from govreport_check.model import Loc
from govreport_check.report import load_report

WRONG_PROSE = "2023年，本机关共收到政府信息公开申请15件，上年结转1件。"  # the table says 13 (14 with 二)


def build(path: Path) -> Path:
    document = docx.Document()
    for line in sample.TITLE:  # paragraphs 1 and 2
        document.add_paragraph(line)
    document.add_paragraph("")  # shows nothing: not counted
    document.add_paragraph("一、总体情况")  # 3
    intro = document.add_paragraph("本年度工作概述如下：")  # 4, over two lines
    intro.add_run().add_break()
    intro.add_run("全年持续推进政务公开。")
    document.add_paragraph(WRONG_PROSE)  # 5
    add_tables_and_closing(document)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("docx") / "report.docx")


def test_a_prose_finding_names_its_paragraph(cli, report):
    code, data = cli.json("check", report)
    [finding] = [f for f in data["reports"][0]["findings"] if f["rule"] == "prose-received"]
    assert code == 0
    assert finding["location"] == f"{report} 第5段"
    assert finding["line"] is None
    assert finding["message"].startswith(f"第5段“{WRONG_PROSE[:-1]}")
    code, out, _ = cli("check", report, "--format", "plain")
    assert f"{report} 第5段: warning P1 prose-received 第5段“" in out


def test_each_line_keeps_its_paragraph_or_table_row(report):
    doc = read_document(report)
    path = str(report)
    numbered = {line: doc.loc(n) for n, line in enumerate(doc.lines, 1)}
    assert numbered["一、总体情况"] == Loc(path, paragraph=3)
    assert numbered["本年度工作概述如下："] == numbered["全年持续推进政务公开。"] == Loc(path, paragraph=4)
    assert numbered[sample.SEC3_TITLE].paragraph is not None
    sec3 = max(doc.tables, key=lambda t: len(t.rows))
    first = doc.loc(sec3.anchor)
    assert (first.table, first.row) == (2, sec3.rows[0][0].loc.row)
    assert str(first) == f"{path} 表2 第{first.row}行"
    assert str(load_report(report).at(doc.lines.index(WRONG_PROSE) + 1)) == f"{path} 第5段"


def test_text_reports_keep_their_lines(cli, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("\n".join(read_document(build(tmp_path / "r.docx")).lines), encoding="utf-8")
    report = load_report(path)
    assert report.document.places == ()
    assert report.at(7) == Loc(str(path), 7) and str(report.at(7)) == f"{path}:7"


def test_leftover_instructions_and_the_title_year_name_their_paragraph_in_word(cli, tmp_path):
    path = build(tmp_path / "left.docx")
    document = docx.Document(path)
    document.paragraphs[1].text = "2022年政府信息公开工作年度报告"  # the title's year ≠ 统计期限's
    document.add_paragraph("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。")
    document.add_paragraph("（文字描述本机关存在的主要问题）")
    document.save(path)
    n = sum(1 for p in document.paragraphs if p.text.strip())
    code, data = cli.json("check", path)
    messages = {f["rule"]: f["message"] for f in data["reports"][0]["findings"]}
    assert messages["template-instructions"] == f"第{n}段残留模板说明文字：“（文字描述本机关存在的主要问题）”"
    assert messages["year-mismatch"] == f"标题为2022年度（第2段），统计期限却从2023年开始（第{n - 1}段）"
