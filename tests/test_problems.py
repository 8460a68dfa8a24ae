"""Findings grouped by cause: one wrong cell, one problem, whatever it breaks."""

from decimal import Decimal

import pytest

from govreport_check.findings import CellRef, Finding, Problem, Severity, Suggestion
from govreport_check.model import Loc, Value
from govreport_check.problems import group
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules
from govreport_check.template.spec import builtin_templates
from tests_paths import EXAMPLES

T = builtin_templates()["2019"]


def _ref(row, column, number, line):
    return CellRef("sec3", row, column, Value(Decimal(number), str(number), "number", Loc("r.txt", line)))


WRONG = _ref("三.一", "科研机构", 3, 131)
FIX = Suggestion("sec3", "三.一", "科研机构", Decimal(2), "现为 3，按其余数据应为 2")


def _finding(rule, cells, severity=Severity.ERROR, suggestion=None, line=None, message="m"):
    return Finding(rule, rule, severity, message, tuple(cells), Loc("r.txt", line) if line else None, None, None,
                   suggestion, statement=message)


def test_the_findings_one_cell_explains_are_one_problem_with_the_cell():
    findings = (_finding("sec3-row-total", [_ref("三.一", "总计", 23, 131), WRONG], suggestion=FIX, line=131),
                _finding("sec3-results-total", [_ref("三.七", "科研机构", 2, 160), WRONG], suggestion=FIX, line=131),
                _finding("value-blank", [WRONG], Severity.WARNING, line=131))
    assert group(findings, T) == (Problem("P1", Severity.ERROR, "（一）予以公开 / 科研机构：现为 3，按其余数据应为 2",
                                          (WRONG,), FIX, (), (0, 1, 2), WRONG.value.loc),)


def test_prose_reading_the_blamed_cell_joins_it_and_other_findings_stand_alone_in_document_order():
    total = _ref("一", "总计", 18, 100)
    fix = Suggestion("sec3", "一", "总计", Decimal(17), "现为 18")
    findings = (_finding("template-outdated", [], line=1, message="模板过时"),
                _finding("prose-received", [total], Severity.WARNING, line=5, message="正文 17 件"),
                _finding("sec3-row-total", [total], suggestion=fix, line=100),
                _finding("row-label-differs", [_ref("三.二", "总计", 0, 90), _ref("三.二", "自然人", 0, 90)],
                         Severity.INFO, line=90, message="行标签"))
    problems = group(findings, T)
    assert [(p.id, p.findings, p.summary) for p in problems] == [
        ("P1", (0,), "模板过时"), ("P2", (3,), "行标签"), ("P3", (1, 2), "一、本年新收政府信息公开申请数量 / 总计：现为 18")]
    assert problems[2].severity is Severity.ERROR


def test_every_finding_belongs_to_exactly_one_problem(shared):
    rules = list(builtin_rules())
    paths = [*sorted((shared / "corpus").iterdir()), *sorted((shared / "real").iterdir()), *EXAMPLES.glob("*.txt")]
    seen = 0
    for path in paths:
        if path.suffix not in (".txt", ".md", ".html", ".docx", ".pdf"):
            continue
        try:
            result = check(load_report(path), rules)
        except Exception:  # noqa: BLE001 - inputs that are not one report, or need an extra, are other tests' business
            continue
        owners = sorted(i for p in result.problems for i in p.findings)
        assert owners == list(range(len(result.findings))), path.name
        assert [p.id for p in result.problems] == [f"P{n}" for n in range(1, len(result.problems) + 1)]
        seen += 1
    assert seen >= 30


@pytest.mark.parametrize("name", ["示例区-2020-有误.txt"])
def test_each_example_slip_is_exactly_one_error_problem_naming_the_wrong_cell(name):
    result = check(load_report(EXAMPLES / name), list(builtin_rules()))
    [problem] = [p for p in result.problems if p.severity is Severity.ERROR]
    assert (problem.suggestion.row, problem.suggestion.column, problem.suggestion.value) == ("三.一", "科研机构", 2)


def test_each_corpus_error_case_is_exactly_one_error_problem_naming_the_wrong_cell(shared):
    import json

    expected = json.loads((shared / "corpus" / "EXPECTED.json").read_text(encoding="utf-8"))
    cases = [(name, case["wrong_cell"]) for name, case in expected.items() if "wrong_cell" in case]
    assert len(cases) >= 6
    for name, wrong in cases:
        result = check(load_report(shared / "corpus" / name), list(builtin_rules()))
        [problem] = [p for p in result.problems if p.severity is Severity.ERROR]
        s = problem.suggestion
        assert (s.table, s.row, s.column, s.value) == (wrong["table"], wrong["row"], wrong["column"], wrong["was"]), name
