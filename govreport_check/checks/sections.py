"""The six sections (`kind: sections`): all present, in order (`check: presence`), and numbered as the template
numbers them (`check: numbering`). Titles are found by their words, whatever their numerals (sections.py), so a
renumbered report loses no section: its numbering is its own finding."""

from __future__ import annotations

from collections.abc import Iterator

from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule
from govreport_check.sections import numbering

OPTIONS: frozenset[str] = frozenset({"check"})
_CHECKS = ("presence", "numbering")


def params(rule: Rule) -> frozenset[str]:
    if rule.options.get("check") == "numbering":
        return frozenset({"section", "title", "written", "expected", "count"})
    return frozenset({"section", "title"})


def prepare(raw: dict, templates) -> dict:
    check = str(raw.get("check", _CHECKS[0]))
    if check not in _CHECKS:
        raise ValueError(f"sections 规则的 check 应为 {'、'.join(_CHECKS)} 之一，而不是 {check}")
    return {"check": check}


def run(rule: Rule, report) -> Iterator[Outcome]:
    if rule.options.get("check", _CHECKS[0]) == "numbering":
        yield from _numbering(rule, report)
        return
    found = {s.id for s in report.sections}
    for spec in report.template.sections:
        fact = None
        if spec.id not in found:
            fact = Fact(rule.id, {"section": spec.id, "title": spec.title})
        yield Outcome(rule.id, (spec.id, None), fact)


def _numbering(rule: Rule, report) -> Iterator[Outcome]:
    """One finding for the report, at its first title numbered off the template, counting the others."""
    off = [s for s in report.sections if numbering(s.title) != f"{s.id}、"]
    fact = None
    if off:
        first = off[0]
        spec = next(s for s in report.template.sections if s.id == first.id)
        fact = Fact(rule.id, {"section": first.id, "title": first.title.strip("#* \u3000"),
                              "written": numbering(first.title) or "无编号", "expected": f"{spec.id}、{spec.title}",
                              "count": len(off)}, loc=report.at(first.start))
    yield Outcome(rule.id, (None, None), fact)


def reads(rule: Rule) -> str:
    if rule.options.get("check") == "numbering":
        return "六个部分标题的编号（一、…六、）"
    return "六个部分的标题（可改写，关键词见 rules/template.yaml）及其顺序"
