"""The command line's own words in Chinese: usage errors and the help page's headings.

Click words them in English and says only 'Invalid value'. A clerk who typed `--fromat` or `-f xlsx` should read,
in the language of the rest of the tool, what is wrong and what the close matches are; exit code 2 as for every
other problem in the user's input. The exceptions are recognised by class name and attributes, not imported:
Typer ships its own copy of Click, and where it lives is not public.
"""

from __future__ import annotations

import difflib
import re
import sys

import typer
from typer.core import TyperCommand, TyperGroup

EXIT_USAGE = 2
_HELP_WORDS = (
    (re.compile(r"^Usage: ", re.M), "用法："),
    (re.compile(r" \[OPTIONS\]"), " [选项]"),
    (re.compile(r" COMMAND \[ARGS\]\.\.\."), " 命令 [参数]..."),
    (re.compile(r"^Arguments:$", re.M), "参数："),
    (re.compile(r"^Options:$", re.M), "选项："),
    (re.compile(r"^Commands:$", re.M), "命令："),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出"),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[default: "), "[默认："),
)
_QUOTED = re.compile(r"'([^']*)'")


def _chinese(text: str) -> str:
    for pattern, words in _HELP_WORDS:
        text = pattern.sub(words, text)
    return text


def _is(exc: BaseException, name: str) -> bool:
    return any(c.__name__ == name for c in type(exc).__mro__)


def _option(param) -> str:
    """An option by its long name (--format), an argument by its name in capitals (PATHS)."""
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") != "option":
        return (param.name or "").upper()
    names = list(getattr(param, "opts", ()))
    return next((n for n in names if n.startswith("--")), names[0] if names else "选项")


def _closest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f"；最接近的是 {'、'.join(close)}" if close else ""


def _bad_value(exc) -> str:
    param, original = getattr(exc, "param", None), exc.message
    where = _option(param)
    quoted = _QUOTED.search(original)
    value = quoted.group(1) if quoted else original.split(" ", 1)[0]
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        names = [getattr(c, "value", c) for c in choices]
        return f"{where} 的取值 {value} 无效；可用：{'、'.join(map(str, names))}{_closest(value, map(str, names))}"
    if "not a valid int" in original:
        return f"{where} 的取值 {value} 不是整数"
    if "not a valid float" in original:
        return f"{where} 的取值 {value} 不是数字"
    if "not in the range" in original:
        bound = original.rsplit("range", 1)[1].strip(" .")
        return f"{where} 的取值 {value} 超出范围（应满足 {bound}）"
    return f"{where} 的取值无效：{original}"


def message(exc) -> str:
    """A usage error, in Chinese."""
    if _is(exc, "NoSuchOption"):
        near = sorted(getattr(exc, "possibilities", None) or ())
        hint = f"；您是不是要用 {'、'.join(near)}？" if near else ""
        return f"没有这个选项：{exc.option_name}{hint}"
    if _is(exc, "MissingParameter"):
        param = exc.param
        kind = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        what = getattr(param, "help", None)
        return f"缺少{kind} {_option(param)}" + (f"：{what}" if what else "")
    if _is(exc, "BadOptionUsage"):
        if "requires" in exc.message:
            return f"选项 {exc.option_name} 需要一个取值"
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不接受取值"
        return f"选项 {exc.option_name} 的用法不对：{exc.message}"
    if _is(exc, "BadParameter"):
        return _bad_value(exc)
    original = exc.message
    if original.startswith("No such command"):
        name = _QUOTED.search(original)
        ctx = getattr(exc, "ctx", None)
        commands = sorted(getattr(getattr(ctx, "command", None), "commands", {}) or ())
        word = name.group(1) if name else ""
        return f"没有这个命令：{word}；可用：{'、'.join(commands)}{_closest(word, commands)}"
    if original.startswith("Got unexpected extra argument"):
        extra = re.search(r"\(([^()]*)\)\s*$", original)
        return f"多余的参数：{extra.group(1) if extra else original}"
    return original


def _report(exc) -> None:
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(_chinese(ctx.get_usage()))
        lines.append(f"运行 {ctx.command_path} -h 查看帮助。")
    lines.append(f"错误：{message(exc)}")
    typer.echo("\n".join(lines), err=True)


class _Chinese:
    """Help pages with Chinese headings."""

    def get_help(self, ctx) -> str:
        return _chinese(super().get_help(ctx))

    def get_usage(self, ctx) -> str:
        return _chinese(super().get_usage(ctx))


class Command(_Chinese, TyperCommand):
    pass


class Group(_Chinese, TyperGroup):
    """The top-level command: runs Click without its own error printing, and prints usage errors in Chinese."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except Exception as exc:  # noqa: BLE001 - only Click's own exceptions are handled; others go on
            if _is(exc, "NoArgsIsHelpError"):
                typer.echo(_chinese(exc.ctx.get_help()))
                sys.exit(EXIT_USAGE)
            if _is(exc, "UsageError"):
                _report(exc)
                sys.exit(EXIT_USAGE)
            if _is(exc, "ClickException"):
                typer.echo(f"错误：{exc.format_message()}", err=True)
                sys.exit(exc.exit_code)
            if _is(exc, "Abort"):
                typer.echo("已中止", err=True)
                sys.exit(1)
            raise
        sys.exit(code if isinstance(code, int) else 0)
