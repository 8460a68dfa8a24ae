"""Years in the prose that are not the report's (year-stray): the sentence quoted where it is, and the years that
a report rightly names (laws, document numbers, history, plans, its date) left alone."""

import pytest

from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules

RULE = [r for r in builtin_rules() if r.id == "year-stray"]
OVERVIEW = "一、总体情况\n"


def variant(example, tmp_path, *sentences, closing=""):
    """示例区's report made a 2023 one (its plans for 2024), with `sentences` opening section 一 a line each."""
    text = example.read_text(encoding="utf-8").replace("2020年", "2023年").replace("2021年", "2024年")
    text = text.replace(OVERVIEW, OVERVIEW + "".join(f"{s}\n" for s in sentences), 1) + closing
    path = tmp_path / "示例区-2023.txt"
    path.write_text(text, encoding="utf-8")
    return path


def findings(path):
    result = check(load_report(path), RULE)
    assert result.ran == ("year-stray",)  # it read the report, whatever it found
    return list(result.findings)


def test_the_example_names_no_stray_year(example, tmp_path):
    """2015年以来 (history), 〔2019〕60号 (a document number) and its plans for next year."""
    assert findings(example) == []
    assert findings(variant(example, tmp_path)) == []


def test_an_old_year_is_a_warning_quoting_its_sentence_and_line(example, tmp_path):
    path = variant(example, tmp_path, "2021年共收到政府信息公开申请40件，均按期答复。")
    [finding] = findings(path)
    assert finding.severity.value == "warning"
    assert finding.loc.line == 5
    assert finding.message == "第5行“2021年共收到政府信息公开申请40件，均按期答复”提到2021年，不是报告年度2023年或其前后一年"


@pytest.mark.parametrize("sentence", [
    "2023年共收到申请54件，较2022年增加6件，2024年将进一步规范办理。",  # the year, the one before, the one after
    "根据《中华人民共和国政府信息公开条例》（2019年修订）要求，做好公开工作。",
    "新修订的《条例》于2019年5月15日起施行，我区组织了专题学习。",
    "印发《示例区政务公开三年行动计划（2019—2021年）》，明确工作任务。",
    "自2018年起，我区每年开展政务公开业务培训。",
    "“十四五”期间（2021—2025年），持续推进基层政务公开标准化规范化建设。",
    "到2035年，基本建成法治国家、法治政府、法治社会。",
    "上一篇：示例区2021年政府信息公开工作年度报告",
    "依据国办公开办函〔2021〕30号文件，网址为http://www.example.gov.cn/2019/xxgk。",
])
def test_years_a_report_rightly_names_are_left_alone(example, tmp_path, sentence):
    assert findings(variant(example, tmp_path, sentence)) == []


def test_a_date_line_at_the_end_is_the_publication_date(example, tmp_path):
    path = variant(example, tmp_path, closing="示例区人民政府办公室\n2026年3月1日\n")
    assert findings(path) == []


def test_one_finding_a_sentence_and_the_years_it_names(example, tmp_path):
    path = variant(example, tmp_path, "2021年收到申请40件；2020年和2021年均无行政诉讼。")
    first, second = findings(path)
    assert "提到2021年，" in first.message
    assert "“2020年和2021年均无行政诉讼”提到2020年、2021年，" in second.message


def test_many_are_capped_and_the_last_listed_counts_the_rest(example, tmp_path):
    path = variant(example, tmp_path, *(f"{y}年开展了专项检查。" for y in range(2010, 2018)))
    found = findings(path)
    assert len(found) == 5
    assert [f.loc.line for f in found] == [5, 6, 7, 8, 9]
    assert found[-1].message.endswith("；另有 3 句提到其他年份，未逐一列出")
    assert "另有" not in found[0].message


def test_a_long_sentence_is_quoted_around_its_year(example, tmp_path):
    long = "围绕优化营商环境，" * 6 + "对2019年以前印发的文件开展清理，" + "确保公开的文件准确有效，" * 4 + "取得良好成效。"
    [finding] = findings(variant(example, tmp_path, long))
    quote = finding.message.split("“")[1].split("”")[0]
    assert quote.startswith("…") and quote.endswith("…") and "2019年以前" in quote
    assert len(quote) <= 62



def test_a_year_spaced_and_wrapped_as_pdfs_print_it_is_read(example, tmp_path):
    path = variant(example, tmp_path, "全年共收到申请40件，与", "2021 年相比有所增加。")
    [finding] = findings(path)
    assert "“全年共收到申请40件，与2021年相比有所增加”提到2021年" in finding.message
