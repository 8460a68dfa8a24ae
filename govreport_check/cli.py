"""Command line: parse options, call the engine, print, and choose the exit code (0 clean, 1 errors, 2 bad input)."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from govreport_check.batch import DEFAULT_TIMEOUT_S
from govreport_check.errors import InputError
from govreport_check.usage import Command, Group

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

app = typer.Typer(
    name="govreport-check",
    cls=Group,
    help="政府信息公开工作年度报告一致性检查：找出表格中不相加的数字、缺失的行和与模板不符之处。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"govreport-check {version('govreport-check')}")
        except PackageNotFoundError:  # run from a checkout that was never installed
            typer.echo("govreport-check（未安装，版本未知）")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", help="显示版本号并退出", is_eager=True,
                                                 callback=_version)] = False) -> None:
    pass


class CheckFormat(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"
    html = "html"
    csv = "csv"


class RulesFormat(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


Paths = Annotated[List[str], typer.Argument(help="报告文件、文件夹、通配符（如 'reports/**/*.docx'）或网址（http/https）", show_default=False)]
Encoding = Annotated[Optional[str], typer.Option("--encoding", help="指定文件编码，跳过自动识别（如 gb18030）")]
Layout = Annotated[Optional[str], typer.Option("--layout", help="指定表格版式，跳过自动识别（如 tabcells）")]
RuleFiles = Annotated[
    Optional[List[Path]], typer.Option("--rules", help="额外的规则 YAML 文件：新增规则，或按 id 改内置规则的 severity、message")
]
Select = Annotated[Optional[List[str]], typer.Option("--select", help="只运行这些规则：id、id 前缀或 tag:标签")]
Ignore = Annotated[Optional[List[str]], typer.Option("--ignore", help="不运行这些规则：id、id 前缀或 tag:标签")]
Previous = Annotated[Optional[Path], typer.Option("--previous", help="同一单位上一年的报告，用于跨年度核对（上年结转等）")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件（原子写入，不会覆盖输入）而不是标准输出")]
Jobs = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="并行进程数，默认为 CPU 核数")]
Timeout = Annotated[float, typer.Option("--timeout", min=0, help="每个文件的时限（秒），超时的文件报告为无法读取；0 为不限")]
Config = Annotated[Optional[Path], typer.Option("--config", help="配置文件（.govreport-check.toml 或 pyproject.toml）")]
Isolated = Annotated[bool, typer.Option("--isolated", help="不读取任何配置文件")]
Width = Annotated[Optional[int], typer.Option("--width", help="输出宽度（字符数），默认取终端宽度")]
NoColor = Annotated[bool, typer.Option("--no-color", help="不使用颜色（同 --color never）")]


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


Color = Annotated[ColorMode, typer.Option("--color", help="颜色：auto 在终端上着色（遵从 NO_COLOR、FORCE_COLOR 环境变量），"
                                                         "always 总是，never 从不")]
CheckFormatOption = Annotated[Optional[CheckFormat], typer.Option("--format", "-f",
                                                                  help="输出格式；默认终端上为 rich，否则为 plain")]
FailOnOption = Annotated[Optional[FailOn], typer.Option("--fail-on", help="多严重的发现使退出码为 1（默认 error）")]
ExitZero = Annotated[bool, typer.Option("--exit-zero", help="只报告：有发现时退出码仍为 0")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="列出每条发现读取的单元格及其数值")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="只显示有错误或无法读取的报告，以及最后的汇总")]
SkipNonReports = Annotated[bool, typer.Option("--skip-non-reports", help="跳过明显不是年度报告的文件（没有“政府信息公开”"
                                                                      "“申请”等字样），而不是报告为无法读取；供 pre-commit 使用")]
Baseline = Annotated[Optional[Path], typer.Option("--baseline", help="基线文件：只报告其中没有的新发现（按单位、年度、规则和"
                                                                  "单元格匹配，与行号无关）")]
WriteBaseline = Annotated[Optional[Path], typer.Option("--write-baseline", help="把本次的全部发现写入基线文件，退出码为 0"
                                                                              "（无法读取的文件除外）")]
Statistics = Annotated[bool, typer.Option("--statistics", help="按规则统计发现数（多的在前），代替逐条列出")]
FromList = Annotated[Optional[Path], typer.Option("--from-list", help="清单文件：每行一个报告文件、文件夹或网址（http、https），"
                                                               "空行和 # 开头的行跳过；可与路径参数同用")]


def _fail(err: InputError) -> None:
    typer.echo(f"错误：{err}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _colors(no_color: bool, color: ColorMode) -> ColorMode:
    return ColorMode.never if no_color else color


def _console(width: int | None, mode: ColorMode, file=None):
    """auto leaves it to rich, which honours NO_COLOR and FORCE_COLOR; always and never override them."""
    from rich.console import Console

    never, always = mode is ColorMode.never, mode is ColorMode.always
    return Console(width=width, no_color=True if never else None, force_terminal=True if always else None,
                   highlight=False, soft_wrap=False, file=file)


def _rules(extra: list[Path] | None, select: list[str] | None = None, ignore: list[str] | None = None):
    from govreport_check.batch import Options, select_rules

    return select_rules(Options(tuple(str(p) for p in extra or ()), tuple(select or ()), tuple(ignore or ())))


def _emit(text: str, output: Path | None, inputs: list[Path]) -> None:
    if output is None:
        typer.echo(text, nl=False, color=True)  # ANSI only when --color or FORCE_COLOR asked for it
        return
    from govreport_check.output import write_atomic

    write_atomic(output, text, inputs)


@app.command(cls=Command)
def check(
    paths: Paths = None,
    fmt: CheckFormatOption = None,
    output: Output = None,
    fail_on: FailOnOption = None,
    exit_zero: ExitZero = False,
    previous: Previous = None,
    encoding: Encoding = None,
    layout: Layout = None,
    rules: RuleFiles = None,
    select: Select = None,
    ignore: Ignore = None,
    jobs: Jobs = None,
    timeout: Timeout = DEFAULT_TIMEOUT_S,
    config: Config = None,
    isolated: Isolated = False,
    width: Width = None,
    no_color: NoColor = False,
    color: Color = ColorMode.auto,
    verbose: Verbose = False,
    quiet: Quiet = False,
    statistics: Statistics = False,
    skip_non_reports: SkipNonReports = False,
    baseline: Baseline = None,
    write_baseline: WriteBaseline = None,
    from_list: FromList = None,
) -> None:
    """检查报告：表格合计、勾稽关系、模板与年度、正文与表格。退出码 0 无错误，1 有错误，2 输入或规则文件有误。"""
    from govreport_check import batch, config as configuration

    files = _expand(paths, from_list)
    pairs = tuple((str(f), str(previous)) for f in files) if previous is not None else ()
    try:
        conf = configuration.settings(config, isolated)
        options = batch.Options(
            rule_files=tuple(conf.rules) + tuple(str(p) for p in rules or ()),
            select=tuple(select or conf.select), ignore=tuple(ignore or conf.ignore),
            encoding=encoding, layout=layout, previous=pairs)
        active = batch.select_rules(options)
    except InputError as err:
        _fail(err)
    try:
        fmt = fmt or (CheckFormat(conf.format) if conf.format else None)
    except ValueError:
        _fail(InputError(f"配置项 format 无效：{conf.format}", conf.source))
    tty = sys.stdout.isatty() and output is None
    fmt = fmt or (CheckFormat.rich if tty else CheckFormat.plain)
    fail_on = (fail_on.value if fail_on else None) or conf.fail_on or "error"
    if (quiet or statistics) and fmt not in (CheckFormat.rich, CheckFormat.plain):
        _fail(InputError(f"{'--quiet' if quiet else '--statistics'} 只用于 rich 和 plain 输出，不能与 --format "
                         f"{fmt.value} 一起使用"))
    from govreport_check.render.lines import View

    view = View(verbose, quiet, statistics)
    if fmt is CheckFormat.html:
        options = replace(options, keep_cells=True)
    results = _run(files, options, jobs or conf.jobs or os.cpu_count() or 1, fmt is CheckFormat.rich and tty, timeout)
    if skip_non_reports:
        results = _skipped(results)
    if write_baseline is not None:
        _write_baseline(write_baseline, results, files)
    elif baseline is not None:
        results = _baselined(baseline, results)
    if verbose:
        _cache_notices()
    try:
        inputs = [*files, *([previous] if previous else []), *map(Path, options.rule_files),
                  *([Path(conf.source)] if conf.source else [])]  # -o may overwrite none of what was read
        _emit(_render(fmt, results, active, fail_on, width, _colors(no_color, color), view, tty), output, inputs)
    except InputError as err:
        _fail(err)
    if fmt is CheckFormat.github and os.environ.get("GITHUB_STEP_SUMMARY"):
        from govreport_check.render.github import step_summary

        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
                handle.write(step_summary(results))
        except OSError as exc:
            typer.echo(f"警告：无法写入 GITHUB_STEP_SUMMARY（{exc.strerror or exc}）", err=True)
    _finish(results, fmt, fail_on, exit_zero or write_baseline is not None)


def _finish(results: list, fmt: CheckFormat, fail_on: str, exit_zero: bool) -> None:
    """The exit code: 2 when an input could not be read (named on stderr where the output does not), else 1 when a
    finding is as severe as --fail-on, else 0."""
    from govreport_check.report import Unreadable

    unreadable = [r for r in results if isinstance(r, Unreadable)]
    if fmt not in (CheckFormat.rich, CheckFormat.plain):
        for item in unreadable:
            typer.echo(f"错误：{item.path}: {item.message}", err=True)
    if unreadable:
        raise typer.Exit(EXIT_INPUT)
    failing = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info")}[fail_on]
    bad = any(f.severity.value in failing for r in results for f in r.findings)
    raise typer.Exit(EXIT_FINDINGS if bad and not exit_zero else EXIT_OK)


def _write_baseline(target: Path, results: list, files: list[Path]) -> None:
    from govreport_check import baseline
    from govreport_check.output import write_atomic

    try:
        write_atomic(target, baseline.document(results), files)
    except InputError as err:
        _fail(err)
    count = sum(len(r.findings) for r in results if hasattr(r, "findings"))
    typer.echo(f"提示：已把 {count} 条发现写入基线 {target}", err=True)


def _baselined(source: Path, results: list) -> list:
    """The results without the findings the baseline knows, after saying how many it no longer meets."""
    from govreport_check import baseline

    try:
        known = baseline.load(source)
    except InputError as err:
        _fail(err)
    results, gone = baseline.apply(results, known)
    if gone:
        typer.echo(f"提示：基线 {source} 中有 {gone} 条发现已不再出现（已改正），可用 --write-baseline 重新生成", err=True)
    return results


def _skipped(results: list) -> list:
    """The results without the files that are positively not reports, after naming them on stderr."""
    from govreport_check.report import Unreadable

    skipped = [r.path for r in results if isinstance(r, Unreadable) and r.not_report]
    if skipped:
        typer.echo(f"提示：跳过 {len(skipped)} 个不是年度报告的文件：{'、'.join(skipped)}", err=True)
    return [r for r in results if not (isinstance(r, Unreadable) and r.not_report)]


def _cache_notices() -> None:
    """Why the rule cache was not used (a folder another user can write to, say): the run is right, only slower."""
    cache = sys.modules.get("govreport_check.cache")
    for line in cache.notices if cache else ():
        typer.echo(f"提示：{line}", err=True)


def _expand(paths: list[str] | None, listed: Path | None = None) -> list[Path]:
    """The files to read, web addresses downloaded first (fetch.py; _noticed names the results by address again);
    none at all (folders without a report in them) is an input error, not a clean pass."""
    from govreport_check import batch, fetch

    try:
        paths = [*(paths or ()), *(fetch.listed(listed) if listed is not None else ())]
    except InputError as err:
        _fail(err)
    if not paths and listed is not None:
        _fail(InputError("清单中没有任何文件或网址（空行和 # 开头的行不算）", listed))
    if not paths:  # what Click says for a missing argument, now that --from-list may stand in for it
        _fail(InputError(f"缺少参数 PATHS：{Paths.__metadata__[0].help}"))
    files = batch.expand(_downloaded(paths))
    if not files:
        kinds = "、".join(sorted(batch.SUFFIXES))
        _fail(InputError(f"{'、'.join(paths)} 中没有可检查的报告文件（{kinds}）"))
    return files


def _downloaded(args: list[str]) -> list[str]:
    """`args` with each web address replaced by its downloaded file. One call a run: a second would clear the first's
    downloads (fetch keeps one session, which _noticed undoes)."""
    from govreport_check import fetch

    local, notices = fetch.download(args)
    for line in notices:
        typer.echo(f"提示：{line}", err=True)
    return local


def _run(files: list[Path], options, jobs: int, show_progress: bool, timeout: float) -> list:
    from govreport_check import batch

    if not show_progress or len(files) < 2:
        return _noticed(batch.check_all(files, options, jobs, timeout=timeout))
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("检查中", total=len(files))
        return _noticed(batch.check_all(files, options, jobs, lambda: progress.advance(task), timeout=timeout))


def _noticed(results: list) -> list:
    """Results, after saying why the batch ran on fewer worker processes than asked (a refused fork), and with
    each downloaded report named by its web address."""
    from govreport_check import batch, fetch

    for line in dict.fromkeys(batch.notices):
        typer.echo(f"警告：{line}", err=True)
    batch.notices.clear()
    return fetch.restore(results)


def _render(fmt: CheckFormat, results, active, fail_on: str, width, no_color, view, tty: bool) -> str:
    if fmt is CheckFormat.json:
        from govreport_check.render.json import check_document

        return check_document(results) + "\n"
    if fmt is CheckFormat.plain:
        from govreport_check.render.plain import check_document

        return check_document(results, view)
    if fmt is CheckFormat.sarif:
        from govreport_check.render.sarif import check_document

        return check_document(results, active) + "\n"
    if fmt is CheckFormat.junit:
        from govreport_check.render.junit import check_document

        return check_document(results, fail_on)
    if fmt is CheckFormat.github:
        from govreport_check.render.github import check_document

        return check_document(results)
    if fmt is CheckFormat.markdown:
        from govreport_check.render.markdown import check_summary

        return check_summary(results)
    if fmt is CheckFormat.html:
        from govreport_check.render.html import check_document

        return check_document(results)
    if fmt is CheckFormat.csv:
        from govreport_check.render.csv import check_document

        return check_document(results)
    from govreport_check.render.rich import check_document

    if tty:
        check_document(results, _console(width, no_color), view)
        return ""
    buffer = io.StringIO()
    check_document(results, _console(width or 100, no_color, file=buffer), view)
    return _unpadded(buffer.getvalue())


def _unpadded(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))  # rich pads table cells


@app.command(cls=Command)
def extract(
    paths: Paths = None,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="输出格式")] = ExtractFormat.json,
    output: Output = None,
    encoding: Encoding = None,
    layout: Layout = None,
    jobs: Jobs = None,
    timeout: Timeout = DEFAULT_TIMEOUT_S,
    from_list: FromList = None,
) -> None:
    """导出第二、三、四部分表格的全部单元格（表、行、列、数值、原文、行号）；多份报告合为一个 JSON 或 CSV。"""
    from govreport_check import batch
    from govreport_check.report import Unreadable

    files = _expand(paths, from_list)
    options = batch.Options(encoding=encoding, layout=layout)
    reports = _noticed(list(batch.run(files, options, jobs or os.cpu_count() or 1, None, timeout, batch.extract_one)))
    if fmt is ExtractFormat.json:
        from govreport_check.render.json import extract_document

        text = extract_document(reports) + "\n"
    else:
        from govreport_check.render.csv import extract_document

        text = extract_document([r for r in reports if not isinstance(r, Unreadable)])
    try:
        _emit(text, output, files)
    except InputError as err:
        _fail(err)
    errors = [r for r in reports if isinstance(r, Unreadable)]
    for item in errors:
        typer.echo(f"错误：{item.path}: {item.message}", err=True)
    raise typer.Exit(EXIT_INPUT if errors else EXIT_OK)


@app.command("rules", cls=Command)
def list_rules(
    rules: RuleFiles = None,
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="输出格式；markdown 即 docs/rules.md")] = RulesFormat.rich,
    check_file: Annotated[Optional[Path], typer.Option("--check", help="检查这个规则文件：能否加载，各规则的示例是否按所写判断；不列出规则")] = None,
    width: Width = None,
    no_color: NoColor = False,
    color: Color = ColorMode.auto,
) -> None:
    """列出规则：id、名称、级别、适用模板和标签；--check 检查一个规则文件。"""
    try:
        active = _rules(list(rules or []) + ([check_file] if check_file else []))
    except InputError as err:
        _fail(err)
    if check_file is not None:
        from govreport_check.rules.examples import check_rule_file

        try:
            count, problems, notes = check_rule_file(check_file)
        except InputError as err:
            _fail(err)
        for note in notes:
            typer.echo(f"提示：{note}", err=True)
        for problem in problems:
            typer.echo(f"错误：{problem}", err=True)
        if problems:
            raise typer.Exit(EXIT_INPUT)
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

        if sys.stdout.isatty():
            rules_table(active, _console(width, _colors(no_color, color)))
            return
        buffer = io.StringIO()
        rules_table(active, _console(width or 100, _colors(no_color, color), file=buffer))
        typer.echo(_unpadded(buffer.getvalue()), nl=False, color=True)


@app.command(cls=Command)
def explain(
    rule_id: Annotated[str, typer.Argument(help="规则 id，如 sec3-balance", show_default=False)],
    rules: RuleFiles = None,
    width: Width = None,
    no_color: NoColor = False,
    color: Color = ColorMode.auto,
) -> None:
    """说明一条规则：用途、读取哪些数据、通过和不通过的示例。"""
    try:
        active = {r.id: r for r in _rules(rules)}
    except InputError as err:
        _fail(err)
    if rule_id not in active:
        close = [i for i in active if rule_id in i or i.startswith(rule_id.split("-")[0])]
        hint = f"；相近的规则：{'、'.join(close[:5])}" if close else ""
        typer.echo(f"错误：没有 id 为 {rule_id} 的规则（govreport-check rules 列出全部）{hint}", err=True)
        raise typer.Exit(EXIT_INPUT)
    from govreport_check.render.rich import explain as show

    show(active[rule_id], _console(width, _colors(no_color, color)))


class MetricsFormat(str, Enum):
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command(cls=Command)
def metrics(
    paths: Paths,
    fmt: Annotated[MetricsFormat, typer.Option("--format", "-f", help="输出格式")] = MetricsFormat.json,
    output: Output = None,
    metric_files: Annotated[Optional[List[Path]], typer.Option(
        "--metrics", help="额外的指标 YAML 文件：新增指标和阈值提示（写法同 rules/metrics.yaml）")] = None,
    encoding: Encoding = None,
    layout: Layout = None,
    jobs: Jobs = None,
    timeout: Timeout = DEFAULT_TIMEOUT_S,
) -> None:
    """计算每份报告的指标：公开率、不予公开率、无法提供率、不予处理率、复议诉讼纠错率、申请和案件数（定义见
    rules/metrics.yaml）；多份报告合为一个 JSON、CSV 或 Markdown 表格。"""
    from functools import partial

    from govreport_check import batch
    from govreport_check.metrics import load_metrics, measure_one
    from govreport_check.render import metrics as render
    from govreport_check.report import Unreadable

    try:
        defined = load_metrics(list(metric_files or ()))
    except InputError as err:
        _fail(err)
    files = _expand(paths)
    options = batch.Options(encoding=encoding, layout=layout)
    items = _noticed(list(batch.run(files, options, jobs or os.cpu_count() or 1, None, timeout,
                                    partial(measure_one, defined))))
    readable = [r for r in items if not isinstance(r, Unreadable)]
    if fmt is MetricsFormat.json:
        text = render.json_document(items, defined)
    elif fmt is MetricsFormat.csv:
        text = render.csv_document(readable, defined)
    else:
        text = render.markdown_document(readable, defined)
    try:
        _emit(text, output, [*files, *(metric_files or ())])
    except InputError as err:
        _fail(err)
    errors = [r for r in items if isinstance(r, Unreadable)]
    for item in errors:
        typer.echo(f"错误：{item.path}: {item.message}", err=True)
    raise typer.Exit(EXIT_INPUT if errors else EXIT_OK)


@app.command(cls=Command)
def aggregate(
    summary: Annotated[str, typer.Argument(help="汇总报告（汇总各有关单位的政府的报告）：文件或网址", show_default=False)],
    parts: Annotated[List[str], typer.Argument(help="各单位的报告：文件、文件夹或通配符", show_default=False)],
    roster: Annotated[Optional[Path], typer.Option("--roster", help="单位名单：每行一个单位，或 CSV 中的“单位”列；"
                                                                   "列出没有报告的单位")] = None,
    fmt: CheckFormatOption = None,
    output: Output = None,
    fail_on: FailOnOption = None,
    exit_zero: ExitZero = False,
    encoding: Encoding = None,
    layout: Layout = None,
    rules: RuleFiles = None,
    select: Select = None,
    ignore: Ignore = None,
    jobs: Jobs = None,
    timeout: Timeout = DEFAULT_TIMEOUT_S,
    width: Width = None,
    no_color: NoColor = False,
    color: Color = ColorMode.auto,
    verbose: Verbose = False,
) -> None:
    """汇总报告与各单位报告逐格核对：第三、四部分及第二部分可相加的各列，汇总数应等于各单位之和。"""
    from govreport_check import aggregate as across, batch
    from govreport_check.report import Unreadable

    local = _downloaded([summary, *parts])  # addresses downloaded together, the summary's among them
    heads = _expand(local[:1])
    if len(heads) != 1:
        _fail(InputError(f"汇总报告应是一份报告，而 {summary} 中有 {len(heads)} 个文件"))
    found = [f for f in _expand(local[1:]) if not _same_file(f, heads[0])]
    if not found:
        _fail(InputError("除汇总报告外没有单位报告可以相加"))
    options = batch.Options(tuple(str(p) for p in rules or ()), tuple(select or ()), tuple(ignore or ()),
                            encoding=encoding, layout=layout)
    try:
        kept = {r.id: r for r in batch.select_rules(options) if r.kind == "across"}
        names = across.read_roster(roster) if roster is not None else None
    except InputError as err:
        _fail(err)
    if not kept:
        _fail(InputError("选择之后没有任何汇总核对规则（aggregate-*）可以运行"))
    loaded = _noticed(list(batch.run([heads[0], *found], options, jobs or os.cpu_count() or 1, None, timeout,
                                     batch.extract_one)))
    head, reports = loaded[0], loaded[1:]
    tty = sys.stdout.isatty() and output is None
    fmt = fmt or (CheckFormat.rich if tty else CheckFormat.plain)
    results = [head]
    if not isinstance(head, Unreadable):
        comparison = across.compare(head, [r for r in reports if not isinstance(r, Unreadable)], kept, names)
        results = [across.result(head, comparison, list(kept.values()), keep_cells=fmt is CheckFormat.html),
                   *(r for r in reports if isinstance(r, Unreadable))]
    from govreport_check.render.lines import View

    level = fail_on.value if fail_on else "error"
    try:
        _emit(_render(fmt, results, list(kept.values()), level, width, _colors(no_color, color), View(verbose), tty),
              output, [heads[0], *found])
    except InputError as err:
        _fail(err)
    _finish(results, fmt, level, exit_zero)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def main() -> None:
    app()
