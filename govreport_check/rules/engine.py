"""Run the rules over a report and turn facts into findings.

Checks report facts; this is the one place that stamps each with its rule's severity and wording, so a
user's override (--rules FILE) changes how a fact is presented without touching the check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from govreport_check.checks import module
from govreport_check.diagnose import Failure, localise
from govreport_check.findings import Fact, Finding
from govreport_check.rules.rule import Rule

if TYPE_CHECKING:
    from govreport_check.report import Report
    from govreport_check.template.match import Records


@dataclass(frozen=True)
class Counts:
    checks: int  # rule instances evaluated
    passed: int  # instances that held
    errors: int  # findings by severity …
    warnings: int
    infos: int


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def stamp(fact: Fact, rules: dict[str, Rule]) -> Finding | None:
    rule = rules.get(fact.rule)
    if rule is None:
        return None  # the user deselected it
    message = rule.message.format_map(_Safe(fact.params))
    if fact.suggestion is not None:
        s = fact.suggestion
        message += f"；最可能出错的单元格：{s.row}/{s.column}，{s.reason}"
    return Finding(fact.rule, rule.name, rule.severity, message, fact.cells, fact.loc, fact.expected,
                   fact.actual, fact.suggestion, fact.params.get("equation"))


def _with_suggestions(failures: list[Failure], records: Records, rules: list[Rule]) -> list[Fact]:
    suggestions = localise(failures, records, rules)
    out = []
    for i, f in enumerate(failures):
        s = suggestions.get(i)
        if s is None:
            out.append(f.fact)
            continue
        suspect = records.get(s.table, s.row, s.column)
        out.append(replace(f.fact, suggestion=s, loc=suspect.loc if suspect else f.fact.loc))
    return out


def evaluate(report: Report, rules: list[Rule]) -> tuple[list[Finding], Counts, tuple[str, ...]]:
    """Findings, counts, and the ids of the rules that checked something (for per-rule outputs such as JUnit)."""
    by_id = {r.id: r for r in rules}
    active = [r for r in rules if report.template.id in r.templates]
    failures: list[Failure] = []
    facts: list[Fact] = list(report.records.facts)
    checks = passed = 0
    ran: list[str] = []
    for rule in active:
        for outcome in module(rule.kind).run(rule, report):
            if not ran or ran[-1] != rule.id:
                ran.append(rule.id)
            checks += 1
            if outcome.fact is None:
                passed += 1
            elif rule.kind == "expr" and not rule.expr.uses_last:
                failures.append(Failure(rule, outcome.instance, outcome.fact))
            else:
                facts.append(outcome.fact)
    arithmetic = [r for r in active if r.kind == "expr" and not r.expr.uses_last]
    facts += _with_suggestions(failures, report.records, arithmetic)
    findings = [f for f in (stamp(fact, by_id) for fact in facts) if f is not None]
    counts = Counts(
        checks=checks,
        passed=passed,
        errors=sum(f.severity.value == "error" for f in findings),
        warnings=sum(f.severity.value == "warning" for f in findings),
        infos=sum(f.severity.value == "info" for f in findings),
    )
    return findings, counts, tuple(ran)
