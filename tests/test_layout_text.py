import pytest

from expected_cells import expected, mismatches
from govreport_check.errors import InputError
from govreport_check.layouts import text
from govreport_check.report import load_report

TEXT_CASES = ["word-tab.txt", "browser-tab.txt", "tsv.txt", "pipe-rows.txt", "markdown.md", "spaces.txt",
              "noisy.txt", "gb18030.txt", "utf16.txt", "blank-zeros.txt", "error1.txt", "error2.txt", "error3.txt"]
REAL = ["huaian_city_2024.pdftotext-layout.txt", "shuyang_county_gov_2025.md.txt"]

MIXED = """测试区2023年政府信息公开工作年度报告
一、总体情况
本年共收到申请1件。
二、主动公开政府信息情况
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
四、政府信息公开行政复议、行政诉讼情况
行政复议   0   0   0   0   0
五、存在的主要问题及改进情况
无。
"""


def test_each_section_is_read_in_its_own_layout(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(MIXED, encoding="utf-8")
    doc = text.read(path, path.read_bytes())
    assert doc.layout == "tsv+pipes+spaces"
    assert [t.anchor for t in doc.tables] == [5, 8, 10]
    report = load_report(path)
    assert report.records.get("sec3", "一", "总计").number == 1
    assert report.records.get("sec4", "行政复议", "总计").number == 0


def test_forced_layout_reads_every_section_with_it(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(MIXED, encoding="utf-8")
    assert text.read(path, path.read_bytes(), layout="spaces").layout == "spaces"
    with pytest.raises(InputError, match="未知的版式 html"):
        text.read(path, path.read_bytes(), layout="html")


def test_form_feeds_stay_out_of_the_document_lines(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(MIXED.replace("三、收到", "\f三、收到"), encoding="utf-8")
    doc = text.read(path, path.read_bytes())
    assert doc.lines[6] == "三、收到和处理政府信息公开申请情况"


def test_regions_follow_the_section_titles_not_title_like_labels():
    lines = ("报告", "三、收到和处理政府信息公开申请情况", "四、结转下年度继续办理   1", "三、本年度办理结果",
             "四、政府信息公开行政复议、行政诉讼情况", "x")
    assert text.regions(lines) == [(1, 1), (2, 4), (5, 6)]


def misread(shared, folder, name):
    """Cells read otherwise than checked by hand; a placeholder (`—`) where the hand-checked figure is 0 is
    kept as written, which is right, not a misreading."""
    return [m for m in mismatches(shared, folder, name) if not (m[3] == 0 and m[4] is None)]


@pytest.mark.parametrize("suffix", TEXT_CASES)
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_corpus_text_cases_extract_every_cell_and_get_their_verdict(cli, shared, template, suffix):
    name = f"sample{template}-{suffix}"
    assert misread(shared, "corpus", name) == []
    code, _, _ = cli("check", shared / "corpus" / name)
    assert (code == 0) == (expected(shared, "corpus", name)["verdict"] == "pass")


@pytest.mark.parametrize("name", REAL)
def test_real_text_reports_extract_every_listed_cell(shared, name):
    assert misread(shared, "real", name) == []
    assert load_report(shared / "real" / name).template.id == expected(shared, "real", name)["template"]
