"""The rule expression language: Python syntax, parsed with `ast`, walked against a whitelist.

Cell references are written as template ids (`总计`, `三.七`, `本年增/减`, globs such as `三.三.*`); they are
swapped for placeholder names before parsing, so ids that are not Python identifiers still read naturally.
Allowed: numbers, references, + - × (or *), unary minus, comparisons, `and`/`or`, and the calls listed in
FUNCTIONS. Nothing is ever passed to `eval`; evaluation walks our own tree with `Decimal`.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

MAX_LENGTH = 1000
MAX_NODES = 400
MAX_DEPTH = 40
MAX_CONSTANT = Decimal(10) ** 15
FUNCTIONS = ("sum", "cell", "abs", "min", "max", "note")

_TOKENS = re.compile(
    r"""("[^"\n]*"|'[^'\n]*')|([\u3400-\u9fff](?:[\u3400-\u9fff0-9/]|\.(?=[\u3400-\u9fff0-9*]))*(?:\.?\*(?![\w(]))?)"""
)
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_SYMBOL = {"==": "≠", "!=": "=", "<": "≥", "<=": ">", ">": "≤", ">=": "<"}  # what to print when it fails


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
    tree: ast.Expression  # the checked AST (placeholders instead of references)
    refs: dict[str, Ref]  # placeholder name → reference

    @property
    def comparison(self) -> str | None:
        body = self.tree.body
        if isinstance(body, ast.Compare) and len(body.ops) == 1:
            return _COMPARE[type(body.ops[0])]
        return None


def parse(source: str) -> Expr:
    if len(source) > MAX_LENGTH:
        raise ExprError(f"表达式过长（{len(source)} 个字符，上限 {MAX_LENGTH}）")
    refs: dict[str, Ref] = {}

    def swap(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        name = f"_r{len(refs)}"
        refs[name] = Ref(m.group(2))
        return name

    text = _TOKENS.sub(swap, source.replace("×", "*").replace("−", "-").replace("＝", "="))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"表达式语法错误：{exc.msg}") from None
    _check(tree, refs)
    return Expr(source, tree, refs)


def _check(tree: ast.Expression, refs: dict[str, Ref]) -> None:
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
            if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
                raise ExprError("只允许 + - × 运算")
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
                if len(node.args) != 1 or not isinstance(node.args[0], ast.Name) or node.args[0].id not in refs \
                        or refs[node.args[0].id].is_glob:
                    raise ExprError("note 的写法是 note(列)：读取单元格括号前的数字，如 512（+284） 中的 512")
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


Resolver = Callable[[Ref, str], list[Decimal]]


def evaluate(expr: Expr, resolve: Resolver):
    """Evaluate; a reference resolves to a list of values (one, or many for a glob).

    The resolver's second argument says which figure of the cell is wanted: "number", or "note" for the
    bracketed count of cells such as 512（+284）.
    """

    def ev(node: ast.AST):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = ev(comp)
                if not _compare(type(op), left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.BoolOp):
            results = [ev(v) for v in node.values]
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            return a * b
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            values = resolve(expr.refs[node.id], "number")
            return values[0] if len(values) == 1 else sum(values, Decimal(0))
        if isinstance(node, ast.Call):
            name = node.func.id
            if name == "__cell__":
                return resolve(expr.refs[node.args[0].id], "number")[0]
            if name == "note":
                return resolve(expr.refs[node.args[0].id], "note")[0]
            if name == "sum":
                total = Decimal(0)
                for arg in node.args:
                    if isinstance(arg, ast.Name):
                        total += sum(resolve(expr.refs[arg.id], "number"), Decimal(0))
                    else:
                        total += ev(arg)
                return total
            args = [ev(a) for a in node.args]
            if name == "abs":
                return abs(args[0])
            return min(args) if name == "min" else max(args)
        raise ExprError(f"不允许的语法：{type(node).__name__}")  # unreachable after _check

    return ev(expr.tree)


def evaluate_with_sides(expr: Expr, resolve: Resolver) -> tuple[bool, Decimal | None, Decimal | None]:
    """(holds, left, right): each side evaluated once, so messages can show both numbers."""
    body = expr.tree.body
    if not (isinstance(body, ast.Compare) and len(body.ops) == 1):
        return bool(evaluate(expr, resolve)), None, None
    left = evaluate(Expr(expr.source, ast.Expression(body.left), expr.refs), resolve)
    right = evaluate(Expr(expr.source, ast.Expression(body.comparators[0]), expr.refs), resolve)
    return _compare(type(body.ops[0]), left, right), left, right


def sides(expr: Expr, resolve: Resolver) -> tuple[Decimal, Decimal] | None:
    """Values of both sides of a single comparison."""
    holds, left, right = evaluate_with_sides(expr, resolve)
    return None if left is None else (left, right)


def failed_symbol(op: str) -> str:
    return _SYMBOL[op]


def _compare(op: type, a: Decimal, b: Decimal) -> bool:
    return {
        ast.Eq: a == b, ast.NotEq: a != b, ast.Lt: a < b, ast.LtE: a <= b, ast.Gt: a > b, ast.GtE: a >= b,
    }[op]
