"""Load rule files and check every rule against the templates before any report is read.

A rule that names a row or column the template lacks, uses syntax outside the whitelist, or carries a key no
one reads stops the run with the rule file's name and line: a broken rule must never pass silently.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from govreport_check.checks import KINDS, module
from govreport_check.errors import RuleFileError
from govreport_check.findings import Severity
from govreport_check.rules.expr import ExprError, Ref, parse
from govreport_check.rules.rule import Rule
from govreport_check.template.spec import TableSpec, Template, builtin_templates
from govreport_check.yamlfile import LINE, data_dir, key_line, load_yaml

FOREACH = ("row", "column", "none")
COMMON = {"id", "name", "severity", "tags", "message", "description", "kind", "templates", "table", "foreach",
          "rows", "columns", "expr", "sum", "when", "examples", LINE}


def _as_expr(raw: dict) -> str | None:
    if "expr" in raw:
        return str(raw["expr"])
    if "sum" in raw:
        spec = raw["sum"]
        if not isinstance(spec, dict) or "total" not in spec or not isinstance(spec.get("parts"), list) \
                or not spec["parts"]:
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


def check_explicit(ref, template: Template) -> None:
    """A cell("表", "行", "列") reference must name a cell of the template (rules and metrics alike)."""
    table, row, column = ref.explicit
    t = template.tables.get(table)
    if t is None or t.row(row) is None or column not in t.columns_of(row):
        raise ExprError(f"模板 {template.id} 中没有单元格 {table}/{row}/{column}")


def _validate_refs(rule: Rule, template: Template, everywhere: dict[str, set[str]]) -> None:
    """Exact references must exist in every template the rule applies to; a glob in at least one."""
    spec = template.tables[rule.table] if rule.table else None
    for expr in (rule.expr, rule.when):
        for ref in (expr.refs.values() if expr else ()):
            if ref.explicit:
                check_explicit(ref, template)
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


_REFUSED = (ValueError, TypeError, KeyError, AttributeError)  # ExprError is a ValueError


def _reason(exc: Exception) -> str:
    """What a check's prepare/validate refused; a TypeError and the like means an option of the wrong type."""
    if isinstance(exc, ValueError):
        return str(exc)
    return f"字段取值的类型不对（{type(exc).__name__}: {exc}）"


def _rule(raw, path: Path, templates: dict[str, Template]) -> Rule:
    line = raw.get(LINE) if isinstance(raw, dict) else None

    def fail(msg: str, key: str | None = None):
        raise RuleFileError(msg, path, key_line(raw, key) if key else line)

    def strings(key: str, default: tuple = ()) -> tuple[str, ...]:
        value = raw.get(key, default)
        if not isinstance(value, (list, tuple)) or any(isinstance(v, (dict, list)) for v in value):
            fail(f"{key} 应为列表，如 [a, b]", key)
        return tuple(str(v) for v in value)

    if not isinstance(raw, dict):
        fail("每条规则应是一个映射（id、name、severity …）")
    for key in ("id", "name", "severity", "message"):
        if not raw.get(key):
            fail(f"规则缺少字段 {key}")
    wrong = _placeholder_problem(str(raw["message"]))
    if wrong:
        fail(wrong)
    kind = str(raw.get("kind", "expr" if ("expr" in raw or "sum" in raw) else "structure"))
    if kind not in KINDS:
        fail(f"未知的规则类型 kind: {kind}（可用：{'、'.join(KINDS)}）", "kind")
    check = module(kind)
    unknown = set(raw) - COMMON - set(check.OPTIONS)
    if unknown:
        fail(f"规则含有未知字段：{'、'.join(sorted(map(str, unknown)))}")
    try:
        severity = Severity(str(raw["severity"]))
    except ValueError:
        fail(f"severity 只能是 error、warning 或 info，而不是 {raw['severity']}", "severity")
    foreach = str(raw.get("foreach", "none"))
    if foreach not in FOREACH:
        fail(f"foreach 只能是 {'、'.join(FOREACH)}", "foreach")
    applies = strings("templates", tuple(templates))
    for t in applies:
        if t not in templates:
            fail(f"未知的模板 {t}（可用：{'、'.join(templates)}）", "templates")
    table = raw.get("table")
    if table is not None and (not isinstance(table, str) or table not in next(iter(templates.values())).tables):
        fail(f"未知的表 {table}（可用：sec2、sec3、sec4）", "table")
    examples = raw.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"pass", "fail", LINE}:
        fail("examples 只能包含 pass 和 fail", "examples")
    key = "expr" if "expr" in raw else "sum"
    try:
        source = _as_expr(raw)
        expr = parse(source) if source is not None else None
        key = "when"
        when = parse(str(raw["when"])) if "when" in raw else None
        key = None
        options = check.prepare(raw, templates) if hasattr(check, "prepare") else {}
    except _REFUSED as exc:
        fail(_reason(exc), key)
    nested = next((p.pattern for p in _patterns(options) if _repeat_depth(p.pattern) > 1), None)
    if nested is not None:
        fail(f"正则表达式 {nested} 含有嵌套的重复（如 (a+)+）：遇到某些文本会无限耗时，请改写")
    if kind == "expr" and expr is None:
        fail("表达式规则需要 expr 或 sum")
    rule = Rule(
        id=str(raw["id"]),
        name=str(raw["name"]),
        severity=severity,
        tags=strings("tags"),
        message=str(raw["message"]),
        description=_unfold(str(raw.get("description", ""))),
        kind=kind,
        source=f"{path}:{line}",
        templates=applies,
        table=table,
        foreach=foreach,
        rows=strings("rows"),
        columns=strings("columns"),
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
    except _REFUSED as exc:
        fail(_reason(exc), next((k for k in ("expr", "sum") if k in raw), None))
    from govreport_check.rules.engine import fact_params, provided

    wrong = _unknown_placeholder(rule.message, provided(rule))
    if wrong:
        fail(wrong, "message")
    if rule.options.get("combine"):
        wrong = _placeholder_problem(rule.options["combine"], "combine") or \
            _unknown_placeholder(rule.options["combine"], fact_params(rule), "combine")
        if wrong:
            fail(wrong, "combine")
    return rule


OVERRIDABLE = ("severity", "message")


def _override(raw: dict, path: Path, base: Rule) -> Rule:
    """A user's entry for a built-in rule changes how its findings are presented, never what it checks: the
    built-in's examples, its docs and the other rules' diagnoses all assume its expression."""
    def fail(msg: str, key: str | None = None):
        raise RuleFileError(msg, path, key_line(raw, key) if key else raw.get(LINE))

    other = [k for k in raw if k not in ("id", *OVERRIDABLE, LINE)]
    if other:
        fail(f"规则 {base.id} 是内置规则，只能覆盖 severity 和 message（不能改 {'、'.join(map(str, other))}）",
             other[0])
    if not any(k in raw for k in OVERRIDABLE):
        fail(f"规则 {base.id} 是内置规则：覆盖它时请写出新的 severity 或 message")
    severity = _severity(raw["severity"]) if "severity" in raw else base.severity
    if severity is None:
        fail(f"severity 只能是 error、warning 或 info，而不是 {raw['severity']}", "severity")
    message = str(raw.get("message") or "")
    if "message" in raw:
        from govreport_check.rules.engine import provided

        wrong = "message 不能为空" if not message else \
            _placeholder_problem(message) or _unknown_placeholder(message, provided(base))
        if wrong:
            fail(wrong, "message")
    return replace(base, severity=severity, message=message or base.message)


def _severity(value) -> Severity | None:
    try:
        return Severity(str(value))
    except ValueError:
        return None


def _unknown_placeholder(text: str, names: frozenset[str], key: str = "message") -> str | None:
    """A name the rule's facts do not carry would be printed as written (`{colum}`), in every finding."""
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in names:
            close = difflib.get_close_matches(name, sorted(names), n=1)
            hint = f"，是不是 {{{close[0]}}}？" if close else "；"
            allowed = "、".join(sorted(names)) or "无（这条规则的消息不能带占位符）"
            return f"{key} 中的占位符 {{{name}}} 不存在{hint}可用：{allowed}"
    return None


def _placeholder_problem(message: str, key: str = "message") -> str | None:
    """Messages are filled with str.format_map for every finding: `{}` or a lone `{` would raise there, and
    `{lhs.__class__}` or `{lhs:>999999999}` reach into objects or allocate without bound. Only `{name}` is allowed."""
    try:
        fields = [f for f in string.Formatter().parse(message) if f[1] is not None]
    except ValueError as exc:
        return f"{key} 中的花括号不成对（{exc}）：花括号本身请写成 {{{{ 和 }}}}"
    for _, name, spec, conversion in fields:
        if not name or name.isdigit() or any(c in name for c in ".[]") or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return f"{key} 中的占位符只能写成 {{名称}}（如 {{row}}、{{lhs}}），不能是 {{{written}}}"
    return None


def _patterns(options: dict) -> list[re.Pattern]:
    """The regular expressions a check compiled from the rule (alone or in a tuple)."""
    out: list[re.Pattern] = []
    for value in options.values():
        out += [v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, re.Pattern)]
    return out


def _repeat_depth(pattern: str) -> int:
    """How deeply repetitions nest in a regular expression: 2 or more (`(a+)+`, `(\\d{1,3},?)*`) lets Python's
    backtracking engine take exponential time on a line that almost matches, so a rule from another team
    could hang every check."""
    try:
        import re._parser as sre  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as sre
    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))

    def depth(node) -> int:
        if isinstance(node, sre.SubPattern):
            return max((depth(item) for item in node), default=0)
        if isinstance(node, (list, tuple)):
            if len(node) == 2 and any(node[0] is r for r in repeats):
                _, high, body = node[1]
                return depth(body) + (1 if high > 1 else 0)
            return max((depth(item) for item in node), default=0)
        return 0

    return depth(sre.parse(pattern))


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


def load_rule_file(path: Path, templates: dict[str, Template], builtin: dict[str, Rule] | None = None) -> list[Rule]:
    """The file's rules; an entry with the id of a rule in `builtin` is that rule with its severity or message
    changed."""
    return [rule for _, rule in _entries(path, templates, builtin or {})]


def _entries(path: Path, templates: dict[str, Template], builtin: dict[str, Rule]) -> list[tuple[int | None, Rule]]:
    """Each rule with the line its entry starts on."""
    raw = load_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise RuleFileError("规则文件应包含顶层键 rules: [...]", path)
    out = []
    for item in raw["rules"]:
        base = builtin.get(str(item.get("id"))) if isinstance(item, dict) else None
        out.append((key_line(item, "id"), _override(item, path, base) if base else _rule(item, path, templates)))
    return out


def load_rules(paths: list[Path], templates: dict[str, Template]) -> list[Rule]:
    """No file may repeat an id, nor the built-in files one another's. A later file replaces a rule of its own
    from an earlier one (same id), but may change only the severity and message of a built-in rule."""
    shipped = {p.resolve() for p in builtin_rule_files()}
    rules: dict[str, Rule] = {}
    builtin: dict[str, Rule] = {}
    done: set[Path] = set()
    for path in paths:
        if Path(path).resolve() in done:
            continue  # named twice (a built-in file given with --rules): read once
        done.add(Path(path).resolve())
        own = Path(path).resolve() in shipped
        seen: set[str] = set()
        for line, rule in _entries(path, templates, {} if own else builtin):
            if rule.id in seen or (own and rule.id in builtin):
                raise RuleFileError(f"规则 id 重复：{rule.id}", path, line)
            seen.add(rule.id)
            rules[rule.id] = rule
            if own or rule.id in builtin:
                builtin[rule.id] = rule
    return list(rules.values())


def builtin_rule_files() -> list[Path]:
    return sorted(p for p in data_dir().glob("*.yaml") if p.name not in ("template.yaml", "metrics.yaml"))


def load_rules_cached(paths: list[Path]) -> list[Rule]:
    """Rules as `load_rules` gives them, kept on disk between runs: parsing and validating the YAML costs more
    than checking a report."""
    from govreport_check.cache import cached

    return cached("rules", [data_dir() / "template.yaml", *paths], lambda: load_rules(paths, builtin_templates()))


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    return tuple(load_rules(builtin_rule_files(), builtin_templates()))
