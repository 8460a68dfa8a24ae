"""`check --format html`: one self-contained page, the tables drawn as the form, the cells of a problem marked."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import lxml.html
import pytest

from build import report_text
from govreport_check.findings import CellRef, Finding, Problem, Severity, Suggestion
from govreport_check.model import Loc, Value
from govreport_check.problems import group
from govreport_check.render.html import check_document
from govreport_check.report import Result, Summary, Unreadable, check, load_report
from govreport_check.rules.engine import Counts
from govreport_check.template.spec import builtin_templates

WRONG = "sec3/三.一/科研机构"


def page(cli, *args) -> tuple[int, lxml.html.HtmlElement]:
    code, out, _ = cli("check", *args, "--format", "html")
    return code, lxml.html.document_fromstring(out)


def template_cells(template: str) -> list[str]:
    out = []
    for spec in builtin_templates()[template].tables.values():
        for row in spec.rows:
            out += [f"{spec.id}/{row.id}/{c}" for c in spec.columns_of(row.id)]
    return out


def marked(doc) -> dict[str, str]:
    return {td.get("data-cell"): td.get("data-severity") for td in doc.xpath("//td[@data-severity]")}


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_cell_of_the_form_is_drawn_once(cli, tmp_path, template):
    path = tmp_path / f"{template}.txt"
    path.write_text(report_text(template, 2020 if template == "2019" else 2021), encoding="utf-8")
    code, doc = page(cli, path)
    drawn = [td.get("data-cell") for td in doc.xpath("//*[@data-cell]")]
    assert code == 0
    assert sorted(drawn) == sorted(template_cells(template))
    sec3 = builtin_templates()[template].tables["sec3"]
    assert len([c for c in drawn if c.startswith("sec3/")]) == len(sec3.rows) * len(sec3.columns)
    assert doc.xpath('string(//td[@data-cell="sec3/一/总计"])') == "17"
    labels = doc.xpath("//td[contains(@class, 'label')]/text()")
    assert "（一）予以公开" in labels and "不予公开" in labels  # group rows are label-only rows
    assert not doc.xpath("//td[@data-severity]")


def test_the_wrong_cell_is_marked_with_its_correction_and_equation(cli, example_error):
    code, doc = page(cli, example_error)
    assert code == 1
    assert marked(doc) == {WRONG: "error"}
    cell = doc.xpath(f'//td[@data-cell="{WRONG}"]')[0]
    assert cell.text == "3" and "应为 2" in cell.text_content()
    assert re.search(r"总计 23 ≠ .*科研机构 3", cell.get("title"))
    note = cell.getparent().getnext()
    assert note.get("class") == "note" and re.search(r"总计 23 ≠ .*科研机构 3", note.text_content())
    (target,) = {a.get("href")[1:] for a in cell.xpath(".//a")}  # one problem: every finding the cell explains
    problem = doc.get_element_by_id(target)
    assert problem.tag == "li" and "（一）予以公开 · 科研机构 改为 2" in problem.text_content()
    assert len(doc.xpath("//ol[@class='problems']/li[contains(@class, 'error')]")) == 1


def test_the_page_asks_nothing_of_the_network(cli, example, example_error, tmp_path):
    _, out, _ = cli("check", example, example_error, tmp_path / "missing.txt", "--format", "html")
    doc = lxml.html.document_fromstring(out)
    links = [v for el in doc.iter() if isinstance(el.tag, str) for k, v in el.attrib.items() if k in ("src", "href")]
    styles = "".join(doc.xpath("//style/text()")) + "".join(doc.xpath("//@style"))
    assert links and all(v.startswith("#") for v in links)
    assert not re.search(r"url\(|@import", styles)
    assert not doc.xpath("//link | //img | //iframe | //object | //script[@src]")
    assert len(doc.xpath("//script")) == 1 and len(doc.xpath("string(//script)").splitlines()) <= 5


def test_a_batch_has_an_index_failing_first_linking_to_each_report(cli, example, example_error, tmp_path):
    missing = tmp_path / "missing.txt"
    code, doc = page(cli, example, example_error, missing)
    assert code == 2
    rows = doc.xpath("//table[@class='index']/tbody/tr")
    files = [r.xpath("string(td[1])") for r in rows]
    assert files == [str(missing), str(example_error), str(example)]
    assert "无法读取" in rows[0].text_content() and "文件不存在" in rows[0].text_content()
    assert [r.xpath("string(td[5])") for r in rows[1:]] == ["未通过", "通过"]
    ids = set(doc.xpath("//@id"))
    for row in rows:
        (href,) = row.xpath("td[1]/a/@href")
        assert href[1:] in ids
        assert doc.get_element_by_id(href[1:]).xpath("string(.//dd[1])") in ("", row.xpath("string(td[1])"))
    headers = doc.xpath("//table[@class='index']/thead/tr/th/text()")
    assert headers == ["文件", "单位", "年度", "模板", "结果", "错误（处）", "警告（处）"]
    assert all(td.get("data-v") is not None for r in rows for td in r.xpath("td"))


def summary(template: str | None = "2019", unit: str = "示例区") -> Summary:
    return Summary("a.txt", "utf-8", template, "国办公开办函〔2019〕60号 格式（试行）", "", 2020, unit)


def value(n: int) -> Value:
    return Value(Decimal(n), str(n), "number", Loc("a.txt", 1))


def finding(rule: str, message: str, cells=(), equation=None, severity=Severity.WARNING) -> Finding:
    return Finding(rule, "名称", severity, message, cells, Loc("a.txt", 7), None, None, equation=equation)


def test_a_problem_shows_its_findings_alternatives_and_candidate_cells():
    cells = tuple(CellRef("sec4", "行政复议", c, value(n)) for c, n in
                  (("结果维持", 1), ("结果纠正", 0), ("其他结果", 90), ("尚未审结", 0), ("总计", 7)))
    first = Suggestion("sec4", "行政复议", "总计", Decimal(91), "现为 7，若各分项无误，应为 91")
    second = Suggestion("sec4", "行政复议", "其他结果", Decimal(9), "现为 90，应为 9（多录一位数字）")
    findings = (finding("sec4-row-total", "行政复议：总计不等于各项之和", cells, "总计 7 ≠ 1 + 0 + 90 + 0 = 91"),
                finding("prose-reconsideration", "正文“共收到行政复议 7 件”与表格不符"))
    problem = Problem("P1", Severity.WARNING, "行政复议：总计应为 91，或 其他结果 应为 9", (cells[4], cells[2]),
                      first, (first, second), (0, 1), Loc("a.txt", 7))
    result = Result(summary(), findings, Counts(10, 8, 0, 2, 0), problems=(problem,), cells=cells)
    doc = lxml.html.document_fromstring(check_document([result]))
    assert marked(doc) == {"sec4/行政复议/总计": "warning", "sec4/行政复议/其他结果": "warning"}
    (item,) = doc.xpath("//ol[@class='problems']/li")
    text = item.text_content()
    assert "sec4-row-total" in text and "prose-reconsideration" in text and "“共收到行政复议 7 件”" in text
    assert "行政复议 · 其他结果 改为 9" in text and "总计 7 ≠ 1 + 0 + 90 + 0 = 91" in text
    assert doc.xpath('string(//td[@data-cell="sec4/行政复议/其他结果"])').startswith("90")
    assert doc.xpath('//td[@data-cell="sec3/一/总计"]/@class') == ["absent"]  # not in the cells kept


def test_every_text_is_escaped():
    nasty = '<script>alert("x")</script>&'
    result = Result(summary(unit=nasty), (finding("r", nasty),), Counts(1, 0, 0, 1, 0))
    text = check_document([result, Unreadable(nasty, nasty)])
    doc = lxml.html.document_fromstring(text)
    assert len(doc.xpath("//script")) == 1 and 'alert("x")' not in doc.xpath("string(//script)")
    assert nasty in doc.text_content()


def test_an_unknown_template_draws_no_tables():
    found = (finding("template-unknown", "未能识别模板"),)
    result = Result(summary(template=None), found, Counts(1, 0, 0, 1, 0),
                    problems=group(found, builtin_templates()["2021"]))
    doc = lxml.html.document_fromstring(check_document([result]))
    assert not doc.xpath("//*[@data-cell]") and "不绘制表格" in doc.text_content()
    assert "未能识别模板" in doc.xpath("string(//ol[@class='problems'])")


def test_cells_are_kept_only_when_asked(example_error):
    from govreport_check.batch import Options, select_rules

    report = load_report(example_error)
    rules = list(select_rules(Options()))
    assert check(report, rules).cells == ()
    kept = check(report, rules, keep_cells=True).cells
    assert {(c.table, c.row, c.column) for c in kept} == set(report.records.values)
    assert next(c.value.raw for c in kept if (c.table, c.row, c.column) == tuple(WRONG.split("/"))) == "3"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_headless_chromium_draws_the_page(cli, example_error, tmp_path):
    html, png = tmp_path / "report.html", tmp_path / "report.png"
    code, _, _ = cli("check", example_error, "--format", "html", "-o", html)
    assert code == 1
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={png}",
                    "--window-size=1200,1600", html.resolve().as_uri()], capture_output=True, timeout=120, check=True)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert int.from_bytes(data[16:20], "big") == 1200
