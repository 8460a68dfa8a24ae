"""The coloured terminal report: a header per report, a line per finding, a summary table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from govreport_check.findings import Finding, Problem
from govreport_check.report import Result, Unreadable
from govreport_check.render import text as num_text
from govreport_check.render.lines import View, batch_summary, cell_text, header, shown, statistics, tally
from govreport_check.render.wrap import wrap

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _block(console: Console, lead: Text, text: str, style: str = "", indent: int = 0) -> None:
    """`text` wrapped after `lead` (or after `indent` spaces), continuation lines under its first character."""
    width = console.width
    if not text:
        lead.rstrip()
        console.print(lead, no_wrap=True, crop=False, overflow="ignore", soft_wrap=True)
        return
    room = lead.cell_len if lead.plain else indent
    for n, line in enumerate(wrap(text, width, room)):
        out = lead.copy() if n == 0 and lead.plain else Text(" " * room)
        out.append(line, style=style)
        console.print(out, no_wrap=True, crop=False, overflow="ignore", soft_wrap=True)


def _problem(console: Console, problem: Problem, findings: tuple[Finding, ...], path: str, verbose: bool) -> None:
    lead = Text.assemble("  ", (problem.severity.label, STYLE[problem.severity.value]), " ", (problem.id, "bold"), "  ")
    _block(console, lead, problem.summary)
    indent = lead.cell_len
    _block(console, Text(), str(problem.loc) if problem.loc else path, "dim", indent)
    for i in problem.findings:
        f = findings[i]
        said = f.statement or f.message
        shown = said if verbose or (said != problem.summary and not f.equation) else ""
        _block(console, Text.assemble(" " * indent, "· ", (f.name, "bold"), " ", (f.rule, "dim")), "")
        if shown:
            _block(console, Text(), shown, "", indent + 2)
        if f.equation:
            _block(console, Text(), f"算式：{f.equation}", "cyan", indent + 2)
        if verbose and f.loc and f.loc != problem.loc:
            _block(console, Text(), str(f.loc), "dim", indent + 2)
        if verbose and f.cells:
            _block(console, Text(), "读取：" + "，".join(cell_text(c) for c in f.cells), "dim", indent + 2)


def check_document(results: list[Result | Unreadable], console: Console, view: View = View()) -> None:
    verbose = view.verbose
    if view.statistics:
        console.print(Text("各规则的发现数", style="bold"))
        for line in statistics(results):
            console.print(Text("  " + line), no_wrap=True, crop=False, overflow="ignore", soft_wrap=True)
        console.print()
    for item in shown(results, view):
        if isinstance(item, Unreadable):
            console.print(Text.assemble(("✗ ", "bold red"), (item.path, "bold")), no_wrap=True, crop=False,
                          soft_wrap=True)
            _block(console, Text.assemble("  ", ("无法读取：", "red")), item.message)
            console.print()
            continue
        r, c = item.report, item.counts
        console.print(Text.assemble(("✗ " if c.errors else "✓ ", "bold red" if c.errors else "bold green"),
                                    (r.path, "bold")), no_wrap=True, crop=False, soft_wrap=True)
        _block(console, Text(), header(r), "dim", 2)
        for problem in item.problems:
            _problem(console, problem, item.findings, r.path, verbose)
        _block(console, Text("  "), tally(item), "bold")
        console.print()
    if len(results) > 1 and not view.quiet and not view.statistics:
        console.print(batch_table(results), no_wrap=True, crop=False, overflow="ignore", soft_wrap=True)
        console.print()
    if len(results) > 1 or view.quiet or view.statistics:
        for line in batch_summary(results):
            indent = len(line) - len(line.lstrip(" "))
            _block(console, Text(), line.lstrip(" "), "" if indent else "bold", indent)


def batch_table(results: list[Result | Unreadable]) -> Text:
    """One line per report and the totals: what a 政务公开办 reads after checking every unit. Laid out by hand, the
    file last and whole: a long name runs past the edge rather than breaking (a table would fold or crop it)."""
    rows = [("状态", "错误", "警告", "年度", "模板", "单位", "文件")]
    styles = [("bold",) * 7]
    errors = warnings = unreadable = 0
    for item in results:
        if isinstance(item, Unreadable):
            unreadable += 1
            rows.append(("无法读取", "", "", "", "", "", item.path))
            styles.append(("red",) + ("",) * 6)
            continue
        r, c = item.report, item.counts
        errors += c.errors
        warnings += c.warnings
        rows.append(("未通过" if c.errors else "通过", str(c.errors), str(c.warnings), str(r.year or ""),
                     r.template or "未知", r.unit or "", r.path))
        styles.append(("bold red" if c.errors else "green", "red" if c.errors else "", "yellow" if c.warnings else "",
                       "", "", "", ""))
    rows.append(("合计", str(errors), str(warnings), "", "", "", f"{unreadable} 份无法读取" if unreadable else ""))
    styles.append(("bold", "bold red" if errors else "bold", "bold yellow" if warnings else "bold", "", "", "", ""))
    widths = [max(cell_len(row[i]) for row in rows) for i in range(6)]
    out = Text(f"共 {len(results)} 份报告\n", style="bold")
    for row, style in zip(rows, styles):
        line = Text("  ")
        for i, (cell, st) in enumerate(zip(row, style)):
            pad = " " * (widths[i] - cell_len(cell)) if i < 6 else ""
            line.append(pad + cell if i in (1, 2, 3) else cell + pad, style=st)
            if i < 6:
                line.append("  ")
        line.rstrip()
        out.append(line)
        out.append("\n")
    out.rstrip()
    return out


def rules_table(rules, console: Console) -> None:
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    for col in ("规则", "名称", "级别", "模板", "标签"):
        table.add_column(col, no_wrap=col in ("规则", "级别"), overflow="fold")
    for r in rules:
        table.add_row(r.id, r.name, Text(r.severity.label, style=STYLE[r.severity.value]), "、".join(r.templates),
                      escape("、".join(r.tags)))
    console.print(table)


def explain(rule, console: Console) -> None:
    from govreport_check.checks import module
    from govreport_check.render.markdown import example_text

    console.print(Text.assemble((rule.id, "bold"), "  ", rule.name, "  ",
                                (rule.severity.label, STYLE[rule.severity.value])))
    console.print(Text(f"模板 {'、'.join(rule.templates)} · 类型 {rule.kind} · 标签 {'、'.join(rule.tags)} · "
                       f"定义于 {rule.source}", style="dim"))
    if rule.description:
        console.print()
        console.print(rule.description)
    console.print()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    grid.add_row("读取", module(rule.kind).reads(rule))
    grid.add_row("消息", rule.message)
    for verdict, label in (("pass", "通过示例"), ("fail", "不通过示例")):
        if verdict in rule.examples:
            grid.add_row(label, example_text(rule.examples[verdict]))
    console.print(grid)
