"""Typed errors for problems in the user's input (not in the report): the CLI turns them into exit code 2.

Problems *in a report* are findings, never exceptions.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """An input the user gave us cannot be used: missing, unreadable, not a report."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message  # Chinese, shown to the user as is
        self.path = str(path) if path is not None else None  # the file at fault
        self.line = line  # 1-based line in that file, when known

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class NotAReport(InputError):
    """The file is positively something else (no report vocabulary at all): a pre-commit hook may pass over it."""


class RuleFileError(InputError):
    """A rule or template YAML file is broken: bad YAML, unknown field, an expression we refuse."""


INTERNAL = "内部错误"


def internal_error(exc: BaseException) -> str:
    """The message for an exception that is not an InputError, i.e. a bug of ours met on this input: it is reported
    as unreadable (exit code 2) with the exception's type, so one odd file never stops a batch with a traceback."""
    return f"{INTERNAL}（{type(exc).__name__}: {exc}）：这个文件触发了程序缺陷，请把它报告给 govreport-check 的维护者"
