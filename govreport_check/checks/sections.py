"""All six sections present and in order (`kind: sections`); titles may be paraphrased (keywords in the template)."""

from __future__ import annotations

from typing import Iterator

from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS: frozenset[str] = frozenset()


def run(rule: Rule, report) -> Iterator[Outcome]:
    found = {s.id for s in report.sections}
    for spec in report.template.sections:
        fact = None
        if spec.id not in found:
            fact = Fact(rule.id, {"section": spec.id, "title": spec.title})
        yield Outcome(rule.id, (spec.id, None), fact)


def reads(rule: Rule) -> str:
    return "六个部分的标题（可改写，关键词见 rules/template.yaml）及其顺序"
