"""Is last year's report the same body's, one year before (`kind: pairing`)? Cross-year rules compare this year's
上年结转 with last year's 结转下年度: paired with another unit's report, or with one two years back, their errors
mean nothing, and the user should hear why."""

from __future__ import annotations

from typing import Iterator

from govreport_check.findings import Fact
from govreport_check.normalize import label_key
from govreport_check.rules.rule import Outcome, Rule

OPTIONS: frozenset[str] = frozenset()
PARAMS = frozenset({"previous", "problem"})


def run(rule: Rule, report) -> Iterator[Outcome]:
    if report.previous is None:
        return
    name = (report.previous_path or "").replace("\\", "/").rsplit("/", 1)[-1]
    if report.year is not None and report.previous_year is not None:
        fact = None
        if report.previous_year != report.year - 1:
            fact = Fact(rule.id, {"previous": name, "problem": f"是{report.previous_year}年度的，"
                                  f"不是{report.year - 1}年度"}, loc=report.at(1))
        yield Outcome(rule.id, (None, "year"), fact)
    if report.unit and report.previous_unit:
        fact = None
        if label_key(report.unit) != label_key(report.previous_unit):
            fact = Fact(rule.id, {"previous": name, "problem": f"的单位是“{report.previous_unit}”，"
                                  f"不是“{report.unit}”"}, loc=report.at(1))
        yield Outcome(rule.id, (None, "unit"), fact)


def reads(rule: Rule) -> str:
    return "本报告与上一年报告标题中的单位和年度"
