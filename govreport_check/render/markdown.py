"""Markdown: the rule reference (docs/rules.md) generated from the YAML."""

from __future__ import annotations

import yaml

from govreport_check.checks import module
from govreport_check.findings import Severity

HEADER = """# 规则一览 · Rule reference

本文件由 `govreport-check rules --format markdown > docs/rules.md` 从 `rules/*.yaml` 生成，请勿手工修改。
Generated from `rules/*.yaml`; do not edit by hand.

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def example_text(example) -> str:
    return yaml.safe_dump(example, allow_unicode=True, default_flow_style=True, width=10_000).strip()


def rules_document(rules) -> str:
    out = [HEADER, "| 规则 | 名称 | 级别 | 模板 | 标签 |", "|---|---|---|---|---|"]
    for r in rules:
        out.append(f"| [`{r.id}`](#{r.id}) | {r.name} | {Severity(r.severity).label} | {'、'.join(r.templates)} | "
                   f"{_cell('、'.join(r.tags))} |")
    out.append("")
    for r in rules:
        out += [f"## {r.id}", "", *rule_section(r), ""]
    return "\n".join(out)


EXAMPLE_LABELS = (("pass", "通过示例"), ("fail", "不通过示例"))


def rule_section(r) -> list[str]:
    """One rule's section of docs/rules.md below its heading, shared with SARIF's rule help so both say the same."""
    out = [(f"**{r.name}** · {r.severity.label} · 模板 {'、'.join(r.templates)} · "
            f"类型 `{r.kind}` · 定义于 `{r.source.split('rules/')[-1]}`"), ""]
    if r.description:
        out += [r.description, ""]
    out += [f"- 读取：{_cell(module(r.kind).reads(r))}", f"- 消息：{_cell(r.message)}"]
    for verdict, label in EXAMPLE_LABELS:
        if verdict in r.examples:
            out.append(f"- {label}：`{example_text(r.examples[verdict])}`")
    return out


def check_summary(results) -> str:
    """A review-ready summary: a line per report, then every error and warning."""
    from govreport_check.report import Unreadable

    out = ["## govreport-check 检查结果", "", "| 文件 | 单位 | 年度 | 模板 | 结果 | 错误 | 警告 |", "|---|---|---|---|---|---|---|"]
    for item in results:
        if isinstance(item, Unreadable):
            out.append(f"| {_cell(item.path)} | | | | 无法读取：{_cell(item.message)} | | |")
            continue
        r, c = item.report, item.counts
        verdict = "❌ 未通过" if c.errors else "✅ 通过"
        out.append(f"| {_cell(r.path)} | {_cell(r.unit or '')} | {r.year or ''} | {r.template or '未知'} | {verdict} | "
                   f"{c.errors} | {c.warnings} |")
    details = [item for item in results if not isinstance(item, Unreadable) and item.findings]
    for item in details:
        out += ["", f"### {item.report.path}", ""]
        for f in item.findings:
            where = f" （{f.loc}）" if f.loc else ""
            out.append(f"- **{f.severity.label}** `{f.rule}` {_cell(f.message)}{where}")
    return "\n".join(out) + "\n"
