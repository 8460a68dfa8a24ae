"""One line per finding, `path:line: severity rule message`: for grep, editors and logs."""

from __future__ import annotations

from govreport_check.report import Result, Unreadable


def check_document(results: list[Result | Unreadable]) -> str:
    lines = []
    for item in results:
        if isinstance(item, Unreadable):
            where = f"{item.path}:{item.line}" if item.line else item.path
            lines.append(f"{where}: error input {item.message}")
            continue
        for f in item.findings:
            where = str(f.loc) if f.loc else item.report.path
            lines.append(f"{where}: {f.severity.value} {f.rule} {f.message}")
        c = item.counts
        lines.append(f"{item.report.path}: {item.status} — 检查 {c.checks} 项，通过 {c.passed}，"
                     f"错误 {c.errors}，警告 {c.warnings}，提示 {c.infos}")
    return "\n".join(lines) + "\n"
