"""Cells OCR read with a low score (`kind: ocr-confidence`): the figure may be misread, so it is named for the
reader to compare with the scan. One finding per table row, listing its doubtful cells; reports not read by OCR
have no scores and yield nothing. The diagnosis never names such a cell as the one sure culprit (diagnose.py)."""

from __future__ import annotations

from typing import Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.model import LOW_CONFIDENCE
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"below"})
PARAMS = frozenset({"table", "row", "row_words", "where", "count", "lowest"})


def prepare(raw: dict, templates) -> dict:
    try:
        below = float(raw.get("below", LOW_CONFIDENCE))
    except (TypeError, ValueError):
        raise ValueError("below 应为 0 到 1 之间的数（识别置信度低于它的单元格才报告）") from None
    if not 0 < below <= 1:
        raise ValueError("below 应为 0 到 1 之间的数（识别置信度低于它的单元格才报告）")
    return {"below": below}


def run(rule: Rule, report) -> Iterator[Outcome]:
    below = rule.options["below"]
    template = report.template
    rows: dict[tuple[str, str], list] = {}
    for key, value in report.records.values.items():
        if value.confidence is not None:
            rows.setdefault(key[:2], []).append((key, value))
    for (table, row), cells in rows.items():
        low = [(k, v) for k, v in cells if v.confidence < below]
        fact = None
        if low:
            spec = template.tables.get(table)
            where = "、".join(f"{spec.column_words(k[2]) if spec else k[2]}「{v.raw}」（{v.confidence:.0%}）"
                             for k, v in low)
            fact = Fact(rule.id, {"table": spec.title if spec else table, "row": row,
                                  "row_words": spec.row_words(row) if spec else row, "where": where,
                                  "count": len(low), "lowest": f"{min(v.confidence for _, v in low):.0%}"},
                        tuple(CellRef(*k, v) for k, v in low), low[0][1].loc)
        yield Outcome(rule.id, (row, None), fact)


def reads(rule: Rule) -> str:
    return f"扫描件或图片经 OCR 识别的单元格：识别置信度低于 {rule.options['below']:.0%}"
