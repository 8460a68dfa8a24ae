"""Indicators per report (`metrics`): JSON for programs, CSV for spreadsheets (a row per report), a Markdown table
for people. Shares are numbers in JSON and CSV (0.6182) and percentages in Markdown (61.8%)."""

from __future__ import annotations

import csv
import io

from govreport_check.metrics import MetricSet, rounded, show
from govreport_check.render.csv import BOM
from govreport_check.render.json import VERSION, _error, _head, dumps
from govreport_check.render.markdown import _cell

HEAD = ("path", "unit", "year", "template")


def json_document(items: list, metric_set: MetricSet) -> str:
    from govreport_check.report import Unreadable

    reports = []
    for item in items:
        if isinstance(item, Unreadable):
            reports.append(_error(item))
            continue
        reports.append({**_head(item.report),
                        "metrics": {m.id: rounded(item.values.get(m.id), m.format) for m in metric_set.metrics},
                        "notes": [{"id": n.id, "name": n.name, "severity": n.severity, "metric": n.metric,
                                   "value": rounded(n.value, _format(metric_set, n.metric)), "message": n.message}
                                  for n in item.notes]})
    return dumps({"version": VERSION, "reports": reports}) + "\n"


def csv_document(items: list, metric_set: MetricSet) -> str:
    """A row per readable report, a column per indicator (blank where it has no value), then the notes."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*HEAD, *(m.id for m in metric_set.metrics), "notes"])
    for item in items:
        r = item.report
        values = [rounded(item.values.get(m.id), m.format) for m in metric_set.metrics]
        writer.writerow([r.path, r.unit or "", r.year or "", r.template or "",
                         *("" if v is None else v for v in values), "；".join(n.message for n in item.notes)])
    return BOM + buf.getvalue()


def markdown_document(items: list, metric_set: MetricSet) -> str:
    out = ["| 文件 | 单位 | 年度 | 模板 | " + " | ".join(_cell(m.name) for m in metric_set.metrics) + " |",
           "|---|---|---|---|" + "---:|" * len(metric_set.metrics)]
    notes = []
    for item in items:
        r = item.report
        values = [show(item.values.get(m.id), m.format) for m in metric_set.metrics]
        out.append(f"| {_cell(r.path)} | {_cell(r.unit or '')} | {r.year or ''} | {r.template or ''} | "
                   + " | ".join(values) + " |")
        notes += [f"- {_cell(r.path)}：{n.name}：{n.message}" for n in item.notes]
    if notes:
        out += ["", "提示：", "", *notes]
    return "\n".join(out) + "\n"


def _format(metric_set: MetricSet, metric: str) -> str:
    return next(m.format for m in metric_set.metrics if m.id == metric)
