"""Extracted cells as CSV, one row per cell, for analysts' spreadsheets."""

from __future__ import annotations

import csv
import io

from govreport_check.render import number
from govreport_check.report import Report

FIELDS = ("path", "unit", "year", "template", "table", "row", "column", "value", "raw", "unit_of_value", "line")


def extract_document(reports: list[Report]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    for report in reports:
        for (table, row, column), v in report.records.values.items():
            template = report.template.id if report.records.known else ""
            writer.writerow([report.path, report.unit or "", report.year or "", template, table, row, column,
                             "" if v.number is None else number(v.number), v.raw, v.unit or "", v.loc.line or ""])
    return buf.getvalue()
