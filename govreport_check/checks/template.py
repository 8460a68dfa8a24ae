"""Template and notice against the report year (`kind: template-year`, `kind: notice`).

The template is detected from labels, never from the year; these checks then ask whether that template (and
the 国办 notice the text cites) is the one meant for the year the report covers.
"""

from __future__ import annotations

from typing import Iterator

from govreport_check import meta
from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule
from govreport_check.template.spec import builtin_templates, template_for_year

OPTIONS: frozenset[str] = frozenset()
_YEAR = frozenset({"year", "template", "template_name", "notice", "expected", "expected_name", "expected_notice",
                   "expected_first_year"})


def params(rule: Rule) -> frozenset[str]:
    return _YEAR | {"cited"} if rule.kind == "notice" else _YEAR


def run(rule: Rule, report) -> Iterator[Outcome]:
    if report.year is None:
        return
    if rule.kind == "template-year" and not report.records.known:
        return  # the tables did not show a template: there is none to call outdated
    expected = template_for_year(builtin_templates(), report.year)
    if expected is None:
        return
    if rule.kind == "template-year":
        yield _template_year(rule, report, expected)
    else:
        yield from _notices(rule, report, expected)


def _params(report, expected) -> dict:
    t = report.template
    return {"year": report.year, "template": t.id, "template_name": t.name, "notice": t.notice,
            "expected": expected.id, "expected_name": expected.name, "expected_notice": expected.notice,
            "expected_first_year": expected.first_year}


def _template_year(rule: Rule, report, expected) -> Outcome:
    t = report.template
    outdated = t.id != expected.id and t.last_year is not None and report.year > t.last_year
    fact = Fact(rule.id, _params(report, expected), loc=report.at(1)) if outdated else None
    return Outcome(rule.id, (None, None), fact)


def _notices(rule: Rule, report, expected) -> Iterator[Outcome]:
    known = {t.notice for t in builtin_templates().values()}
    for notice, line, written in meta.notices(report.document.lines):
        if notice not in known:
            continue
        fact = None
        if notice != expected.notice:
            fact = Fact(rule.id, {**_params(report, expected), "cited": written}, loc=report.at(line))
        yield Outcome(rule.id, (None, str(line)), fact)


def reads(rule: Rule) -> str:
    if rule.kind == "template-year":
        return "按表格标签识别的模板，与标题或统计期限中的报告年度"
    return "正文中引用的“国办公开办函〔年份〕号”，与报告年度应使用的格式文件"
