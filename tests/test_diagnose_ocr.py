"""Cells read by OCR: digits OCR mistakes for one another (0/8, 1/7, 5/6, 3/8) rank as likely slips, and a cell read
with a low score is never the one sure culprit, since its figure itself may be misread."""

from decimal import Decimal

from build import report_text
from govreport_check.report import check, load_report
from govreport_check.rules.examples import _scanned
from govreport_check.rules.load import builtin_rules

SEC4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
SEC4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REST = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0]


def _report(tmp_path, **settings):
    path = tmp_path / "r.txt"
    path.write_text(report_text(**settings), encoding="utf-8")
    return load_report(path)


def _scan(report, score=0.95, **scores):
    """As OCR would have read it: every sec3 and sec4 cell with `score`, the cells named with their own."""
    every = {f"{k[1]}/{k[2]}": score for k in report.records.values if k[0] in ("sec3", "sec4")}
    return _scanned(report, {**every, **{k.replace("__", "/"): v for k, v in scores.items()}})


def _errors(report):
    result = check(report, list(builtin_rules()))
    return [f for f in result.findings if f.severity.value == "error"], result


def test_a_digit_ocr_confuses_ranks_first_among_the_candidates(tmp_path):
    report = _report(tmp_path, sec4=[11, 0, 0, 7, 12] + REST)  # 尚未审结 1 read as 7
    [typed], _ = _errors(report)
    assert typed.alternatives[0].column == "总计"  # typed by a clerk: 12 → 18 is one digit wrong
    [scanned], _ = _errors(_scan(report))
    assert [(a.column, a.value) for a in scanned.alternatives][:2] == [("尚未审结", Decimal(1)), ("总计", Decimal(18))]
    assert "可能是扫描识别把 1 认成了 7" in scanned.alternatives[0].reason


def test_a_cell_read_with_a_low_score_is_never_the_sure_culprit(tmp_path):
    report = _report(tmp_path, cell_text={"三.一/自然人": "6"})  # 5 read as 6: breaks its row and its column
    [row, _], _ = _errors(report)
    assert row.suggestion.value == 5 and not row.alternatives  # typed: the one cell, for sure
    sure = _errors(_scan(report))[0]
    assert all(not f.alternatives and "可能是扫描识别把 5 认成了 6" in f.suggestion.reason for f in sure)
    doubtful, result = _errors(_scan(report, **{"三.一__自然人": 0.41}))
    assert all(f.suggestion.value == 5 and f.alternatives == (f.suggestion,) for f in doubtful)
    assert all("可能出错的单元格" in f.message and "置信度低（41%）" in f.message for f in doubtful)
    [low] = [f for f in result.findings if f.rule == "ocr-low-confidence"]
    assert low.severity.value == "info" and "自然人「6」（41%）" in low.message
