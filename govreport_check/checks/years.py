"""The year a report says it covers, asked twice (`kind: year-consistency`): title and 统计期限 must agree."""

from __future__ import annotations

from typing import Iterator

from govreport_check import meta
from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS: frozenset[str] = frozenset()
PARAMS = frozenset({"title_year", "period_year", "title_line", "period_line", "title_place", "period_place"})


def run(rule: Rule, report) -> Iterator[Outcome]:
    title = meta.title_year(report.document.lines)
    period = meta.period_year(report.document.lines)
    if title is None or period is None:
        return
    fact = None
    if title[0] != period[0]:
        at_title, at_period = report.at(title[1]), report.at(period[1])
        fact = Fact(rule.id, {"title_year": title[0], "period_year": period[0],
                              "title_line": report.document.source_line(title[1]),
                              "period_line": report.document.source_line(period[1]),
                              "title_place": at_title.place, "period_place": at_period.place}, loc=at_period)
    yield Outcome(rule.id, (None, None), fact)


def reads(rule: Rule) -> str:
    return "标题中的年度，与“统计期限”句中的起始年份"
