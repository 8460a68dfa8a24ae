"""Problems, each followed by its findings as `path:line: severity rule message` lines: for grep, editors and logs.

A problem's line starts at the margin and its findings are indented under it, each still a whole
`path:line: severity rule message` line, so grep for a rule id or a file finds them as before.
"""

from __future__ import annotations

from govreport_check.render.lines import View, batch_summary, cell_text, header, shown, statistics, tally
from govreport_check.report import Result, Unreadable


def check_document(results: list[Result | Unreadable], view: View = View()) -> str:
    verbose = view.verbose
    lines = statistics(results) if view.statistics else []
    for item in shown(results, view):
        if isinstance(item, Unreadable):
            where = f"{item.path}:{item.line}" if item.line else item.path
            lines.append(f"{where}: error input {item.message}")
            continue
        path = item.report.path
        if verbose:
            lines.append(f"{path}: {header(item.report)}")
        for p in item.problems:
            first = item.findings[p.findings[0]]
            if len(p.findings) == 1 and p.summary == (first.statement or first.message):
                lines.append(f"{p.loc or path}: {p.severity.value} {p.id} {first.rule} {p.summary}")  # said once
            else:
                lines.append(f"{p.loc or path}: {p.severity.value} {p.id} {p.summary}")
            for i in p.findings:
                f = item.findings[i]
                if len(p.findings) > 1 or p.summary != (f.statement or f.message):
                    lines.append(f"  {f.loc or path}: {f.severity.value} {f.rule} {f.statement or f.message}")
                if verbose and f.equation:
                    lines.append(f"    算式：{f.equation}")
                if verbose and f.cells:
                    lines.append("    读取：" + "，".join(cell_text(c) for c in f.cells))
        lines.append(f"{path}: {item.status} — {tally(item)}")
    if len(results) > 1 or view.quiet or view.statistics:
        lines += batch_summary(results)
    return "\n".join(lines) + "\n" if lines else ""
