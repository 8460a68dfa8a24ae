"""A section must mention something when a cell says so (`kind: mention`), e.g. 信息处理费 in 六 when fees were charged."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from govreport_check.checks.arith import evaluate_at
from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"section", "words"})
PARAMS = frozenset({"section", "words"})


def prepare(raw: dict, templates) -> dict:
    words = raw.get("words")
    if not raw.get("section") or not isinstance(words, list) or not words:
        raise ValueError("mention 规则需要 section 和 words: [词, …]")
    if "when" not in raw:
        raise ValueError("mention 规则需要 when（何时必须提及），如 cell(\"sec3\", \"三.六.2\", \"总计\") > 0")
    return {"section": str(raw["section"]), "words": tuple(str(w) for w in words)}


def run(rule: Rule, report) -> Iterator[Outcome]:
    condition = evaluate_at(replace(rule, expr=rule.when, when=None), report.records, (None, None))
    if condition is None or not condition.holds:
        return
    section = next((s for s in report.sections if s.id == rule.options["section"]), None)
    text = "" if section is None else "".join(report.document.lines[section.start - 1:section.end])
    fact = None
    if not any(w in text for w in rule.options["words"]):
        loc = report.at(section.start) if section else None
        fact = Fact(rule.id, {"section": rule.options["section"], "words": "、".join(rule.options["words"])},
                    cells=condition.cells, loc=loc)
    yield Outcome(rule.id, (None, None), fact)


def reads(rule: Rule) -> str:
    o = rule.options
    return f"当 {rule.when.source} 时，第{o['section']}部分应提到：{'、'.join(o['words'])}"
