"""Which cell is wrong, and what it probably should be.

Arithmetic rules share cells: a wrong part breaks its row total and its column total, and the cell where the
broken rules cross is the likely culprit. We look for the one cell whose change makes every broken rule that
reads it hold without breaking any rule that held (a single-error Fellegi–Holt search); when only one rule
is broken, its total is named, since its parts cannot be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from govreport_check.findings import Fact, Suggestion
from govreport_check.render import text as fmt
from govreport_check.checks.arith import evaluate_at, instances
from govreport_check.rules.rule import Instance, Rule
from govreport_check.template.match import Key, Records


@dataclass(frozen=True)
class Failure:
    """A broken rule instance, as the engine found it."""

    rule: Rule  # the rule
    instance: Instance  # where it was expanded
    fact: Fact  # what it reported


def _gap(rule: Rule, records: Records, instance: Instance) -> Decimal | None:
    ev = evaluate_at(rule, records, instance)
    if ev is None or ev.lhs is None or rule.expr.comparison != "==":
        return None
    return ev.lhs - ev.rhs


class _Index:
    """Which rule instances read which cell, so a "what if" only re-evaluates the instances it touches."""

    def __init__(self, rules: list[Rule], records: Records):
        self.readers: dict[Key, list[tuple[Rule, Instance]]] = {}
        for rule in rules:
            spec = records.template.tables[rule.table] if rule.table else None
            for inst in instances(rule, spec):
                ev = evaluate_at(rule, records, inst)
                if ev is None:
                    continue
                for c in ev.cells:
                    self.readers.setdefault((c.table, c.row, c.column), []).append((rule, inst))

    def all_hold(self, key: Key, records: Records) -> bool:
        for rule, inst in self.readers.get(key, ()):
            ev = evaluate_at(rule, records, inst)
            if ev is not None and not ev.holds:
                return False
        return True


def _repair(key: Key, failures: list[Failure], records: Records, index: _Index) -> Decimal | None:
    """The value for `key` that mends every failure reading it and breaks nothing else, if there is one."""
    current = records.get(*key).number or Decimal(0)
    bumped = records.with_number(key, current + 1)
    deltas = set()
    for f in failures:
        before, after = _gap(f.rule, records, f.instance), _gap(f.rule, bumped, f.instance)
        if before is None or after is None or after == before:
            return None
        deltas.add(-before / (after - before))
    if len(deltas) != 1:
        return None
    value = current + deltas.pop()
    if value < 0 or value != value.to_integral_value():
        return None
    return value if index.all_hold(key, records.with_number(key, value)) else None


def localise(failures: list[Failure], records: Records, rules: list[Rule]) -> dict[int, Suggestion]:
    """Suggestions by index into `failures`."""
    reading: dict[Key, list[int]] = {}
    for i, f in enumerate(failures):
        for c in f.fact.cells:
            if c.value is not None:
                reading.setdefault((c.table, c.row, c.column), []).append(i)
    if not failures:
        return {}
    index = _Index(rules, records)
    repairs: list[tuple[int, Key, Decimal]] = []
    for key, idxs in reading.items():
        value = _repair(key, [failures[i] for i in idxs], records, index)
        if value is not None:
            repairs.append((len(idxs), key, value))
    out: dict[int, Suggestion] = {}
    claimed: set[int] = set()
    for count, key, value in sorted(repairs, key=lambda r: -r[0]):
        idxs = reading[key]
        if claimed & set(idxs):
            continue
        rivals = [r for r in repairs if r[0] == count and r[1] != key and set(reading[r[1]]) & set(idxs)]
        total = failures[idxs[0]].fact.cells[0]
        if rivals and (count > 1 or (total.table, total.row, total.column) != key):
            continue
        was = records.get(*key)
        reason = (f"现为 {was.raw or '空'}，按其余数据应为 {fmt(value)}" if not rivals
                  else f"现为 {was.raw or '空'}；若各分项无误，应为 {fmt(value)}")
        suggestion = Suggestion(key[0], key[1], key[2], value, reason)
        for i in idxs:
            out[i] = suggestion
        claimed |= set(idxs)
    return out
