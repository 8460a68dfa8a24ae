"""Rules between reports (`kind: across`): a summary report against its units' reports. `govreport-check
aggregate` reports these facts (govreport_check/aggregate.py); a single report's check runs none of them, as a
structure rule's facts come from the extraction stage."""

from __future__ import annotations

OPTIONS = frozenset({"tables", "sec2_columns"})
_BY_ID = {  # what govreport_check/aggregate.py puts in each fact it reports
    "aggregate-cell": frozenset({"cell_words", "summary", "parts_sum", "diff", "contributions", "count"}),
    "aggregate-part-other": frozenset({"part", "unit", "problem"}),
    "aggregate-roster-missing": frozenset({"count", "units"}),
    "aggregate-roster-extra": frozenset({"count", "units"}),
}


def params(rule) -> frozenset[str]:
    return _BY_ID.get(rule.id, frozenset())


def prepare(raw: dict, templates) -> dict:
    tables = tuple(str(t) for t in raw.get("tables", ()))
    columns = tuple(str(c) for c in raw.get("sec2_columns", ()))
    for t in tables:
        if t not in ("sec3", "sec4"):
            raise ValueError(f"tables 只能是 sec3、sec4（第二部分按 sec2_columns 逐列相加），而不是 {t}")
    known = {c for template in templates.values() for row in template.tables["sec2"].rows for c in row.columns}
    for c in columns:
        if c not in known:
            raise ValueError(f"sec2_columns 中的列 {c} 不在任何模板的第二部分表格中")
    return {"tables": tables, "sec2_columns": columns}


def run(rule, report):
    return iter(())


def reads(rule) -> str:
    if rule.options.get("tables") or rule.options.get("sec2_columns"):
        sec2 = "、".join(rule.options.get("sec2_columns", ()))
        return f"汇总报告与各单位报告的 {'、'.join(rule.options.get('tables', ()))} 各单元格" + (
            f"，以及第二部分的 {sec2} 列" if sec2 else "")
    return "汇总报告与各单位报告（govreport-check aggregate）"
