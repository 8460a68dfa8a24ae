"""What the terminal outputs (rich and plain) say about each report, worded once."""

from __future__ import annotations

from dataclasses import dataclass

from govreport_check.findings import CellRef, Severity
from govreport_check.render import text
from govreport_check.report import Result, Summary

@dataclass(frozen=True)
class View:
    """How much the terminal outputs (rich, plain) show."""

    verbose: bool = False  # every finding's equation and every cell it read
    quiet: bool = False  # only the reports that fail, then the summary
    statistics: bool = False  # a count per rule in place of each report's problems


FORMATS = {"text": "文本", "html": "网页", "docx": "Word（docx）", "doc": "Word（doc）", "pdf": "PDF", "image": "图片"}


def header(r: Summary) -> str:
    """格式 · 模板 · 年度 · 单位: the file's kind apart from its text's encoding (a PDF has none)."""
    template = f"{r.template}（{r.notice}）" if r.template else "未知"
    kind = FORMATS.get(r.format, r.format or "")
    shown = kind + (f" {r.encoding}" if r.format in ("text", "html", "") and r.encoding else "")
    shown += "（OCR 识别）" if r.encoding == "ocr" else ""
    parts = [shown.strip(), f"模板 {template}", f"年度 {r.year or '未知'}"] + ([f"单位 {r.unit}"] if r.unit else [])
    return " · ".join(p for p in parts if p)


ACTIONS = {Severity.ERROR: "需修改", Severity.WARNING: "需核实", Severity.INFO: "提示"}


def tally(item: Result) -> str:
    """需修改 1 处；检查 208 项：通过 206，未通过 2（错误 2）: problems by what to do, then findings, each labelled."""
    c, problems = item.counts, item.problems
    by = {s: sum(p.severity is s for p in problems) for s in Severity}
    words = [f"{verb} {by[s]} 处" for s, verb in ACTIONS.items() if by[s]]
    head = "，".join(words) or "未发现问题"
    found = [f"{label} {n}" for label, n in (("错误", c.errors), ("警告", c.warnings), ("提示", c.infos),
                                             ("已在基线中", c.baselined)) if n]
    tail = f"，未通过 {c.checks - c.passed}（{'，'.join(found)}）" if found else ""
    return f"{head}；检查 {c.checks} 项：通过 {c.passed}{tail}"


def cell_text(c: CellRef) -> str:
    """A cell read, for -v: 三.一/科研机构=3, （按顺序） when placed by its row's position."""
    value = text(c.value.number) if c.value else "缺"
    return f"{c.row}/{c.column}={value}{'（按顺序）' if c.value is not None and c.value.placed == 'order' else ''}"


def batch_summary(results: list) -> list[str]:
    """What ends every batch's output, also redirected: the counts, then the failing reports, most errors first."""
    from govreport_check.report import Unreadable

    checked = [r for r in results if not isinstance(r, Unreadable)]
    failing = sorted((r for r in checked if r.status == "fail"), key=lambda r: (-r.counts.errors, r.report.path))
    unreadable = len(results) - len(checked)
    errors = sum(r.counts.errors for r in checked)
    warnings = sum(r.counts.warnings for r in checked)
    out = [f"共 {len(results)} 份报告：通过 {len(checked) - len(failing)}，未通过 {len(failing)}，无法读取 {unreadable}；"
           f"错误 {errors}，警告 {warnings}"]
    if failing:
        out.append("未通过的报告（按错误数排列）：")
        out += [f"  {r.report.path}：错误 {r.counts.errors}，警告 {r.counts.warnings}" for r in failing]
    return out


def shown(results: list, view: View) -> list:
    """The results a view prints in full: under --quiet, the failing and unreadable reports only."""
    from govreport_check.report import Unreadable

    if view.statistics:
        return []
    return [r for r in results if not view.quiet or isinstance(r, Unreadable) or r.status == "fail"]


def statistics(results: list) -> list[str]:
    """Findings counted per rule, most first, as ruff --statistics does: where a batch's mistakes cluster."""
    from govreport_check.report import Unreadable

    counts: dict[str, list] = {}
    for r in results:
        for f in () if isinstance(r, Unreadable) else r.findings:
            counts.setdefault(f.rule, [0, f.severity.value, f.name])[0] += 1
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if not rows:
        return ["没有任何发现"]
    width = max(len(rule) for rule, _ in rows)
    digits = len(str(rows[0][1][0]))
    return [f"{n:>{digits}}  {severity:<7}  {rule:<{width}}  {name}" for rule, (n, severity, name) in rows]
