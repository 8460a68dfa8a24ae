"""One broken equation leaves several cells that would mend it: every one is a candidate, ranked by the slip it
implies and by what the prose and last year's report say."""

from dataclasses import replace
from decimal import Decimal

from build import report_text
from govreport_check.findings import Suggestion
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules
from tests_paths import EXAMPLES

# 行政复议 [结果维持, 结果纠正, 其他结果, 尚未审结, 总计], then the two 行政诉讼 rows as in build.py
TRUE = [10, 2, 0, 0, 12]
REST = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0]


def _result(tmp_path, sec4, prose="本年度共收到申请若干件。", name="r.txt", previous=None):
    path = tmp_path / name
    path.write_text(report_text(sec4=sec4 + REST, prose=prose), encoding="utf-8")
    report = load_report(path)
    if previous is not None:
        report = replace(report, previous=load_report(previous).records, previous_path=str(previous))
    return check(report, list(builtin_rules()))


def _review(result):
    [problem] = [p for p in result.problems if p.severity.value == "error"]
    return problem


def test_every_cell_that_mends_the_row_is_a_candidate_and_the_total_leads_a_tie(tmp_path):
    problem = _review(_result(tmp_path, [11, 2, 0, 0, 12]))  # 结果维持 10 typed as 11
    assert [(a.column, a.value) for a in problem.alternatives] == [
        ("总计", Decimal(13)), ("结果维持", Decimal(10)), ("结果纠正", Decimal(1))]
    assert problem.suggestion == problem.alternatives[0]
    assert problem.summary == "行政复议：总计应为 13（可能有一位数字录错），或 结果维持应为 10（可能有一位数字录错），或 结果纠正应为 1"
    assert [c.column for c in problem.cells] == ["总计", "结果维持", "结果纠正"]


def test_the_prose_that_quotes_the_total_moves_it_last(tmp_path):
    problem = _review(_result(tmp_path, [11, 2, 0, 0, 12], prose="本年度被申请行政复议12件。"))
    assert [(a.column, a.value) for a in problem.alternatives] == [
        ("结果维持", Decimal(10)), ("结果纠正", Decimal(1)), ("总计", Decimal(13))]
    assert problem.alternatives[-1].reason.endswith("但与正文所述不符）")


def test_the_prose_that_disagrees_with_the_total_puts_it_first(tmp_path):
    result = _result(tmp_path, [10, 2, 0, 0, 21], prose="本年度被申请行政复议12件。")  # 12 typed as 21
    problem = _review(result)
    assert problem.alternatives[0] == Suggestion("sec4", "行政复议", "总计", Decimal(12),
                                                 "现为 21；若其余各格无误，应为 12（可能相邻两位数字颠倒；与正文所述一致）")
    rules = {result.findings[i].rule for i in problem.findings}
    assert rules == {"sec4-row-total", "prose-review"}, "the prose that disagrees is the same problem"


def test_a_slip_no_candidate_explains_better_keeps_every_candidate(tmp_path):
    problem = _review(_result(tmp_path, [1, 2, 0, 0, 12]))  # 结果维持 10 lost a digit
    found = {(a.column, a.value) for a in problem.alternatives}
    assert ("结果维持", Decimal(10)) in found and ("总计", Decimal(3)) in found
    assert problem.alternatives[0].column == "结果维持"  # 漏录了一位数字 outranks a total with no slip


def _item_slip(tmp_path, typed: str):
    """The example with 行政许可's 上一年项目数量 356 typed as `typed`, and last year's report that says 356."""
    source = (EXAMPLES / "示例区-2020.txt").read_text(encoding="utf-8")
    this, last = tmp_path / "2020.txt", tmp_path / "2019.txt"
    this.write_text(source.replace("\t356\n\t403（+47）", f"\t{typed}\n\t403（+47）", 1), encoding="utf-8")
    last.write_text(source.replace("\t356\n\t403（+47）", "\t300\n\t356（+56）", 1).replace("2020", "2019"),
                    encoding="utf-8")
    return this, last


def _sec2(path, previous=None):
    report = load_report(path)
    if previous is not None:
        report = replace(report, previous=load_report(previous).records, previous_path=str(previous))
    result = check(report, list(builtin_rules()))
    [problem] = [p for p in result.problems if any(result.findings[i].rule == "sec2-change" for i in p.findings)]
    return result, problem


def test_last_years_report_settles_which_figure_of_a_sec2_item_is_wrong(tmp_path):
    this, last = _item_slip(tmp_path, "357")
    _, alone = _sec2(this)
    assert [a.column for a in alone.alternatives] == ["本年增/减", "上一年项目数量"]  # one digit either way: a tie
    result, settled = _sec2(this, last)
    assert [(a.column, a.value) for a in settled.alternatives] == [("上一年项目数量", Decimal(356)),
                                                                  ("本年增/减", Decimal(46))]
    assert settled.alternatives[0].reason == "现为 357；若其余各格无误，应为 356（可能有一位数字录错；与上年报告一致）"
    assert {result.findings[i].rule for i in settled.findings} == {"sec2-change", "crossyear-item-count"}
