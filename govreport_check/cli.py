"""Command line: parse options, call the engine, print, and choose the exit code (0 clean, 1 errors, 2 bad input)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from govreport_check.errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

app = typer.Typer(
    name="govreport-check",
    help="政府信息公开工作年度报告一致性检查：找出表格中不相加的数字、缺失的行和与模板不符之处。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class CheckFormat(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"


class RulesFormat(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"


Paths = Annotated[List[Path], typer.Argument(help="报告文件（UTF-8、GB18030、UTF-16 文本）", show_default=False)]
Layout = Annotated[Optional[str], typer.Option("--layout", help="指定表格版式，跳过自动识别（如 tabcells）")]
Encoding = Annotated[Optional[str], typer.Option("--encoding", help="指定文件编码，跳过自动识别（如 gb18030）")]
RuleFiles = Annotated[
    Optional[List[Path]], typer.Option("--rules", help="额外的规则 YAML 文件：新增规则，或按 id 覆盖内置规则")
]
Select = Annotated[Optional[List[str]], typer.Option("--select", help="只运行这些规则：id、id 前缀或 tag:标签")]
Ignore = Annotated[Optional[List[str]], typer.Option("--ignore", help="不运行这些规则：id、id 前缀或 tag:标签")]
Width = Annotated[Optional[int], typer.Option("--width", help="输出宽度（字符数），默认取终端宽度")]
NoColor = Annotated[bool, typer.Option("--no-color", help="不使用颜色")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="列出每条发现读取的单元格及其数值")]


def _fail(err: InputError) -> None:
    typer.echo(f"错误：{err}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _console(width: int | None, no_color: bool):
    from rich.console import Console

    return Console(width=width, no_color=no_color, highlight=False, soft_wrap=False)


def _rules(extra: list[Path] | None, select: list[str] | None, ignore: list[str] | None):
    from govreport_check.rules.load import builtin_rule_files, load_rules
    from govreport_check.template.spec import builtin_templates

    rules = load_rules(builtin_rule_files() + list(extra or []), builtin_templates())

    def hit(rule, patterns):
        return any(p[4:] in rule.tags if p.startswith("tag:") else rule.id.startswith(p) for p in patterns)

    if select:
        rules = [r for r in rules if hit(r, select) or r.kind == "structure"]
    if ignore:
        rules = [r for r in rules if not hit(r, ignore)]
    return rules


def _load_all(paths: list[Path], encoding: str | None, layout: str | None = None):
    from govreport_check.report import load_report

    out = []
    for path in paths:
        try:
            out.append(load_report(path, encoding, layout))
        except InputError as err:
            out.append((str(path), err))
    return out


@app.command()
def check(
    paths: Paths,
    fmt: Annotated[Optional[CheckFormat], typer.Option("--format", "-f", help="输出格式；默认终端上为 rich，否则为 plain")] = None,
    encoding: Encoding = None,
    layout: Layout = None,
    rules: RuleFiles = None,
    select: Select = None,
    ignore: Ignore = None,
    width: Width = None,
    no_color: NoColor = False,
    verbose: Verbose = False,
) -> None:
    """检查报告：表格合计、勾稽关系和模板结构。退出码 0 无错误，1 有错误，2 输入无法读取。"""
    from govreport_check.report import check as run_check

    try:
        active = _rules(rules, select, ignore)
    except InputError as err:
        _fail(err)
    results = [item if isinstance(item, tuple) else run_check(item, active) for item in _load_all(paths, encoding, layout)]
    fmt = fmt or (CheckFormat.rich if sys.stdout.isatty() else CheckFormat.plain)
    if fmt is CheckFormat.json:
        from govreport_check.render.json import check_document

        typer.echo(check_document(results))
    elif fmt is CheckFormat.plain:
        from govreport_check.render.plain import check_document

        typer.echo(check_document(results), nl=False)
    else:
        from govreport_check.render.rich import check_document

        check_document(results, _console(width, no_color), verbose=verbose)
    if fmt is CheckFormat.json:
        for item in results:
            if isinstance(item, tuple):
                typer.echo(f"错误：{item[1]}", err=True)
    if any(isinstance(item, tuple) for item in results):
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if any(r.counts.errors for r in results) else EXIT_OK)


@app.command()
def extract(
    paths: Paths,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="输出格式")] = ExtractFormat.json,
    encoding: Encoding = None,
    layout: Layout = None,
) -> None:
    """导出报告中第二、三、四部分表格的全部单元格（表、行、列、数值、原文、行号）。"""
    reports = _load_all(paths, encoding, layout)
    if fmt is ExtractFormat.json:
        from govreport_check.render.json import extract_document

        typer.echo(extract_document(reports))
    else:
        from govreport_check.render.csv import extract_document

        typer.echo(extract_document([r for r in reports if not isinstance(r, tuple)]), nl=False)
    errors = [r for r in reports if isinstance(r, tuple)]
    for _, err in errors:
        typer.echo(f"错误：{err}", err=True)
    raise typer.Exit(EXIT_INPUT if errors else EXIT_OK)


@app.command("rules")
def list_rules(
    rules: RuleFiles = None,
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="输出格式；markdown 即 docs/rules.md")] = RulesFormat.rich,
    check_file: Annotated[Optional[Path], typer.Option("--check", help="只检查这个规则文件能否加载，不列出规则")] = None,
    width: Width = None,
    no_color: NoColor = False,
) -> None:
    """列出规则：id、名称、级别、适用模板和标签；--check 检查一个规则文件。"""
    try:
        active = _rules(list(rules or []) + ([check_file] if check_file else []), None, None)
    except InputError as err:
        _fail(err)
    if check_file is not None:
        from govreport_check.rules.load import load_rule_file
        from govreport_check.template.spec import builtin_templates

        count = len(load_rule_file(check_file, builtin_templates()))
        typer.echo(f"{check_file}：{count} 条规则，全部有效")
        return
    if fmt is RulesFormat.json:
        import json

        typer.echo(json.dumps([{"id": r.id, "name": r.name, "severity": r.severity.value, "tags": list(r.tags),
                                "templates": list(r.templates), "kind": r.kind, "description": r.description,
                                "source": r.source} for r in active], ensure_ascii=False, indent=2))
    elif fmt is RulesFormat.markdown:
        from govreport_check.render.markdown import rules_document

        typer.echo(rules_document(active), nl=False)
    elif fmt is RulesFormat.plain:
        for r in active:
            typer.echo(f"{r.id}\t{r.severity.value}\t{r.name}\t{','.join(r.tags)}")
    else:
        from govreport_check.render.rich import rules_table

        rules_table(active, _console(width, no_color))


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="规则 id，如 sec3-balance", show_default=False)],
    rules: RuleFiles = None,
    width: Width = None,
    no_color: NoColor = False,
) -> None:
    """说明一条规则：用途、读取哪些数据、通过和不通过的示例。"""
    try:
        active = {r.id: r for r in _rules(rules, None, None)}
    except InputError as err:
        _fail(err)
    if rule_id not in active:
        close = [i for i in active if rule_id in i or i.startswith(rule_id.split("-")[0])]
        hint = f"；相近的规则：{'、'.join(close[:5])}" if close else ""
        typer.echo(f"错误：没有 id 为 {rule_id} 的规则（govreport-check rules 列出全部）{hint}", err=True)
        raise typer.Exit(EXIT_INPUT)
    from govreport_check.render.rich import explain as show

    show(active[rule_id], _console(width, no_color))


def main() -> None:
    app()
