"""The coloured terminal report: a header per report, a line per finding, a summary table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from govreport_check.findings import Finding
from govreport_check.report import Result, Unreadable
from govreport_check.render import text as num_text

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _findings(findings: tuple[Finding, ...], path: str, verbose: bool) -> Padding:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for f in findings:
        message = Text(f.message)
        message.append(f"  {f.loc if f.loc else path}", style="dim")
        if f.equation:
            message.append(f"\n算式：{f.equation}", style="cyan")
        if verbose and f.cells:
            message.append("\n")
            message.append(_cells(f))
        grid.add_row(Text(f.severity.label, style=STYLE[f.severity.value]), f.rule, message)
    return Padding(grid, (0, 0, 0, 2))


def _cells(f: Finding) -> Text:
    parts = [f"{c.row}/{c.column}={num_text(c.value.number) if c.value else '缺'}"
             f"{'（按顺序）' if c.value is not None and c.value.placed == 'order' else ''}" for c in f.cells]
    return Text("读取：" + "，".join(parts), style="dim")


def check_document(results: list[Result | Unreadable], console: Console, verbose: bool = False) -> None:
    for item in results:
        if isinstance(item, Unreadable):
            console.print(Text.assemble(("✗ ", "bold red"), (item.path, "bold"), ("  无法读取：", "red"), item.message))
            console.print()
            continue
        r, c = item.report, item.counts
        template = f"{r.template}（{r.notice}）" if r.template else "未知"
        head = Text.assemble(
            ("✗ " if c.errors else "✓ ", "bold red" if c.errors else "bold green"), (r.path, "bold"), "\n  ",
            (f"模板 {template} · 年度 {r.year or '未知'} · 编码 {r.encoding}", "dim"),
        )
        if r.unit:
            head.append(f" · 单位 {r.unit}", style="dim")
        console.print(head)
        if item.findings:
            console.print(_findings(item.findings, r.path, verbose))
        summary = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        for col in ("检查项", "通过", "错误", "警告", "提示"):
            summary.add_column(col, justify="right")
        summary.add_row(str(c.checks), f"[green]{c.passed}[/]", f"[red]{c.errors}[/]" if c.errors else "0",
                        f"[yellow]{c.warnings}[/]" if c.warnings else "0", str(c.infos))
        console.print(summary)
        console.print()
    if len(results) > 1:
        console.print(batch_table(results))


def batch_table(results: list[Result | Unreadable]) -> Table:
    """One line per report and the totals: what a 政务公开办 reads after checking every unit."""
    table = Table(title=f"共 {len(results)} 份报告", show_header=True, header_style="bold", box=None, padding=(0, 2),
                  title_justify="left")
    for col, justify in (("文件", "left"), ("单位", "left"), ("年度", "right"), ("模板", "left"), ("错误", "right"),
                         ("警告", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    errors = warnings = unreadable = 0
    for item in results:
        if isinstance(item, Unreadable):
            unreadable += 1
            table.add_row(item.path, Text("无法读取", style="red"), "", "", "", "")
            continue
        r, c = item.report, item.counts
        errors += c.errors
        warnings += c.warnings
        table.add_row(r.path, r.unit or "", str(r.year or ""), r.template or "未知",
                      Text(str(c.errors), style="red" if c.errors else ""),
                      Text(str(c.warnings), style="yellow" if c.warnings else ""))
    table.add_row(Text("合计", style="bold"), f"{unreadable} 份无法读取" if unreadable else "", "", "",
                  Text(str(errors), style="bold red" if errors else "bold"),
                  Text(str(warnings), style="bold yellow" if warnings else "bold"))
    return table


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
