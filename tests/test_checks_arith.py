"""The fast path for linear rules must say exactly what the general evaluator says, cell for cell."""

import random
from dataclasses import replace
from decimal import Decimal

import pytest

from govreport_check.checks import arith
from govreport_check.report import load_report
from govreport_check.rules.load import builtin_rules
from build import report_text


def _arith_rules(template_id: str):
    return [r for r in builtin_rules() if r.kind == "expr" and template_id in r.templates]


def _damaged(records, rng: random.Random):
    """The records with a few cells changed, blanked or taken away (absent cells make instances not apply)."""
    keys = list(records.values)
    for key in rng.sample(keys, 6):
        value = records.values[key]
        roll = rng.random()
        if roll < 0.5:
            records = records.with_number(key, Decimal(rng.randint(0, 60)))
        elif roll < 0.7:
            records = records.with_number(key, Decimal("2.5"))
        elif roll < 0.85:
            values = dict(records.values)
            values[key] = replace(value, number=None, kind="blank", raw="")
            records = replace(records, values=values)
        else:
            values = dict(records.values)
            del values[key]
            records = replace(records, values=values)
    return records


@pytest.fixture(params=["example", "2021"])
def records(request, example, tmp_path):
    path = example
    if request.param == "2021":
        path = tmp_path / "2021.txt"
        path.write_text(report_text(template="2021", year=2021), encoding="utf-8")
    return load_report(path).records


def test_sides_and_reads_agree_with_the_general_evaluator(records):
    rng = random.Random(7)
    rules = _arith_rules(records.template.id)
    linear = 0
    for trial in range(40):
        damaged = records if trial == 0 else _damaged(records, rng)
        for rule in rules:
            spec = damaged.template.tables[rule.table] if rule.table else None
            for instance in arith.instances(rule, spec):
                ev = arith.evaluate_at(rule, damaged, instance)
                expected = None if ev is None else (ev.holds, ev.lhs, ev.rhs)
                assert arith.sides_at(rule, damaged, instance) == expected, (rule.id, instance)
                reads = arith.reads_at(rule, damaged, instance)
                is_linear = isinstance(arith._linear(rule, damaged.template, instance), arith.Linear)
                if ev is not None or not is_linear:
                    assert reads == (None if ev is None else tuple(ev.read))
                linear += is_linear
    assert linear > 0  # the fast path was taken, not only the general one


def test_coefficient_is_how_far_the_gap_moves(records):
    rules = [r for r in _arith_rules(records.template.id) if r.expr.comparison == "=="]
    checked = 0
    for rule in rules:
        spec = records.template.tables[rule.table] if rule.table else None
        for instance in arith.instances(rule, spec):
            for key in arith.reads_at(rule, records, instance) or ():
                before = arith.sides_at(rule, records, instance)
                if key not in records.values or before is None:
                    continue
                bumped = records.with_number(key, (records.values[key].number or 0) + 1)
                after = arith.sides_at(rule, bumped, instance)
                moved = (after[1] - after[2]) - (before[1] - before[2])
                slope = arith.coefficient(rule, records.template, instance, key)
                assert slope is None or slope == moved, (rule.id, instance, key)
                checked += slope is not None
    assert checked > 100
