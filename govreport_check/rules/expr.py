"""The rule expression language: Python syntax, parsed with `ast`, walked against a whitelist.

Cell references are written as template ids (`总计`, `三.七`, `本年增/减`, globs such as `三.三.*`); they are
swapped for placeholder names before parsing, so ids that are not Python identifiers still read naturally.
Allowed: numbers, references, + - × (or *), unary minus, comparisons, `and`/`or`, and the calls listed in
FUNCTIONS. Nothing is ever passed to `eval`; evaluation walks our own tree with `Decimal`.
Division is allowed only where asked for (`parse(..., division=True)`, the indicators of rules/metrics.yaml): a rule
compares counts, and a quotient there would only bring rounding and division by zero into an equality.
"""

from __future__ import annotations

import ast
import fnmatch
import operator
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from typing import Callable

MAX_LENGTH = 1000
MAX_NODES = 400
MAX_DEPTH = 40
MAX_CONSTANT = Decimal(10) ** 15
FUNCTIONS = ("sum", "cell", "abs", "min", "max", "note", "last")

_TOKEN_PATTERN = (
    r"""("[^"\n]*"|'[^'\n]*')|([\u3400-\u9fff](?:[\u3400-\u9fff0-9/]|\.(?=[\u3400-\u9fff0-9*]))*(?:\.?\*(?![\w(]))?)"""
)


@lru_cache(maxsize=1)
def _tokens() -> re.Pattern:
    """Compiled on first parse only: CJK ranges take milliseconds to compile, and cached rules never parse."""
    return re.compile(_TOKEN_PATTERN)
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


class ExprError(ValueError):
    """An expression we refuse; the loader turns it into a RuleFileError with file and line."""


@dataclass(frozen=True)
class Ref:
    """A reference as written: an id, a glob, or an explicit cell("table", "row", "column")."""

    text: str  # the id or glob as written
    explicit: tuple[str, str, str] | None = None  # (table, row, column) for cell(...)

    @property
    def is_glob(self) -> bool:
        return self.explicit is None and "*" in self.text

    def matches(self, candidate: str) -> bool:
        if not self.is_glob:
            return candidate == self.text
        stem = self.text.rstrip("*").rstrip(".")
        return candidate == stem or fnmatch.fnmatchcase(candidate, self.text) or candidate.startswith(stem + ".")


@dataclass(frozen=True)
class Expr:
    """A parsed, whitelisted expression."""

    source: str  # as written in the rule file
    tree: ast.Expression = field(compare=False, repr=False)  # the checked AST (placeholders for references)
    refs: dict[str, Ref]  # placeholder name → reference
    fn: Compiled = field(compare=False, repr=False)  # the whole expression, compiled to closures
    sides: tuple | None = field(compare=False, repr=False)  # (left, operator, right) of a single comparison
    uses_last: bool = field(default=False, compare=False)  # reads last year's report (never a diagnosis candidate)

    def __reduce__(self):
        return _build, (self.source, self.tree, self.refs)

    @property
    def comparison(self) -> str | None:
        body = self.tree.body
        if isinstance(body, ast.Compare) and len(body.ops) == 1:
            return _COMPARE[type(body.ops[0])]
        return None


def parse(source: str, division: bool = False, names: frozenset[str] = frozenset()) -> Expr:
    """`names`: plain identifiers the caller resolves itself (an indicator's id, in another indicator)."""
    if len(source) > MAX_LENGTH:
        raise ExprError(f"表达式过长（{len(source)} 个字符，上限 {MAX_LENGTH}）")
    refs: dict[str, Ref] = {}

    def swap(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        name = f"_r{len(refs)}"
        refs[name] = Ref(m.group(2))
        return name

    text = _tokens().sub(swap, source.replace("×", "*").replace("÷", "/").replace("−", "-").replace("＝", "="))
    try:
        with warnings.catch_warnings():  # `1if` warns on stderr, in English; the whitelist decides, not the warning
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:  # ValueError: NUL bytes on Python 3.10
        raise ExprError(f"表达式语法错误：{getattr(exc, 'msg', None) or type(exc).__name__}") from None
    _check(tree, refs, division, names)
    return _build(source, tree, refs)


def _build(source: str, tree: ast.Expression, refs: dict[str, Ref]) -> Expr:
    """An Expr from an already checked tree (also how a cached rule set comes back from disk)."""
    body = tree.body
    sides = None
    if isinstance(body, ast.Compare) and len(body.ops) == 1:
        sides = (_compile(body.left, refs), _OPS[type(body.ops[0])], _compile(body.comparators[0], refs))
    uses_last = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "last"
                    for n in ast.walk(tree))
    return Expr(source, tree, refs, _compile(tree, refs), sides, uses_last)


def _check(tree: ast.Expression, refs: dict[str, Ref], division: bool = False,
           names: frozenset[str] = frozenset()) -> None:
    count = 0

    def walk(node: ast.AST, depth: int, in_sum: bool) -> None:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise ExprError(f"表达式过于复杂（超过 {MAX_NODES} 个节点）")
        if depth > MAX_DEPTH:
            raise ExprError(f"表达式嵌套过深（超过 {MAX_DEPTH} 层）")
        if isinstance(node, ast.Expression):
            walk(node.body, depth + 1, in_sum)
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                raise ExprError("只允许 == != < <= > >= 比较")
            for child in (node.left, *node.comparators):
                walk(child, depth + 1, in_sum)
        elif isinstance(node, ast.BoolOp):
            for child in node.values:
                walk(child, depth + 1, in_sum)
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div) and not division:
                raise ExprError("只允许 + - × 运算（除法 / 只能用在指标中，见 rules/metrics.yaml）")
            if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
                raise ExprError("只允许 + - × / 运算" if division else "只允许 + - × 运算")
            walk(node.left, depth + 1, in_sum)
            walk(node.right, depth + 1, in_sum)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise ExprError("只允许正负号")
            walk(node.operand, depth + 1, in_sum)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ExprError(f"不允许的常量：{node.value!r}")
            if abs(Decimal(str(node.value))) > MAX_CONSTANT:
                raise ExprError("数值常量过大")
        elif isinstance(node, ast.Name):
            ref = refs.get(node.id)
            if ref is None and node.id in names:
                ref = refs[node.id] = Ref(node.id)
            if ref is None:
                raise ExprError(f"未知的名称：{node.id}（单元格请用模板中的行、列标识）")
            if ref.is_glob and not in_sum:
                raise ExprError(f"通配引用 {ref.text} 只能用在 sum(...) 中")
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExprError(f"只允许调用 {'、'.join(FUNCTIONS)}")
            if node.func.id == "cell":
                args = node.args
                if len(args) != 3 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                    raise ExprError('cell 的写法是 cell("表", "行", "列")')
                name = f"_c{len(refs)}"
                refs[name] = Ref(f"{args[0].value}/{args[1].value}/{args[2].value}",
                                 explicit=(args[0].value, args[1].value, args[2].value))
                node.func.id, node.args = "__cell__", [ast.Name(id=name, ctx=ast.Load())]
                return
            if node.func.id == "note":
                if not _single_ref(node, refs):
                    raise ExprError("note 的写法是 note(列)：读取单元格括号前的数字，如 512（+284） 中的 512")
                return
            if node.func.id == "last":
                inner = node.args[0] if len(node.args) == 1 else None
                if not (_single_ref(node, refs) or (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                                                    and inner.func.id == "note" and _single_ref(inner, refs))):
                    raise ExprError("last 的写法是 last(行或列) 或 last(note(列))：读取上一年报告中同一单元格")
                return
            if not node.args:
                raise ExprError(f"{node.func.id}(...) 至少需要一个参数")
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise ExprError("不允许 * 展开")
                walk(arg, depth + 1, in_sum or node.func.id == "sum")
        else:
            raise ExprError(f"不允许的语法：{type(node).__name__}")

    walk(tree, 0, False)


def _single_ref(call: ast.Call, refs: dict[str, Ref]) -> bool:
    args = call.args
    return len(args) == 1 and isinstance(args[0], ast.Name) and args[0].id in refs and not refs[args[0].id].is_glob


Resolver = Callable[[Ref, str], list[Decimal]]
Compiled = Callable[[Resolver], object]
_ZERO = Decimal(0)


def _compile(node: ast.AST, refs: dict[str, Ref]) -> Compiled:
    """Turn a checked AST into nested closures once, so each evaluation is plain function calls (never eval).

    A reference resolves to a list of values (one, or many for a glob); the resolver's second argument says
    which figure of the cell is wanted: "number", "note" for the bracketed count of cells like 512（+284）, and
    "last" / "last-note" for the same from last year's report.
    """
    if isinstance(node, ast.Expression):
        return _compile(node.body, refs)
    if isinstance(node, ast.Compare):
        parts = [_compile(n, refs) for n in (node.left, *node.comparators)]
        ops = [_OPS[type(op)] for op in node.ops]

        def compare(resolve):
            left = parts[0](resolve)
            for op, part in zip(ops, parts[1:]):
                right = part(resolve)
                if not op(left, right):
                    return False
                left = right
            return True
        return compare
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, refs) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda resolve: all([p(resolve) for p in parts])
        return lambda resolve: any([p(resolve) for p in parts])
    if isinstance(node, ast.BinOp):
        a, b = _compile(node.left, refs), _compile(node.right, refs)
        if isinstance(node.op, ast.Add):
            return lambda resolve: a(resolve) + b(resolve)
        if isinstance(node.op, ast.Sub):
            return lambda resolve: a(resolve) - b(resolve)
        if isinstance(node.op, ast.Div):
            return lambda resolve: a(resolve) / b(resolve)  # by zero: Decimal raises, the caller decides
        return lambda resolve: a(resolve) * b(resolve)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, refs)
        return (lambda resolve: -operand(resolve)) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        value = Decimal(str(node.value))
        return lambda resolve: value
    if isinstance(node, ast.Name):
        ref = refs[node.id]
        return lambda resolve: sum(resolve(ref, "number"), _ZERO)
    if isinstance(node, ast.Call):
        name = node.func.id
        if name in ("__cell__", "note"):
            ref, part = refs[node.args[0].id], "number" if name == "__cell__" else "note"
            return lambda resolve: resolve(ref, part)[0]
        if name == "last":
            arg = node.args[0]
            ref, part = (refs[arg.id], "last") if isinstance(arg, ast.Name) else (refs[arg.args[0].id], "last-note")
            return lambda resolve: resolve(ref, part)[0]
        args = [_compile(a, refs) for a in node.args]
        if name == "sum":
            return lambda resolve: sum((a(resolve) for a in args), _ZERO)
        if name == "abs":
            return lambda resolve: abs(args[0](resolve))
        pick = min if name == "min" else max
        return lambda resolve: pick(a(resolve) for a in args)
    raise ExprError(f"不允许的语法：{type(node).__name__}")  # unreachable after _check


def evaluate(expr: Expr, resolve: Resolver):
    return expr.fn(resolve)


def evaluate_with_sides(expr: Expr, resolve: Resolver) -> tuple[bool, Decimal | None, Decimal | None]:
    """(holds, left, right): each side evaluated once, so messages can show both numbers."""
    if expr.sides is None:
        return bool(expr.fn(resolve)), None, None
    left_fn, op, right_fn = expr.sides
    left, right = left_fn(resolve), right_fn(resolve)
    return op(left, right), left, right


_OPS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
