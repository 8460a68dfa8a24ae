"""Indicators per report (rules/metrics.yaml): shares and counts an evaluator compares across reports.

Declared as data in the rules' expression language, with division added; every reference is checked against both
templates when the file is loaded, so an indicator means the same on a 2019 and a 2021 report. A value that cannot
be computed (division by zero, a cell the report lacks) is None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from govreport_check.errors import RuleFileError, internal_error
from govreport_check.rules.expr import Expr, ExprError, Ref, parse
from govreport_check.rules.load import check_explicit
from govreport_check.template.spec import Template, builtin_templates
from govreport_check.yamlfile import LINE, data_dir, key_line, load_yaml

FORMATS = ("ratio", "count")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_METRIC_KEYS = {"id", "name", "description", "expr", "format", "table", "row", "column", LINE}
_THRESHOLD_KEYS = {"id", "name", "metric", "when", "above", "below", "message", LINE}
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Metric:
    id: str  # key in every output ("disclosure_rate")
    name: str  # Chinese name, for tables
    expr: Expr  # checked against both templates
    format: str  # "ratio" or "count"
    description: str
    table: str | None  # the table bare names are read in
    row: str | None  # bare names are columns of this row …
    column: str | None  # … or rows read in this column
    source: str  # "file:line"


@dataclass(frozen=True)
class Threshold:
    id: str
    name: str
    metric: str  # the indicator compared
    when: Expr | None  # only where this holds (enough cases to mean something)
    above: Decimal | None  # a note when the value is greater than this …
    below: Decimal | None  # … or less than this
    message: str  # Chinese, with {value}, {limit} and indicator ids
    source: str


@dataclass(frozen=True)
class MetricSet:
    metrics: tuple[Metric, ...]
    thresholds: tuple[Threshold, ...] = ()


@dataclass(frozen=True)
class Note:
    """A threshold a report's indicator crossed: information for the reader, not an error."""

    id: str
    name: str
    metric: str
    value: Decimal
    message: str
    severity: str = "info"


@dataclass(frozen=True)
class Measured:
    """One report's indicators: small, so a batch of thousands keeps no report text."""

    report: object  # report.Summary
    values: dict  # metric id → Decimal | None, in declaration order
    notes: tuple[Note, ...] = ()


def builtin_file() -> Path:
    return data_dir() / "metrics.yaml"


def load_metrics(extra: list[Path] = (), templates: dict[str, Template] | None = None) -> MetricSet:
    """The built-in indicators, then each extra file's; an id may be declared once only."""
    templates = templates or builtin_templates()
    metrics: list[Metric] = []
    thresholds: list[Threshold] = []
    for path in [builtin_file(), *map(Path, extra)]:
        if path.resolve() == builtin_file().resolve() and metrics:
            continue  # the built-in file named again
        raw = load_yaml(path)
        if not isinstance(raw, dict) or not isinstance(raw.get("metrics", []), list) \
                or not isinstance(raw.get("thresholds", []), list) or not (raw.get("metrics") or raw.get("thresholds")):
            raise RuleFileError("指标文件应包含顶层键 metrics: [...]（可另有 thresholds: [...]）", path)
        unknown = set(raw) - {"metrics", "thresholds", LINE}
        if unknown:
            raise RuleFileError(f"指标文件含有未知的顶层键：{'、'.join(sorted(map(str, unknown)))}", path)
        for item in raw.get("metrics") or []:
            metric = _metric(item, path, templates, {m.id for m in metrics})
            metrics.append(metric)
        for item in raw.get("thresholds") or []:
            threshold = _threshold(item, path, {m.id: m for m in metrics}, {t.id for t in thresholds})
            thresholds.append(threshold)
    return MetricSet(tuple(metrics), tuple(thresholds))


def _strings(raw, path: Path, required: tuple[str, ...], allowed: set[str], what: str):
    line = raw.get(LINE) if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        raise RuleFileError(f"每个{what}应是一个映射（id、name …）", path, line)
    unknown = set(raw) - allowed
    if unknown:
        raise RuleFileError(f"{what}含有未知字段：{'、'.join(sorted(map(str, unknown)))}", path, line)
    for key in required:
        if raw.get(key) is None or raw.get(key) == "":
            raise RuleFileError(f"{what}缺少字段 {key}", path, line)
    for key in allowed - {LINE}:
        if key in raw and isinstance(raw[key], (dict, list)):
            raise RuleFileError(f"{key} 应是一个值，而不是列表或映射", path, key_line(raw, key))
    return line


def _metric(raw, path: Path, templates: dict[str, Template], earlier: set[str]) -> Metric:
    line = _strings(raw, path, ("id", "name", "expr"), _METRIC_KEYS, "指标")

    def fail(msg: str, key: str | None = None):
        raise RuleFileError(msg, path, key_line(raw, key) if key else line)

    mid = str(raw["id"])
    if not _ID.fullmatch(mid):
        fail(f"指标 id 只能由小写字母、数字和下划线组成，并以字母开头（如 disclosure_rate），而不是 {mid}", "id")
    if mid in earlier:
        fail(f"指标 id 重复：{mid}", "id")
    table, row, column = (None if raw.get(k) is None else str(raw[k]) for k in ("table", "row", "column"))
    tables = next(iter(templates.values())).tables
    if table is not None and table not in tables:
        fail(f"未知的表 {table}（可用：{'、'.join(tables)}）", "table")
    if (row or column) and table is None:
        fail("写了 row 或 column 时也需要 table", "row" if row else "column")
    if row and column:
        fail("row 和 column 只能写一个：row 时表达式中的名称是该行的列，column 时是该列的行", "column")
    for template in templates.values():
        spec = template.tables[table] if table else None
        if row and spec.row(row) is None:
            fail(f"模板 {template.id} 的 {table} 中没有行 {row}（可用：{'、'.join(spec.row_ids)}）", "row")
        if column and column not in spec.column_ids:
            fail(f"模板 {template.id} 的 {table} 中没有列 {column}（可用：{'、'.join(spec.column_ids)}）", "column")
    try:
        expr = parse(str(raw["expr"]), division=True, names=frozenset(earlier))
        if expr.uses_last:
            raise ExprError("指标不能读取上一年报告（last）")
        for template in templates.values():
            _validate(expr, template, table, row, column)
        for ref in expr.refs.values():
            if ref.is_glob and not any(_keys(ref, t, table, row, column) for t in templates.values()):
                raise ExprError(f"通配引用 {ref.text} 在任何模板中都没有匹配的行或列")
    except ExprError as exc:
        fail(str(exc), "expr")
    fmt = str(raw.get("format") or ("ratio" if _divides(expr) else "count"))
    if fmt not in FORMATS:
        fail(f"format 只能是 {'、'.join(FORMATS)}，而不是 {fmt}", "format")
    return Metric(mid, str(raw["name"]), expr, fmt, " ".join(str(raw.get("description", "")).split()),
                  table, row, column, f"{path}:{line}")


def _divides(expr: Expr) -> bool:
    import ast

    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for n in ast.walk(expr.tree))


def _validate(expr: Expr, template: Template, table: str | None, row: str | None, column: str | None) -> None:
    """Exact references must name a cell of this template; indicator ids were checked by the parser."""
    for ref in expr.refs.values():
        if _ID.fullmatch(ref.text):
            continue
        if ref.explicit:
            check_explicit(ref, template)
            continue
        if table is None or not (row or column):
            raise ExprError(f"引用 {ref.text} 需要 table 和 row 或 column（或写成 cell(\"表\", \"行\", \"列\")）")
        spec = template.tables[table]
        if ref.is_glob:
            continue
        if not _keys(ref, template, table, row, column):
            what, axis = ("列", spec.columns_of(row)) if row else ("行", spec.row_ids)
            raise ExprError(f"模板 {template.id} 的 {table} 中没有{what} {ref.text}（可用：{'、'.join(axis)}）")


def _keys(ref: Ref, template: Template, table: str | None, row: str | None, column: str | None) -> list[tuple]:
    """The cells a reference reads in this template."""
    if ref.explicit:
        return [ref.explicit]
    spec = template.tables[table]
    if row:
        return [(table, row, c) for c in spec.columns_of(row) if ref.matches(c)]
    return [(table, r, column) for r in spec.row_ids if ref.matches(r) and column in spec.columns_of(r)]


def _threshold(raw, path: Path, metrics: dict[str, Metric], earlier: set[str]) -> Threshold:
    from govreport_check.rules.load import _placeholder_problem, _unknown_placeholder

    line = _strings(raw, path, ("id", "name", "metric", "message"), _THRESHOLD_KEYS, "阈值")

    def fail(msg: str, key: str | None = None):
        raise RuleFileError(msg, path, key_line(raw, key) if key else line)

    tid, metric = str(raw["id"]), str(raw["metric"])
    if tid in earlier:
        fail(f"阈值 id 重复：{tid}", "id")
    if metric not in metrics:
        fail(f"未知的指标 {metric}（可用：{'、'.join(metrics)}）", "metric")
    limits = {}
    for key in ("above", "below"):
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"{key} 应是一个数，如 0.15", key)
        limits[key] = Decimal(str(value))
    if not limits:
        fail("阈值需要 above 或 below（或两者）")
    when = None
    if raw.get("when") is not None:
        try:
            when = parse(str(raw["when"]), division=True, names=frozenset(metrics))
            for ref in when.refs.values():
                if not ref.explicit and ref.text not in metrics:
                    raise ExprError(f"when 中的单元格请写成 cell(\"表\", \"行\", \"列\")，而不是 {ref.text}")
            for template in builtin_templates().values():
                _validate(when, template, None, None, None)
        except ExprError as exc:
            fail(str(exc), "when")
    message = str(raw["message"])
    wrong = _placeholder_problem(message) or _unknown_placeholder(message, frozenset({"value", "limit", *metrics}))
    if wrong:
        fail(wrong, "message")
    return Threshold(tid, str(raw["name"]), metric, when, limits.get("above"), limits.get("below"), message,
                     f"{path}:{line}")


def measure(report, metric_set: MetricSet) -> Measured:
    """Every indicator of one loaded report, in declaration order (a later one may read an earlier one)."""
    from govreport_check.report import summary

    numbers = report.records.numbers
    template = report.template
    values: dict[str, Decimal | None] = {}
    for metric in metric_set.metrics:
        values[metric.id] = _value(metric.expr, _resolver(metric, template, numbers, values))
    notes = tuple(n for n in (_note(t, values, metric_set, template, numbers) for t in metric_set.thresholds) if n)
    return Measured(summary(report), values, notes)


def _resolver(metric: Metric | None, template: Template, numbers: dict, values: dict):
    def resolve(ref: Ref, part: str) -> list:
        if ref.text in values and not ref.explicit:
            return [values[ref.text]]
        keys = _keys(ref, template, metric.table if metric else None, metric.row if metric else None,
                     metric.column if metric else None)
        found = [numbers.get((*k, "note") if part == "note" else k) for k in keys]
        found = [f for f in found if f is not None] if ref.is_glob else found
        return found or [None]
    return resolve


def _value(expr: Expr, resolve) -> Decimal | None:
    """None where a figure is missing or a divisor is 0: Decimal raises for the one, None refuses arithmetic
    in the other, and either way there is no value to give."""
    try:
        value = expr.fn(resolve)
    except (TypeError, ArithmeticError):
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    return value


def _note(threshold: Threshold, values: dict, metric_set: MetricSet, template: Template, numbers: dict) -> Note | None:
    value = values.get(threshold.metric)
    if value is None:
        return None
    if threshold.when is not None and _value(threshold.when, _resolver(None, template, numbers, values)) in (None, 0):
        return None
    crossed = [(k, limit) for k, limit in (("above", threshold.above), ("below", threshold.below))
               if limit is not None and (value > limit if k == "above" else value < limit)]
    if not crossed:
        return None
    formats = {m.id: m.format for m in metric_set.metrics}
    fmt = formats[threshold.metric]
    params = {k: show(v, formats[k]) for k, v in values.items()}
    params.update(value=show(value, fmt), limit=show(crossed[0][1], fmt))
    return Note(threshold.id, threshold.name, threshold.metric, value, threshold.message.format_map(params))


def show(value: Decimal | None, fmt: str) -> str:
    """For people: a share as a percentage (61.8%), a count as written; — where there is no value."""
    if value is None:
        return "—"
    if fmt == "ratio":
        percent = (value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP).normalize()
        return f"{percent:f}%"
    return f"{value.normalize() if value == value.to_integral_value() else value:f}"


def rounded(value: Decimal | None, fmt: str) -> int | float | None:
    """For machines: a share to 4 places, a count as an integer (an amount keeps its digits)."""
    if value is None:
        return None
    if fmt == "ratio":
        return float(value.quantize(_PLACES, ROUND_HALF_UP))
    from govreport_check.render import number

    return number(value)


def measure_one(metric_set: MetricSet, path: Path):
    """One report read and measured in a batch worker (`functools.partial(measure_one, metrics)`); never raises."""
    from govreport_check import batch
    from govreport_check.report import Unreadable

    report = batch.extract_one(path)
    if isinstance(report, Unreadable):
        return report
    try:
        return measure(report, metric_set)
    except Exception as exc:  # noqa: BLE001 - as batch.check_one
        return Unreadable(str(path), internal_error(exc))

