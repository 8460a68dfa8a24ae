"""CSV for spreadsheets: extracted cells (a row per cell) and findings (a row per finding). Every CSV starts with a
UTF-8 BOM, without which Excel opens Chinese text as mojibake."""

from __future__ import annotations

import csv
import io

from govreport_check.render import number
from govreport_check.report import Report

FIELDS = ("path", "unit", "year", "template", "table", "row", "column", "value", "raw", "unit_of_value", "line")


BOM = "\ufeff"
CHECK_FIELDS = ("file", "unit", "year", "template", "rule", "severity", "table", "row", "column", "value", "expected",
                "suggestion", "line", "message")


def check_document(results: list) -> str:
    """A row per finding: the cell it is about with what it holds and what the rule expected, and the suggested
    correction as `table/row/column=value`; an unreadable input is one row with rule `input`."""
    from govreport_check.report import Unreadable

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CHECK_FIELDS)
    for item in results:
        if isinstance(item, Unreadable):
            writer.writerow([item.path, "", "", "", "input", "error", "", "", "", "", "", "", item.line or "",
                             item.message])
            continue
        r = item.report
        for f in item.findings:
            cell = f.cells[0] if f.cells else None  # the cell the rule's expectation is about (a total, say)
            s = f.suggestion
            where = f.loc.line if f.loc is not None and f.loc.line is not None else (str(f.loc) if f.loc else "")
            writer.writerow([r.path, r.unit or "", r.year or "", r.template or "", f.rule, f.severity.value,
                             *((cell.table, cell.row, cell.column) if cell else ("", "", "")),
                             cell.value.raw if cell is not None and cell.value is not None else "",
                             f.expected or "", f"{s.table}/{s.row}/{s.column}={number(s.value)}" if s else "",
                             where, f.message])
    return BOM + buf.getvalue()


def extract_document(reports: list[Report]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    for report in reports:
        for (table, row, column), v in report.records.values.items():
            template = report.template.id if report.records.known else ""
            writer.writerow([report.path, report.unit or "", report.year or "", template, table, row, column,
                             "" if v.number is None else number(v.number), v.raw, v.unit or "", v.loc.line or ""])
    return BOM + buf.getvalue()
