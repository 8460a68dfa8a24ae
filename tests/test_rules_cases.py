"""Every arithmetic rule carries a passing and a failing example in its YAML; run them both."""

from dataclasses import replace
from decimal import Decimal

import pytest

from govreport_check.model import Loc, Value
from govreport_check.rules.arith import run
from govreport_check.rules.load import builtin_rules
from govreport_check.template.match import Records
from govreport_check.template.spec import builtin_templates

EXPR_RULES = [r for r in builtin_rules() if r.kind == "expr"]


def records_from(rule, example: dict, template_id: str) -> Records:
    """A table of zeros with the example's figures at the instance the example describes."""
    template = builtin_templates()[template_id]
    spec = template.tables[rule.table]
    values = {}
    for r in spec.rows:
        for c in spec.columns_of(r.id):
            values[(spec.id, r.id, c)] = Value(Decimal(0), "0", "number", Loc("case.yaml", 1))
    first_row, first_col = spec.rows[0].id, spec.columns[0].id
    for ref, number in example.items():
        key = (spec.id, first_row, ref) if rule.foreach == "row" else (spec.id, ref, first_col)
        if key in values:
            values[key] = replace(values[key], number=Decimal(str(number)), raw=str(number))
    return Records(template, values, ())


@pytest.mark.parametrize("rule", EXPR_RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("template_id", ["2019", "2021"])
def test_rule_examples(rule, template_id):
    examples = rule_examples(rule)
    assert set(examples) == {"pass", "fail"}, f"{rule.id} needs a pass and a fail example"
    for verdict, example in examples.items():
        outcomes = list(run(rule, records_from(rule, example, template_id)))
        failed = [o for o in outcomes if o.fact is not None]
        assert outcomes
        if verdict == "pass":
            assert failed == []
        else:
            assert len(failed) == 1 and failed[0].fact.rule == rule.id


def rule_examples(rule) -> dict:
    from govreport_check.yamlfile import load_yaml

    path, _, line = rule.source.rpartition(":")
    raw = next(r for r in load_yaml(__import__("pathlib").Path(path))["rules"] if r["id"] == rule.id)
    return {k: {str(kk): vv for kk, vv in v.items() if kk != "__line__"}
            for k, v in raw.get("examples", {}).items() if k != "__line__"}
