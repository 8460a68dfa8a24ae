"""The report's title, year and unit: a section heading is never the title, and the unit carries no markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govreport_check import meta
from govreport_check.layouts import read_document
from govreport_check.report import load_report

PAGE = Path(__file__).parent / "fixtures" / "html" / "cms_page.html"
WRAPPED = Path(__file__).parent / "fixtures" / "spaces" / "wrapped-2021.txt"
LONG_INTRO = "根据《中华人民共和国政府信息公开条例》的规定，测试县人民政府办公室编制本报告。"


def cells(path: Path) -> dict:
    return {key: value.raw for key, value in load_report(path).records.values.items()}


def untitled_page(tmp_path: Path, long_intro: bool) -> Path:
    """cms_page.html without <title> and <h1>: the only short lines saying 报告 are headings (六、其他需要报告的事项)
    and, unless it opens a longer paragraph, the 统计期限 sentence."""
    text = PAGE.read_text(encoding="utf-8")
    text = re.sub(r"<title>.*?</title>\n|<h1>.*?</h1>\n", "", text)
    if long_intro:
        text = text.replace("<p>本报告中所列数据的统计期限", f"<p>{LONG_INTRO}本报告中所列数据的统计期限")
    page = tmp_path / "untitled.html"
    page.write_text(text, encoding="utf-8")
    return page


@pytest.mark.parametrize("long_intro", [True, False], ids=["headings-only", "period-sentence-alone"])
def test_page_without_title_takes_no_heading_or_sentence_as_headline(tmp_path, long_intro):
    page = untitled_page(tmp_path, long_intro)
    doc = read_document(page)
    first = next(line for line in doc.lines if line.strip())
    assert not meta.is_heading(first)
    assert first.startswith(("本报告", "根据", "一、"))  # the page's own first block, nothing moved before it
    report = load_report(page)
    assert [s.id for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    six = next(s for s in report.sections if s.id == "六")
    assert doc.lines[six.start - 1] == "六、其他需要报告的事项" and six.start > report.sections[0].start
    assert report.unit is None  # not 本报告中所列数据的统计期限自…
    assert report.year == 2023  # from the 统计期限 sentence
    assert cells(page) == cells(PAGE)


def test_page_without_title_checks_clean_with_no_unit(cli, tmp_path):
    code, data = cli.json("check", untitled_page(tmp_path, True))
    report = data["reports"][0]
    assert (code, report["unit"], report["year"], report["template"]) == (0, None, 2023, "2021")


def test_text_without_title_line_reads_every_table(tmp_path, example):
    """The example without its title, the 统计期限 sentence on a line of its own (short, with 报告 and a year)."""
    lines = example.read_text(encoding="utf-8").splitlines()[1:]
    intro = next(i for i, line in enumerate(lines) if "统计期限" in line)
    head, period, tail = lines[intro].partition("本报告中所列数据的统计期限")
    lines[intro:intro + 1] = [head, period + tail.split("。")[0] + "。"]
    text = tmp_path / "untitled.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_report(text)
    assert meta.title_line(report.document.lines) is None
    assert report.unit is None and report.year == 2020
    assert len(report.sections) == 6
    assert cells(text) == cells(example)


@pytest.mark.parametrize("line", [
    "六、其他需要报告的事项", "六 其他需要报告的事项", "**六、其他需要报告的事项**", "### 六、其他需要报告的事项",
    "其他需要报告的事项", "（一）2020年度报告编制情况", "第一部分 2020年度报告总体情况", "l六、2020年需要报告的事项",
    "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。", "上一篇：示例区2019年政府信息公开工作年度报告",
    "首页 > 政务公开 > 示例区2020年政府信息公开工作年度报告",
])
def test_headings_sentences_and_links_are_never_the_title(line):
    assert meta.title_text(line) is None
    assert meta.title_line((line, "", "示例区政府信息公开工作")) is None


def test_the_title_after_a_heading_is_found():
    lines = ("（一）2019年度报告整改情况", "示例区2020年政府信息公开工作年度报告")
    assert meta.title_line(lines) == (2, "示例区2020年政府信息公开工作年度报告")
    assert meta.unit_name(lines) == "示例区"


@pytest.mark.parametrize("title, unit", [
    ("# 示例区2020年政府信息公开工作年度报告", "示例区"),
    ("## **示例区人民政府**2020年政府信息公开工作年度报告", "示例区人民政府"),
    ("标题：示例区2020年度政府信息公开工作年度报告", "示例区"),
    ("【标题】示例区2020年政府信息公开工作年度报告", "示例区"),
    ("&nbsp;<b>示例区</b>&nbsp;2020年政府信息公开工作年度报告", "示例区"),
    ("关于示例区2020年政府信息公开工作年度报告", "示例区"),
    ("示例区人民政府关于2020年政府信息公开工作年度报告", "示例区人民政府"),
    ("“示例区”2020年政府信息公开工作年度报告", "示例区"),
    ("示例区：2020年政府信息公开工作年度报告", "示例区"),
    ("| 示例区2020年政府信息公开工作年度报告 |", "示例区"),
    ("示例区发展和改革局2020年政府信息公开年度报告-示例区发改局", "示例区发展和改革局"),
    ("# 示例县人民政府 2020 年 政府信息公开工作年度报告", "示例县人民政府"),
    ("2020年示例区政府信息公开工作年度报告", "示例区"),
    ("2020年政府信息公开工作年度报告", None),
])
def test_unit_name_is_clean(title, unit):
    assert meta.unit_name((title,)) == unit


def test_unit_on_the_line_above_a_title_that_names_none():
    """PDFs centre the body's name above `2023 年政府信息公开工作年度报告`."""
    assert load_report(WRAPPED).unit == "测试市人民政府"
    assert meta.unit_name(("本机关依法公开政府信息。", "2023年政府信息公开工作年度报告")) is None


def test_markdown_title_gives_a_clean_unit_in_json(cli, tmp_path, example):
    md = tmp_path / "示例区.md"
    md.write_text("# " + example.read_text(encoding="utf-8"), encoding="utf-8")
    for command in ("check", "extract"):
        code, data = cli.json(command, md)
        assert code == 0, command
        assert data["reports"][0]["unit"] == "示例区", command
        assert data["reports"][0]["year"] == 2020, command
