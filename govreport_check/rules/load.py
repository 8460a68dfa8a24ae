"""Load rule files and check every rule against the templates before any report is read.

A rule that names a row or column the template lacks, uses syntax outside the whitelist, or carries a key no
one reads stops the run with the rule file's name and line: a broken rule must never pass silently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govreport_check.checks import KINDS, module
from govreport_check.errors import RuleFileError
from govreport_check.findings import Severity
from govreport_check.rules.expr import ExprError, Ref, parse
from govreport_check.rules.rule import Rule
from govreport_check.template.spec import TableSpec, Template, builtin_templates
from govreport_check.yamlfile import LINE, data_dir, load_yaml

FOREACH = ("row", "column", "none")
COMMON = {"id", "name", "severity", "tags", "message", "description", "kind", "templates", "table", "foreach",
          "rows", "columns", "expr", "sum", "when", "examples", LINE}


def _as_expr(raw: dict) -> str | None:
    if "expr" in raw:
        return str(raw["expr"])
    if "sum" in raw:
        spec = raw["sum"]
        if not isinstance(spec, dict) or "total" not in spec or not spec.get("parts"):
            raise ExprError("sum 需要写成 {total: 总计, parts: [...]}")
        return f"{spec['total']} == sum({', '.join(str(p) for p in spec['parts'])})"
    return None


def axis_ids(spec: TableSpec, foreach: str) -> tuple[str, ...]:
    """Ids a bare reference may name: columns when expanding over rows, rows when over columns."""
    if foreach == "row":
        return spec.column_ids
    if foreach == "column":
        return spec.row_ids
    return ()


def _validate_refs(rule: Rule, template: Template, everywhere: dict[str, set[str]]) -> None:
    """Exact references must exist in every template the rule applies to; a glob in at least one."""
    spec = template.tables[rule.table] if rule.table else None
    for expr in (rule.expr, rule.when):
        for ref in (expr.refs.values() if expr else ()):
            if ref.explicit:
                table, row, column = ref.explicit
                t = template.tables.get(table)
                if t is None or t.row(row) is None or column not in t.columns_of(row):
                    raise ExprError(f"模板 {template.id} 中没有单元格 {table}/{row}/{column}")
                continue
            if spec is None or rule.foreach == "none":
                raise ExprError(f"引用 {ref.text} 需要 table 和 foreach（或写成 cell(\"表\", \"行\", \"列\")）")
            axis = axis_ids(spec, rule.foreach)
            if ref.is_glob:
                if any(ref.matches(x) for x in axis):
                    everywhere.setdefault(ref.text, set()).add(template.id)
                continue
            if not any(ref.matches(x) for x in axis):
                what = "列" if rule.foreach == "row" else "行"
                raise ExprError(f"模板 {template.id} 的 {rule.table} 中没有{what} {ref.text}（可用：{'、'.join(axis)}）")
    if spec is None:
        return
    for patterns, ids, what in ((rule.rows, [r.id for r in spec.rows], "行"),
                                (rule.columns, [c.id for c in spec.columns], "列")):
        for p in patterns:
            if not any(Ref(p).matches(x) for x in ids):
                raise ExprError(f"模板 {template.id} 的 {rule.table} 中没有{what} {p}")


def _rule(raw, path: Path, templates: dict[str, Template]) -> Rule:
    line = raw.get(LINE) if isinstance(raw, dict) else None

    def fail(msg: str):
        raise RuleFileError(msg, path, line)

    if not isinstance(raw, dict):
        fail("每条规则应是一个映射（id、name、severity …）")
    for key in ("id", "name", "severity", "message"):
        if not raw.get(key):
            fail(f"规则缺少字段 {key}")
    kind = str(raw.get("kind", "expr" if ("expr" in raw or "sum" in raw) else "structure"))
    if kind not in KINDS:
        fail(f"未知的规则类型 kind: {kind}（可用：{'、'.join(KINDS)}）")
    check = module(kind)
    unknown = set(raw) - COMMON - set(check.OPTIONS)
    if unknown:
        fail(f"规则含有未知字段：{'、'.join(sorted(map(str, unknown)))}")
    try:
        severity = Severity(str(raw["severity"]))
    except ValueError:
        fail(f"severity 只能是 error、warning 或 info，而不是 {raw['severity']}")
    foreach = str(raw.get("foreach", "none"))
    if foreach not in FOREACH:
        fail(f"foreach 只能是 {'、'.join(FOREACH)}")
    applies = tuple(str(t) for t in raw.get("templates", templates))
    for t in applies:
        if t not in templates:
            fail(f"未知的模板 {t}（可用：{'、'.join(templates)}）")
    table = raw.get("table")
    if table is not None and table not in next(iter(templates.values())).tables:
        fail(f"未知的表 {table}（可用：sec2、sec3、sec4）")
    examples = raw.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"pass", "fail", LINE}:
        fail("examples 只能包含 pass 和 fail")
    try:
        source = _as_expr(raw)
        expr = parse(source) if source is not None else None
        when = parse(str(raw["when"])) if "when" in raw else None
        options = check.prepare(raw, templates) if hasattr(check, "prepare") else {}
    except (ExprError, ValueError) as exc:
        fail(str(exc))
    if kind == "expr" and expr is None:
        fail("表达式规则需要 expr 或 sum")
    rule = Rule(
        id=str(raw["id"]),
        name=str(raw["name"]),
        severity=severity,
        tags=tuple(str(t) for t in raw.get("tags", ())),
        message=str(raw["message"]),
        description=_unfold(str(raw.get("description", ""))),
        kind=kind,
        source=f"{path}:{line}",
        templates=applies,
        table=table,
        foreach=foreach,
        rows=tuple(str(r) for r in raw.get("rows", ())),
        columns=tuple(str(c) for c in raw.get("columns", ())),
        expr=expr,
        when=when,
        options=options,
        examples={k: _plain(v) for k, v in examples.items() if k != LINE},
    )
    globs: dict[str, set[str]] = {}
    try:
        for t in applies:
            _validate_refs(rule, templates[t], globs)
            if hasattr(check, "validate"):
                check.validate(rule, templates[t])
        for expr_ in (rule.expr, rule.when):
            for ref in (expr_.refs.values() if expr_ else ()):
                if ref.is_glob and not globs.get(ref.text):
                    raise ExprError(f"通配引用 {ref.text} 在任何模板中都没有匹配的行或列")
    except (ExprError, ValueError) as exc:
        fail(str(exc))
    return rule


def _unfold(text: str) -> str:
    """YAML folding puts a space at each line break; Chinese text wants none between two Chinese characters."""
    text = " ".join(text.split())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def _plain(value):
    """YAML data without the loader's line markers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_rule_file(path: Path, templates: dict[str, Template]) -> list[Rule]:
    raw = load_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise RuleFileError("规则文件应包含顶层键 rules: [...]", path)
    return [_rule(item, path, templates) for item in raw["rules"]]


def load_rules(paths: list[Path], templates: dict[str, Template]) -> list[Rule]:
    """Later files override earlier ones rule by rule (same id); one file may not repeat an id."""
    rules: dict[str, Rule] = {}
    for path in paths:
        seen: set[str] = set()
        for rule in load_rule_file(path, templates):
            if rule.id in seen:
                raise RuleFileError(f"规则 id 重复：{rule.id}", path, int(rule.source.rsplit(":", 1)[-1]))
            seen.add(rule.id)
            rules[rule.id] = rule
    return list(rules.values())


def builtin_rule_files() -> list[Path]:
    return sorted(p for p in data_dir().glob("*.yaml") if p.name != "template.yaml")


def load_rules_cached(paths: list[Path]) -> list[Rule]:
    """Rules as `load_rules` gives them, kept on disk between runs: parsing and validating the YAML costs more
    than checking a report."""
    from govreport_check.cache import cached

    return cached("rules", [data_dir() / "template.yaml", *paths], lambda: load_rules(paths, builtin_templates()))


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    return tuple(load_rules(builtin_rule_files(), builtin_templates()))
