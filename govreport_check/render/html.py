"""HTML: one page a clerk opens from a file or mails to an office. Each report's tables are drawn as the official
form so the wrong cell is found where the clerk typed it, with what to change and the broken equation beside it.

The page needs nothing from the network (inline CSS, a few lines of script for sorting the batch index): reports
are checked on machines without internet access, and the page is kept as a record.
"""

from __future__ import annotations

from html import escape

from govreport_check.findings import Problem
from govreport_check.model import Value
from govreport_check.render import text as num_text
from govreport_check.report import Result, Unreadable
from govreport_check.template.spec import LineSpec, TableSpec, builtin_templates

Key = tuple[str, str, str]
_RANK = {"error": 0, "warning": 1, "info": 2}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;
color:#222;line-height:1.5;max-width:72em}
h1{font-size:1.4em}h2{font-size:1.25em;border-bottom:2px solid #444;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}dt{color:#666}dd{margin:0}
.pass{color:#1d7a35}.fail,.unreadable{color:#b3261e}
table{border-collapse:collapse;margin:.3em 0 1em;font-size:.92em}
th,td{border:1px solid #777;padding:.2em .45em}th{background:#f0f0f0;font-weight:normal}
table.form{width:100%}table.form td[data-cell]{text-align:right;min-width:3.2em;white-space:nowrap}
td.label{text-align:left;width:30%}td.group{font-weight:bold;background:#fafafa}.d1{padding-left:1.6em}.d2{padding-left:2.8em}
td.absent{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}
td[data-severity=error]{background:#fbd9d6;outline:2px solid #b3261e}
td[data-severity=warning]{background:#fdebc2;outline:2px solid #a86b00}
td[data-severity=info]{background:#dceafb;outline:2px solid #2b62a8}
td small{display:block;font-size:.78em;color:#444}tr.note td{border-top:0;font-size:.85em;background:#fffdf4}
li.p{margin:.5em 0}.sev{font-weight:bold;margin-right:.4em}li.error .sev{color:#b3261e}li.warning .sev{color:#a86b00}
li.info .sev{color:#2b62a8}.eq{background:#f0f0f0;padding:0 .3em}.loc,.rule{color:#666}
ul.findings{margin:.2em 0;font-size:.92em}table.index th{cursor:pointer}table.index td:nth-child(n+6){text-align:right}
"""

# Clicking a header of the batch index sorts by it (again: the other way); every cell carries its sort key.
SCRIPT = """for(const th of document.querySelectorAll("table.index th"))th.onclick=()=>{
const b=th.closest("table").tBodies[0],i=th.cellIndex,d=th.dataset.d=-(th.dataset.d||-1);
[...b.rows].sort((x,y)=>{const a=x.cells[i].dataset.v,c=y.cells[i].dataset.v;
return d*(a-c||isNaN(a-c)&&a.localeCompare(c,"zh"))}).forEach(r=>b.append(r))};"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def check_document(results: list[Result | Unreadable]) -> str:
    items = [(f"r{n}", item) for n, item in enumerate(results, 1)]
    parts = [_index(items)] if len(items) > 1 else []
    parts += [_unreadable(a, i) if isinstance(i, Unreadable) else _report(a, i) for a, i in items]
    script = f"<script>{SCRIPT}</script>" if len(items) > 1 else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>govreport-check 检查结果</title>"
            f"<style>{CSS}</style></head><body><h1>政府信息公开工作年度报告检查结果</h1>\n"
            + "\n".join(parts) + f"\n{script}</body></html>\n")


def _counts(found: tuple[Problem, ...]) -> dict[str, int]:
    out = dict.fromkeys(_RANK, 0)
    for p in found:
        out[p.severity.value] += 1
    return out


def _index(items: list) -> str:
    rows = []
    for anchor, item in items:
        if isinstance(item, Unreadable):
            cells = [(item.path, f'<a href="#{anchor}">{_e(item.path)}</a>'), ("", ""), ("", ""), ("", ""),
                     ("0", f'<span class="unreadable">无法读取：{_e(item.message)}</span>'), ("", ""), ("", "")]
            rows.append((0, cells))
            continue
        r, n = item.report, _counts(item.problems)
        status = item.status
        cells = [(r.path, f'<a href="#{anchor}">{_e(r.path)}</a>'), (r.unit or "", _e(r.unit or "")),
                 (r.year or "", _e(r.year or "")), (r.template or "", _e(r.template or "未知")),
                 ("1" if status == "fail" else "2", f'<span class="{status}">{_status(status)}</span>'),
                 (n["error"], n["error"]), (n["warning"], n["warning"])]
        rows.append((1 if status == "fail" else 2, cells))
    rows.sort(key=lambda r: r[0])
    head = "".join(f'<th title="点击排序">{h}</th>' for h in ("文件", "单位", "年度", "模板", "结果", "错误（处）", "警告（处）"))
    body = "\n".join("<tr>" + "".join(f'<td data-v="{_e(v)}">{html}</td>' for v, html in cells) + "</tr>"
                     for _, cells in rows)
    tally = [sum(1 for rank, _ in rows if rank == k) for k in (1, 2, 0)]
    return (f'<section id="index"><h2>共 {len(rows)} 份报告：未通过 {tally[0]}，通过 {tally[1]}，无法读取 {tally[2]}</h2>'
            f'<table class="index"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></section>')


def _status(status: str) -> str:
    return {"fail": "未通过", "pass": "通过"}[status]


def _unreadable(anchor: str, item: Unreadable) -> str:
    where = f"（第 {item.line} 行）" if item.line else ""
    return (f'<section class="report" id="{anchor}"><h2>{_e(item.path)} <span class="unreadable">无法读取</span></h2>'
            f"<p>{_e(item.message)}{where}</p></section>")


def _report(anchor: str, result: Result) -> str:
    r, c = result.report, result.counts
    found = result.problems
    n = _counts(found)
    template = templates_of(r.template)
    title = " ".join(x for x in (r.unit, f"{r.year} 年度" if r.year else None) if x) or r.path
    meta = [("文件", r.path), ("单位", r.unit or "未知"), ("年度", r.year or "未知"),
            ("模板", r.template_name), ("编码", r.encoding),
            ("检查", (f"{c.checks} 项，通过 {c.passed}；错误 {n['error']} 处、警告 {n['warning']} 处、提示 {n['info']} 处"
                      f"（共 {len(result.findings)} 条发现）"))]
    out = [(f'<section class="report" id="{anchor}"><h2>{_e(title)} <span class="{result.status}">'
            f"{_status(result.status)}</span></h2>"),
           '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in meta) + "</dl>",
           _problem_list(anchor, result, found, template)]
    if template is None:
        out.append("<p>未能识别报告所用模板，不绘制表格。</p>")
    else:
        marks: dict[Key, list[Problem]] = {}
        for p in found:
            for cell in dict.fromkeys((x.table, x.row, x.column) for x in p.cells):
                marks.setdefault(cell, []).append(p)
        values = {(x.table, x.row, x.column): x.value for x in result.cells}
        form = _Form(anchor, result, values, marks)
        out += [form.table(spec) for spec in template.values()]
    out.append("</section>")
    return "\n".join(out)


def templates_of(template_id: str | None) -> dict[str, TableSpec] | None:
    template = builtin_templates().get(template_id) if template_id else None
    return template.tables if template else None


def cell_name(tables: dict[str, TableSpec] | None, table: str, row: str, column: str) -> str:
    """A cell as the form labels it (（一）予以公开 · 科研机构), its ids where the template lacks it."""
    spec = tables.get(table) if tables else None
    r = spec.row(row) if spec else None
    c = spec.column(column) if spec else None
    return f"{r.label if r else row} · {c.label if c else column}"


def _fix(tables, s) -> str:
    return f"{_e(cell_name(tables, s.table, s.row, s.column))} 改为 <b>{_e(num_text(s.value))}</b>：{_e(s.reason)}"


def _problem_list(anchor: str, result: Result, found: tuple[Problem, ...], tables) -> str:
    if not found:
        return "<h3>未发现问题</h3>"
    items = []
    for p in found:
        lines = [(f'<li class="p {p.severity.value}" id="{anchor}-{_e(p.id)}"><span class="sev">{_e(p.id)} '
                  f"{p.severity.label}</span>{_e(p.summary)}")]
        if p.suggestion is not None:
            lines.append(f"<div>建议：{_fix(tables, p.suggestion)}</div>")
        others = [s for s in p.alternatives if s != p.suggestion]
        if others:
            lines.append("<div>其他可能：<ol>" + "".join(f"<li>{_fix(tables, s)}</li>" for s in others) + "</ol></div>")
        found_here = [result.findings[i] for i in p.findings if 0 <= i < len(result.findings)]
        lines.append('<ul class="findings">' + "".join(
            f'<li><span class="rule">{_e(f.rule)} {_e(f.name)}</span>：{_e(f.statement or f.message)}'
            + (f'<br><span class="eq">{_e(f.equation)}</span>' if f.equation else "")
            + (f' <span class="loc">{_e(f.loc)}</span>' if f.loc else "") + "</li>" for f in found_here) + "</ul></li>")
        items.append("".join(lines))
    return f"<h3>发现 {len(found)} 处问题</h3><ol class=\"problems\">\n" + "\n".join(items) + "\n</ol>"


class _Form:
    """Draws a report's tables, marking the cells its problems name."""

    def __init__(self, anchor: str, result: Result, values: dict[Key, Value | None], marks: dict[Key, list[Problem]]):
        self.anchor, self.result, self.values, self.marks = anchor, result, values, marks
        self.tables = templates_of(result.report.template)

    def table(self, spec: TableSpec) -> str:
        body = self._items(spec) if any(r.columns for r in spec.rows) else self._grid(spec)
        return f"<h3>{_e(spec.section)}、{_e(spec.title)}</h3>\n{body}"

    def _items(self, spec: TableSpec) -> str:
        """Items with their own columns (sec2): one small table per run of items sharing columns, as the form."""
        blocks: list[list[LineSpec]] = []
        for row in spec.rows:
            if blocks and blocks[-1][0].columns == row.columns:
                blocks[-1].append(row)
            else:
                blocks.append([row])
        out = []
        for rows in blocks:
            columns = [spec.column(c) or LineSpec(c, c, ()) for c in rows[0].columns]
            head = "<tr><th>信息内容</th>" + "".join(f"<th>{_e(c.label)}</th>" for c in columns) + "</tr>"
            out.append(f'<table class="form">{head}\n' + "\n".join(self._row(spec, r, columns, 0) for r in rows)
                       + "</table>")
        return "\n".join(out)

    def _grid(self, spec: TableSpec) -> str:
        """Rows × columns (sec3, sec4): column groups as a header over their columns, row groups as label rows."""
        grouped = any(c.group for c in spec.columns)
        head = ["<tr><th" + (' rowspan="2"' if grouped else "") + "></th>"]
        runs: list[list[LineSpec]] = []
        for c in spec.columns:
            if runs and c.group and runs[-1][0].group == c.group:
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            if run[0].group:
                head.append(f'<th colspan="{len(run)}">{_e(run[0].group)}</th>')
            else:
                head.append(("<th rowspan=\"2\">" if grouped else "<th>") + f"{_e(run[0].label)}</th>")
        head.append("</tr>")
        if grouped:
            head.append("<tr>" + "".join(f"<th>{_e(c.label)}</th>" for c in spec.columns if c.group) + "</tr>")
        labels = {g.id: g.label for g in spec.groups}
        ids = set(labels) | {r.group for r in spec.rows if r.group}
        depth = {g: sum(1 for o in ids if g.startswith(o + ".")) for g in ids}
        rows, seen = [], set()
        for r in spec.rows:
            if r.group and r.group not in seen:
                seen.add(r.group)
                rows.append(f'<tr><td class="label group d{depth[r.group]}" colspan="{len(spec.columns) + 1}">'
                            f"{_e(labels.get(r.group, r.group))}</td></tr>")
            rows.append(self._row(spec, r, list(spec.columns), depth[r.group] + 1 if r.group else 0))
        return f'<table class="form">{"".join(head)}\n' + "\n".join(rows) + "</table>"

    def _row(self, spec: TableSpec, row: LineSpec, columns: list[LineSpec], depth: int) -> str:
        cells = [self._cell((spec.id, row.id, c.id)) for c in columns]
        out = f'<tr><td class="label d{depth}">{_e(row.label)}</td>{"".join(cells)}</tr>'
        here = [p for c in columns for p in self.marks.get((spec.id, row.id, c.id), ())]
        if here:
            notes = "<br>".join(self._note(p) for p in dict.fromkeys(here))
            out += f'\n<tr class="note"><td></td><td colspan="{len(columns)}">{notes}</td></tr>'
        return out

    def _note(self, p: Problem) -> str:
        """What a marked row's note says: the problem, its correction, the equations it breaks."""
        link = f'<a href="#{self.anchor}-{_e(p.id)}">{_e(p.id)}</a>'
        equations = "".join(f'<br><span class="eq">{_e(q)}</span>' for q in self._equations(p))
        return f'<span class="sev">{link} {p.severity.label}</span>{_e(p.summary)}{equations}'

    def _equations(self, p: Problem) -> list[str]:
        findings = self.result.findings
        return list(dict.fromkeys(findings[i].equation for i in p.findings
                                  if 0 <= i < len(findings) and findings[i].equation))

    def _cell(self, key: Key) -> str:
        value = self.values.get(key)
        text = _e(value.raw) if value is not None else ""
        attrs = f' data-cell="{_e("/".join(key))}"'
        here = self.marks.get(key)
        if here:
            worst = min((p.severity for p in here), key=lambda s: _RANK[s.value])
            tip = "\n".join([f"{p.id} {p.severity.label}：{p.summary}" for p in here]
                            + [q for p in here for q in self._equations(p)])
            fixes = [p.suggestion for p in here if p.suggestion and (p.suggestion.table, p.suggestion.row,
                                                                     p.suggestion.column) == key]
            hint = f"应为 {num_text(fixes[0].value)} · " if fixes else ""
            links = " ".join(f'<a href="#{self.anchor}-{_e(p.id)}">{_e(p.id)}</a>' for p in here)
            attrs += f' data-severity="{worst.value}" title="{_e(tip)}"'
            text += f"<small>{_e(hint)}{links}</small>"
        elif value is None:
            attrs += ' class="absent" title="报告中没有这一格"'
        return f"<td{attrs}>{text}</td>"

