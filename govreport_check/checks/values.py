"""What each cell may hold (`kind: value`): counts are non-negative whole numbers, amounts are decimals (with
their unit where the template asks for one), and a blank is read as 0 but said out loud.

One instance per table row, so a row with several bad cells is one finding listing them all.
"""

from __future__ import annotations

from typing import Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.model import Value
from govreport_check.rules.expr import Ref
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"value", "tables", "except_columns", "units"})
KINDS = ("count", "amount", "filled")


def prepare(raw: dict, templates) -> dict:
    value = raw.get("value")
    if value not in KINDS:
        raise ValueError(f"value 只能是 {'、'.join(KINDS)}")
    tables = raw.get("tables", [raw["table"]] if raw.get("table") else None)
    if not tables or any(t not in next(iter(templates.values())).tables for t in tables):
        raise ValueError("value 规则需要 table 或 tables（sec2、sec3、sec4）")
    return {"value": value, "tables": tuple(tables), "except": tuple(raw.get("except_columns", ())),
            "units": tuple(raw.get("units", ()))}


def _bad(value: Value, kind: str, units: tuple[str, ...]) -> str | None:
    """Why the cell breaks the rule, in Chinese, or None."""
    if kind == "filled":
        return "空白" if value.kind == "blank" else None
    if value.kind != "number":
        return "不是数字" if value.kind == "text" else None  # a blank or a placeholder is not wrong here
    number = value.number
    if number < 0:
        return "为负数"
    if kind == "count" and number != number.to_integral_value():
        return "不是整数"
    if kind == "amount" and units and value.unit not in units:
        return f"未注明单位（{'或'.join(units)}）"
    return None


_PLANS: dict[tuple, tuple] = {}


def _plan(rule: Rule, template) -> tuple[tuple[str, str, tuple[tuple[str, tuple], ...]], ...]:
    """(table, row, ((column, cell key), …)) the rule reads in a template; worked out once."""
    key = (rule.source, rule.id, template.id)
    if key not in _PLANS:
        o, out = rule.options, []
        for table in o["tables"]:
            spec = template.tables[table]
            for row in spec.row_ids:
                if rule.rows and not any(Ref(p).matches(row) for p in rule.rows):
                    continue
                columns = tuple((c, (table, row, c)) for c in spec.columns_of(row)
                                if (not rule.columns or any(Ref(p).matches(c) for p in rule.columns))
                                and not any(Ref(p).matches(c) for p in o["except"]))
                out.append((table, row, columns))
        _PLANS[key] = tuple(out)
    return _PLANS[key]


def run(rule: Rule, report) -> Iterator[Outcome]:
    o = rule.options
    kind, units = o["value"], o["units"]
    values = report.records.values
    for table, row, columns in _plan(rule, report.template):
        present = [(c, v) for c, key in columns if (v := values.get(key)) is not None]
        if not present:
            continue
        bad = [(c, v, why) for c, v in present if (why := _bad(v, kind, units))]
        fact = None
        if bad:
            where = "、".join(c if kind == "filled" else f"{c}「{v.raw}」{why}" for c, v, why in bad)
            fact = Fact(rule.id, {"table": report.template.tables[table].title, "row": row, "where": where,
                                  "count": len(bad)}, cells=tuple(CellRef(table, row, c, v) for c, v, _ in bad),
                        loc=bad[0][1].loc)
        yield Outcome(rule.id, (row, None), fact)


def reads(rule: Rule) -> str:
    o = rule.options
    what = {"count": "应为非负整数", "amount": "应为非负金额", "filled": "不应为空白"}[o["value"]]
    cols = f"（列：{'、'.join(rule.columns)}）" if rule.columns else ""
    skip = f"，不含 {'、'.join(o['except'])}" if o["except"] else ""
    units = f"，须注明单位 {'或'.join(o['units'])}" if o["units"] else ""
    return f"表 {'、'.join(o['tables'])} 的每个单元格{cols}{skip}：{what}{units}"
