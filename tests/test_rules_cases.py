"""Every rule carries a passing and a failing example in its YAML; run both through the rule's own check.

Cell examples (`{row: …, 列: 值}` or `{column: …, 行: 值}`) are set into a table of zeros; report examples
(`{report: {…}}`) are whole reports written by tests/build.py with those settings.
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from build import report_text
from govreport_check.checks import module
from govreport_check.model import Loc
from govreport_check.normalize import read_value
from govreport_check.report import load_report, with_previous
from govreport_check.rules.load import builtin_rules
from govreport_check.template.match import Records

RULES = list(builtin_rules())


def cell_report(rule, example: dict, template_id: str, tmp_path):
    """The clean built report, with the example's cells written over one row or column of the rule's table."""
    path = tmp_path / "base.txt"
    path.write_text(report_text(template_id, 2020 if template_id == "2019" else 2023), encoding="utf-8")
    report = load_report(path)
    table = example.get("table") or rule.table
    spec = report.template.tables[table]
    values = {k: replace(v, number=Decimal(0), raw="0") for k, v in report.records.values.items()}
    row = example.get("row", spec.rows[0].id)
    column = example.get("column", spec.columns[0].id)

    def filled(cells: dict) -> dict:
        out = dict(values)
        for ref, raw in cells.items():
            if ref in ("table", "row", "column", "unit", "last"):
                continue
            key = (table, ref, column) if rule.foreach == "column" else (table, row, ref)
            if key in out:
                out[key] = read_value(str(raw), Loc("case", 1))
        return out

    previous = Records(report.template, filled(example["last"]), ()) if "last" in example else None
    return replace(report, records=Records(report.template, filled(example), ()), previous=previous,
                   unit=example.get("unit", report.unit))


def facts(rule, report):
    """Facts the rule's own check reports (through the engine's module registry); structure rules are
    reported by the extraction stage."""
    if rule.kind == "structure":
        return [f for f in report.records.facts if f.rule == rule.id]
    return [o.fact for o in module(rule.kind).run(rule, report) if o.fact is not None]


def test_every_rule_has_both_examples():
    missing = [r.id for r in RULES if set(r.examples) != {"pass", "fail"}]
    assert missing == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule, tmp_path):
    for verdict, example in rule.examples.items():
        if "report" in example:
            settings = dict(example["report"])
            last = settings.pop("previous", None)
            path = tmp_path / f"{verdict}.txt"
            path.write_text(report_text(**settings), encoding="utf-8")
            report = load_report(path)
            if last is not None:  # last year's report, written the same way
                (tmp_path / "last.txt").write_text(report_text(**last), encoding="utf-8")
                report = with_previous(report, load_report(tmp_path / "last.txt"))
            found = facts(rule, report)
            assert bool(found) == (verdict == "fail"), (verdict, found)
            continue
        for template_id in rule.templates:
            found = facts(rule, cell_report(rule, example, template_id, tmp_path))
            assert bool(found) == (verdict == "fail"), (template_id, verdict, found)
            assert all(f.rule == rule.id for f in found)
