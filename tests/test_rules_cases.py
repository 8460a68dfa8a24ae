"""Every rule carries a passing and a failing example in its YAML; run both through the rule's own check, with
the runner `rules --check` uses (govreport_check/rules/examples.py)."""

import pytest

from govreport_check.rules.examples import describe, disagreements, run
from govreport_check.rules.load import builtin_rules

RULES = list(builtin_rules())


def test_every_rule_has_both_examples():
    missing = [r.id for r in RULES if set(r.examples) != {"pass", "fail"}]
    assert missing == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule, tmp_path):
    cases = run(rule, tmp_path)
    assert {c.verdict for c in cases} == {"pass", "fail"}
    assert describe(rule, disagreements(rule, tmp_path)) == []
    assert all(f.rule == rule.id for c in cases for f in c.facts)
