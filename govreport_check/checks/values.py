"""What each cell may hold (`kind: value`): counts are non-negative whole numbers, amounts are decimals (with
their unit where the template asks for one), and a blank is read as 0 but said out loud; so is a word where a
figure belongs (`O`, `不适用`) and a note mark after one (`16¹`).

One instance per table row, so a row with several bad cells is one finding listing them all; a table left
wholly blank (`value: unfilled`) is one finding for the table, and its rows are not also reported blank; so is
a run of columns blank in every row (`value: blank_columns`), whose cells the rows do not also report.
"""

from __future__ import annotations

from typing import Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.model import Value
from govreport_check.normalize import lookalike, note_mark
from govreport_check.rules.expr import Ref
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"value", "tables", "except_columns", "units", "except_unfilled", "except_blank_columns"})
KINDS = ("count", "amount", "filled", "word", "mark", "unfilled", "blank_columns")


def params(rule: Rule) -> frozenset[str]:
    """What a finding names: a row's bad cells, a blank table, or a run of blank columns."""
    value = rule.options["value"]
    if value == "unfilled":
        return frozenset({"table", "count"})
    if value == "blank_columns":
        return frozenset({"table", "where", "columns", "rows"})
    return frozenset({"table", "row", "row_words", "where", "count"})


def prepare(raw: dict, templates) -> dict:
    value = raw.get("value")
    if value not in KINDS:
        raise ValueError(f"value 只能是 {'、'.join(KINDS)}")
    tables = raw.get("tables", [raw["table"]] if raw.get("table") else None)
    if not tables or any(t not in next(iter(templates.values())).tables for t in tables):
        raise ValueError("value 规则需要 table 或 tables（sec2、sec3、sec4）")
    return {"value": value, "tables": tuple(tables), "except": tuple(raw.get("except_columns", ())),
            "units": tuple(raw.get("units", ())), "except_unfilled": bool(raw.get("except_unfilled", False)),
            "except_blank_columns": bool(raw.get("except_blank_columns", False))}


def _bad(value: Value, kind: str, units: tuple[str, ...]) -> str | None:
    """Why the cell breaks the rule, in Chinese, or None."""
    if kind == "filled":
        return "空白" if value.kind == "blank" else None
    if kind == "word":
        if value.kind != "word":
            return None
        probable = lookalike(value.raw)
        return "不是数字" if probable is None else f"不是数字，可能是 {probable}"
    if kind == "mark":
        mark = note_mark(value.raw) if value.kind == "number" else ""
        return f"带注释标记「{mark}」，按 {value.number} 计算" if mark else None
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
_DIGITS = frozenset("0123456789")


def _plan(rule: Rule, template) -> tuple[tuple[str, str, tuple[tuple[str, tuple], ...], frozenset], ...]:
    """(table, row, ((column, cell key), …), the cell keys) the rule reads in a template; worked out once."""
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
                out.append((table, row, columns, frozenset(k for _, k in columns)))
        _PLANS[key] = tuple(out)
    return _PLANS[key]


def unfilled(values: dict) -> set[str]:
    """Tables found with every cell blank: a template nobody filled in."""
    found = {t for t, _, _ in values}
    return found - {t for (t, _, _), v in values.items() if v.kind != "blank"} if found else set()


def blank_columns(values: dict, template) -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """Per table, the runs of adjacent columns blank in every row found (at least two rows), each with the number
    of rows: one omission, such as leaving 法人或其他组织 empty, not one per row. Unfilled tables are left out."""
    rows: dict[tuple[str, str], list] = {}
    for (t, _, c), v in values.items():
        rows.setdefault((t, c), []).append(v.kind == "blank")
    out = {}
    for table in {t for t, _ in rows} - unfilled(values):
        runs, run = [], []
        for column in (*template.tables[table].column_ids, None):
            seen = rows.get((table, column), ())
            if len(seen) >= 2 and all(seen):
                run.append(column)
            elif run:
                runs.append((tuple(run), max(len(rows[(table, c)]) for c in run)))
                run = []
        if runs:
            out[table] = tuple(runs)
    return out


def _suspects(values: dict, kind: str) -> set | None:
    """Cells a rare-finding rule need look at, in one pass (most reports have none); None: every cell."""
    if kind == "word":
        return {k for k, v in values.items() if v.kind == "word"}
    if kind == "mark":  # a figure ending in a digit has no mark after it
        return {k for k, v in values.items() if v.raw[-1:] not in _DIGITS and v.kind == "number"}
    if kind == "filled":
        return {k for k, v in values.items() if v.kind == "blank"}
    return None


def run(rule: Rule, report) -> Iterator[Outcome]:
    o = rule.options
    kind, units = o["value"], o["units"]
    values = report.records.values
    if kind == "unfilled":
        yield from _unfilled(rule, report)
        return
    if kind == "blank_columns":
        yield from _blank_columns(rule, report)
        return
    blank = unfilled(values) if o["except_unfilled"] else ()
    suspects = _suspects(values, kind)
    if o["except_blank_columns"] and suspects:
        runs = blank_columns(values, report.template)
        suspects -= {(t, r, c) for (t, r, c) in suspects if any(c in run for run, _ in runs.get(t, ()))}
    present_in = values.keys()
    for table, row, columns, keys in _plan(rule, report.template):
        if table in blank:
            continue
        if suspects is None:
            present = [(c, v) for c, key in columns if (v := values.get(key)) is not None]
            if not present:
                continue
            bad = [(c, v, why) for c, v in present if (why := _bad(v, kind, units))]
        elif present_in.isdisjoint(keys):
            continue
        elif suspects.isdisjoint(keys):
            bad = []
        else:
            bad = [(c, v, why) for c, key in columns
                   if key in suspects and (why := _bad(v := values[key], kind, units))]
        fact = None
        if bad:
            spec = report.template.tables[table]
            named = [(spec.column_words(c), v, why) for c, v, why in bad]
            where = "、".join(c if kind == "filled" else f"{c}「{v.raw}」{why}" for c, v, why in named)
            fact = Fact(rule.id, {"table": spec.title, "row": row, "row_words": spec.row_words(row), "where": where,
                                  "count": len(bad)}, cells=tuple(CellRef(table, row, c, v) for c, v, _ in bad),
                        loc=bad[0][1].loc)
        yield Outcome(rule.id, (row, None), fact)


def _unfilled(rule: Rule, report) -> Iterator[Outcome]:
    values = report.records.values
    blank = unfilled(values)
    for table in rule.options["tables"]:
        fact = None
        if table in blank:
            cells = [v for (t, _, _), v in values.items() if t == table]
            fact = Fact(rule.id, {"table": report.template.tables[table].title, "count": len(cells)}, loc=cells[0].loc)
        yield Outcome(rule.id, (table, None), fact)


_CN = "零一二三四五六七八九十"


def _blank_columns(rule: Rule, report) -> Iterator[Outcome]:
    runs = blank_columns(report.records.values, report.template)
    for table in rule.options["tables"]:
        spec = report.template.tables[table]
        found = runs.get(table, ())
        if not found:
            yield Outcome(rule.id, (table, None), None)
        for columns, count in found:
            groups = {spec.column(c).group for c in columns}
            members = tuple(c.id for c in spec.columns if c.group in groups)
            many = f"{'两' if len(columns) == 2 else _CN[len(columns)] if len(columns) <= 10 else len(columns)}列"
            named = "、".join(spec.column_words(c) for c in columns)
            where = (f"{next(iter(groups))}{many}" if len(groups) == 1 and None not in groups and members == columns
                     else named + ("列" if len(columns) == 1 else f"{many}"))
            cells = tuple(CellRef(table, r, c, v) for (t, r, c), v in report.records.values.items()
                          if t == table and c in columns)
            yield Outcome(rule.id, (table, columns[0]),
                          Fact(rule.id, {"table": spec.title, "where": where, "columns": named, "rows": count},
                               cells=cells, loc=cells[0].value.loc))


def reads(rule: Rule) -> str:
    o = rule.options
    if o["value"] == "unfilled":
        return f"表 {'、'.join(o['tables'])}：不应每个单元格都是空白"
    if o["value"] == "blank_columns":
        return f"表 {'、'.join(o['tables'])}：不应有整列空白（连续的整列空白合报一次）"
    what = {"count": "应为非负整数", "amount": "应为非负金额", "filled": "不应为空白", "word": "不应是文字或字母",
            "mark": "数字后不应带注释标记"}[o["value"]]
    cols = f"（列：{'、'.join(rule.columns)}）" if rule.columns else ""
    skip = f"，不含 {'、'.join(o['except'])}" if o["except"] else ""
    skip += "，整表空白的表除外（另行报告）" if o["except_unfilled"] else ""
    skip += "，整列空白的列除外（另行报告）" if o["except_blank_columns"] else ""
    units = f"，须注明单位 {'或'.join(o['units'])}" if o["units"] else ""
    return f"表 {'、'.join(o['tables'])} 的每个单元格{cols}{skip}：{what}{units}"
