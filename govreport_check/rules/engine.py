"""Run the rules over a report and turn facts into findings.

Checks report facts; this is the one place that stamps each with its rule's severity and wording, so a
user's override (--rules FILE) changes how a fact is presented without touching the check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from govreport_check.checks import module
from govreport_check.diagnose import Failure, localise
from govreport_check.findings import Fact, Finding, position
from govreport_check.rules.rule import Rule
from govreport_check.template.spec import Template

if TYPE_CHECKING:
    from govreport_check.report import Report
    from govreport_check.template.match import Records


@dataclass(frozen=True)
class Counts:
    checks: int  # passed + findings: instances evaluated, a combined finding and a structure fact counting once
    passed: int  # instances that held
    errors: int  # findings by severity …
    warnings: int
    infos: int
    baselined: int = 0  # findings left out as already known (--baseline): checks = passed + the rest + these


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def stamp(fact: Fact, rules: dict[str, Rule], template: Template) -> Finding | None:
    rule = rules.get(fact.rule)
    if rule is None:
        return None  # the user deselected it
    statement = rule.message.format_map(_Safe(fact.params))
    message = statement
    if fact.suggestion is not None:
        s = fact.suggestion
        where = template.cell_words(s.table, s.row, s.column)
        if len(fact.alternatives) == 1:  # one candidate, not sure of itself (read by OCR with a low score)
            message += f"；可能出错的单元格：{where}，{s.reason}"
        elif fact.alternatives:
            others = "、".join(template.cell_words(a.table, a.row, a.column) for a in fact.alternatives[1:4])
            more = f"等 {len(fact.alternatives) - 1} 格" if len(fact.alternatives) > 4 else ""
            message += f"；无法确定出错的单元格，最可能是 {where}，{s.reason}；也可能是 {others}{more}"
        else:
            message += f"；最可能出错的单元格：{where}，{s.reason}"
    return Finding(fact.rule, rule.name, rule.severity, message, fact.cells, fact.loc, fact.expected,
                   fact.actual, fact.suggestion, fact.params.get("equation"), fact.alternatives, statement)


COMBINED = frozenset({"items", "count", "previous"})  # what `combined` adds to the first instance's params


def fact_params(rule: Rule) -> frozenset[str]:
    """The names each fact of the rule's check carries (what a `combine` wording may use)."""
    check = module(rule.kind)
    return frozenset(check.params(rule) if hasattr(check, "params") else check.PARAMS)


def provided(rule: Rule) -> frozenset[str]:
    """The names the rule's message may use: its facts' params, as `combined` leaves them."""
    names = fact_params(rule)
    return (names - {"equation"}) | COMBINED if rule.options.get("combine") else names


def combined(facts: list[Fact], rule: Rule, report: Report) -> list[Fact]:
    """A rule's instances that fail for one cause (last year's report disagrees in several columns) as one fact:
    `combine` words each instance, the message lists them as {items}."""
    first = facts[0]
    previous = Path(report.previous_path).name if report.previous_path else "—"
    items = "、".join(rule.options["combine"].format_map(_Safe(f.params)) for f in facts)
    params = {**first.params, "items": items, "count": len(facts), "previous": previous}
    params.pop("equation", None)
    one = len(facts) == 1
    return [Fact(rule.id, params, tuple(c for f in facts for c in f.cells), first.loc,
                 first.expected if one else None, first.actual if one else None)]


def _with_suggestions(failures: list[Failure], report: Report, rules: list[Rule], witnesses: list[Rule]) -> list[Fact]:
    diagnoses = localise(failures, report.records, rules, _evidence(report, witnesses))
    out = []
    for i, f in enumerate(failures):
        d = diagnoses.get(i)
        if d is None:
            out.append(f.fact)
            continue
        s = d.suggestion
        suspect = report.records.get(s.table, s.row, s.column)
        out.append(replace(f.fact, suggestion=s, alternatives=d.alternatives,
                           loc=suspect.loc if suspect else f.fact.loc))
    return out


def _evidence(report: Report, witnesses: list[Rule]):
    """Which outcomes of the rules comparing the tables with the prose or last year's report fail, for given
    figures: what ranks the candidates one broken equation leaves."""
    def failing(records: Records) -> dict[tuple, str]:
        mended = replace(report, records=records)
        out = {}
        for rule in witnesses:
            where = "上年报告" if rule.kind == "expr" else "正文所述"
            for n, outcome in enumerate(module(rule.kind).run(rule, mended)):
                if outcome.fact is not None:
                    out[(rule.id, n)] = where
        return out
    return failing


def evaluate(report: Report, rules: list[Rule]) -> tuple[list[Finding], Counts, tuple[str, ...]]:
    """Findings, counts, and the ids of the rules that checked something (for per-rule outputs such as JUnit)."""
    by_id = {r.id: r for r in rules}
    active = [r for r in rules if report.template.id in r.templates]
    failures: list[Failure] = []
    facts: list[Fact] = list(report.records.facts)
    passed = 0
    ran: list[str] = []
    for rule in active:
        own: list[Fact] = []
        for outcome in module(rule.kind).run(rule, report):
            if not ran or ran[-1] != rule.id:
                ran.append(rule.id)
            if outcome.fact is None:
                passed += 1
            elif rule.kind == "expr" and not rule.expr.uses_last:
                failures.append(Failure(rule, outcome.instance, outcome.fact))
            else:
                own.append(outcome.fact)
        facts += combined(own, rule, report) if own and rule.options.get("combine") else own
    arithmetic = [r for r in active if r.kind == "expr" and not r.expr.uses_last]
    witnesses = [r for r in active if r.kind == "prose" or (r.kind == "expr" and r.expr.uses_last)]
    facts += _with_suggestions(failures, report, arithmetic, witnesses)
    findings = sorted((f for f in (stamp(fact, by_id, report.template) for fact in facts) if f is not None),
                      key=lambda f: position(f.loc))
    counts = Counts(
        checks=passed + len(findings),  # each finding is one check that failed: the counts add up
        passed=passed,
        errors=sum(f.severity.value == "error" for f in findings),
        warnings=sum(f.severity.value == "warning" for f in findings),
        infos=sum(f.severity.value == "info" for f in findings),
    )
    return findings, counts, tuple(ran)
