"""`govreport-check metrics`: indicators declared in rules/metrics.yaml, on reports we build, in JSON, CSV and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build import report_text
from govreport_check.rules.expr import ExprError, parse
from govreport_check.template.spec import builtin_templates
from tests_paths import EXAMPLES

EXAMPLE = EXAMPLES / "示例区-2020.txt"
# 2021 template: sec3 as consistent_sec3 (一 17, 三.一 8, 三.二 2, 不予公开 2, 无法提供 5, 三.七 17);
# sec4: 复议 20 (纠正 5), 直接起诉 8 (纠正 2), 复议后起诉 2 (纠正 1): 30 cases, 8 corrected
SEC4 = [10, 5, 3, 2, 20, 4, 2, 1, 1, 8, 1, 1, 0, 0, 2]
EXAMPLE_METRICS = {"applications": 54, "processed": 55, "disclosure_rate": 0.5636, "refusal_rate": 0.1091,
                   "unable_rate": 0.2, "not_processed_rate": 0.0727, "review_cases": 4, "litigation_cases": 4,
                   "review_correction_rate": 0.25, "litigation_correction_rate": 0.0, "correction_rate": 0.125}
BUILT_METRICS = {"applications": 17, "processed": 17, "disclosure_rate": 0.5882, "refusal_rate": 0.1176,
                 "unable_rate": 0.2941, "not_processed_rate": 0.0, "review_cases": 20, "litigation_cases": 10,
                 "review_correction_rate": 0.25, "litigation_correction_rate": 0.3, "correction_rate": 0.2667}
HIGH = {"id": "correction-rate-high", "name": "纠错率偏高", "severity": "info", "metric": "correction_rate",
        "value": 0.2667, "message": "复议诉讼纠错率 26.7% 高于 15%（行政复议 20 件、行政诉讼 10 件）"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def built(folder: Path, name: str = "built-2021.txt", **options) -> Path:
    return write(folder, name, report_text("2021", 2021, **{"sec4": SEC4, **options}))


def zeros(template: str) -> dict:
    return {r.id: [0] * 7 for r in builtin_templates()[template].tables["sec3"].rows}


def reports(cli, *args) -> tuple[int, list[dict]]:
    code, out, _ = cli("metrics", *args)
    return code, json.loads(out)["reports"]


def test_example_2020_report_on_the_2019_template(cli):
    code, got = reports(cli, EXAMPLE)
    assert code == 0
    assert got == [{"path": str(EXAMPLE), "template": "2019", "year": 2020, "encoding": "utf-8", "unit": "示例区",
                    "format": "text", "metrics": EXAMPLE_METRICS, "notes": []}]


def test_built_2021_report_and_its_threshold_note(cli, tmp_path):
    path = built(tmp_path)
    code, got = reports(cli, path)
    assert code == 0
    assert got == [{"path": str(path), "template": "2021", "year": 2021, "encoding": "utf-8", "unit": "测试区",
                    "format": "text", "metrics": BUILT_METRICS, "notes": [HIGH]}]


@pytest.mark.parametrize("sec4, why", [
    ([10, 5, 3, 2, 20, 4, 2, 1, 1, 8, 1, 0, 0, 0, 1], "29 cases: too few to mean anything"),
    ([20, 3, 5, 2, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "30 cases, 10% corrected: below the limit"),
])
def test_threshold_note_only_where_its_condition_and_limit_hold(cli, tmp_path, sec4, why):
    _, got = reports(cli, built(tmp_path, sec4=sec4))
    assert got[0]["notes"] == [], why


def test_nothing_processed_gives_null_shares_and_zero_counts(cli, tmp_path):
    path = built(tmp_path, sec3=zeros("2021"), sec4=[0] * 15)
    _, got = reports(cli, path)
    assert got[0]["metrics"] == {
        "applications": 0, "processed": 0, "disclosure_rate": None, "refusal_rate": None, "unable_rate": None,
        "not_processed_rate": None, "review_cases": 0, "litigation_cases": 0, "review_correction_rate": None,
        "litigation_correction_rate": None, "correction_rate": None}


def test_a_missing_table_gives_null_not_zero(cli, tmp_path):
    _, got = reports(cli, built(tmp_path, omit=("四",)))
    metrics = got[0]["metrics"]
    assert metrics["disclosure_rate"] == 0.5882
    assert {k: v for k, v in metrics.items() if k.startswith(("review", "litigation", "correction"))} == {
        "review_cases": None, "litigation_cases": None, "review_correction_rate": None,
        "litigation_correction_rate": None, "correction_rate": None}


def test_csv_has_a_bom_and_one_row_per_report(cli, tmp_path):
    path = built(tmp_path)
    code, out, _ = cli("metrics", EXAMPLE, path, "--format", "csv")
    assert code == 0
    assert out.startswith("\ufeffpath,unit,year,template,applications,processed,disclosure_rate,")
    lines = out.lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert lines[1] == f"{EXAMPLE},示例区,2020,2019,54,55,0.5636,0.1091,0.2,0.0727,4,4,0.25,0.0,0.125,"
    assert lines[2] == (f"{path},测试区,2021,2021,17,17,0.5882,0.1176,0.2941,0.0,20,10,0.25,0.3,0.2667,"
                        "复议诉讼纠错率 26.7% 高于 15%（行政复议 20 件、行政诉讼 10 件）")


def test_csv_leaves_a_null_blank(cli, tmp_path):
    _, out, _ = cli("metrics", built(tmp_path, sec3=zeros("2021"), sec4=[0] * 15), "--format", "csv")
    assert out.splitlines()[1].endswith(",测试区,2021,2021,0,0,,,,,0,0,,,,")


def test_markdown_table_shows_shares_as_percentages(cli, tmp_path):
    path = built(tmp_path)
    code, out, _ = cli("metrics", EXAMPLE, path, "-f", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("| 文件 | 单位 | 年度 | 模板 | 本年新收申请数 | 本年办结申请数 | 公开率 | 不予公开率 | 无法提供率 | "
                        "不予处理率 | 行政复议案件数 | 行政诉讼案件数 | 行政复议纠错率 | 行政诉讼纠错率 | 复议诉讼纠错率 |")
    assert lines[1] == "|---|---|---|---|" + "---:|" * 11
    assert lines[2] == f"| {EXAMPLE} | 示例区 | 2020 | 2019 | 54 | 55 | 56.4% | 10.9% | 20% | 7.3% | 4 | 4 | 25% | 0% | 12.5% |"
    assert lines[3] == f"| {path} | 测试区 | 2021 | 2021 | 17 | 17 | 58.8% | 11.8% | 29.4% | 0% | 20 | 10 | 25% | 30% | 26.7% |"
    assert lines[4:] == ["", "提示：", "", f"- {path}：纠错率偏高：复议诉讼纠错率 26.7% 高于 15%（行政复议 20 件、行政诉讼 10 件）"]


def test_unreadable_report_is_named_and_the_others_still_measured(cli, tmp_path):
    missing = tmp_path / "nope.txt"
    code, out, err = cli("metrics", EXAMPLE, missing)
    assert code == 2
    assert f"错误：{missing}: 文件不存在" in err
    got = json.loads(out)["reports"]
    assert got[0]["metrics"] == EXAMPLE_METRICS
    assert got[1]["path"] == str(missing) and got[1]["status"] == "error"


def test_output_file(cli, tmp_path):
    target = tmp_path / "metrics.csv"
    code, out, _ = cli("metrics", EXAMPLE, "-f", "csv", "-o", target)
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("\ufeffpath,")


def test_user_metric_reads_a_row_the_templates_name_differently(cli, tmp_path):
    """（六）其他处理 is one row in 2019 (三.六) and three in 2021 (三.六.1–3): one glob reads both."""
    extra = write(tmp_path, "mine.yaml", """metrics:
  - id: other_rate
    name: 其他处理率
    table: sec3
    column: 总计
    expr: "sum(三.六*) / processed"
thresholds:
  - id: other-high
    name: 其他处理偏多
    metric: other_rate
    above: 0.1
    message: "其他处理占 {value}（办结 {processed} 件）"
""")
    path = built(tmp_path, fee_rows=2)
    _, got = reports(cli, EXAMPLE, path, "--metrics", extra)
    assert [r["metrics"]["other_rate"] for r in got] == [0.0545, 0.1176]
    assert got[0]["notes"] == []
    assert got[1]["notes"] == [HIGH, {"id": "other-high", "name": "其他处理偏多", "severity": "info",
                                      "metric": "other_rate", "value": 0.1176, "message": "其他处理占 11.8%（办结 17 件）"}]


METRIC = """metrics:
  - id: mine
    name: 我的指标
    table: sec3
    column: 总计
    expr: "{expr}"
"""


@pytest.mark.parametrize("text, line, words", [
    (METRIC.format(expr="三.九 / 三.七"), 6, "模板 2019 的 sec3 中没有行 三.九"),
    (METRIC.format(expr="三.六.1 / 三.七"), 6, "模板 2019 的 sec3 中没有行 三.六.1"),
    (METRIC.format(expr="__import__('os')"), 6, "只允许调用"),
    (METRIC.format(expr="三.一 ** 2"), 6, "只允许 + - × / 运算"),
    (METRIC.format(expr="nobody / 三.七"), 6, "未知的名称：nobody"),
    (METRIC.format(expr="last(三.七)"), 6, "指标不能读取上一年报告"),
    (METRIC.replace("column: 总计", "column: 合计").format(expr="三.七"), 5, "没有列 合计"),
    (METRIC.format(expr="三.七") + "  - id: mine\n    name: 又一个\n    expr: '1'\n", 7, "指标 id 重复：mine"),
    (METRIC.format(expr="三.七") + "thresholds:\n  - id: t\n    name: 阈\n    metric: mine\n    above: 1\n"
     "    message: '{valu}'\n", 12, "占位符 {valu} 不存在"),
    (METRIC.format(expr="三.七") + "thresholds:\n  - id: t\n    name: 阈\n    metric: mine\n    above: 1\n"
     "    when: \"三.七 > 1\"\n    message: '{value}'\n", 12, "when 中的单元格请写成 cell"),
    ("metrics:\n  - id: mine\n    name: 我的\n    expr: 1\n    colour: red\n", 2, "指标含有未知字段：colour"),
])
def test_broken_metric_file_exits_2_naming_file_and_line(cli, tmp_path, text, line, words):
    bad = write(tmp_path, "bad.yaml", text)
    code, out, err = cli("metrics", EXAMPLE, "--metrics", bad)
    assert code == 2 and out == ""
    assert f"{bad}:{line}: " in err and words in err, err


def test_division_is_refused_in_a_rule(cli, tmp_path):
    rules = write(tmp_path, "rules.yaml", """rules:
  - id: my-half
    name: 一半
    severity: error
    table: sec3
    foreach: column
    message: 不对
    expr: "一 / 2 == 三.七"
""")
    code, _, err = cli("check", EXAMPLE, "--rules", rules)
    assert code == 2
    assert f"{rules}:8: 只允许 + - × 运算（除法 / 只能用在指标中" in err


def test_division_parses_only_where_asked_for():
    with pytest.raises(ExprError):
        parse("一 / 三.七")
    assert parse("一 / 三.七", division=True).fn(lambda ref, part: [{"一": 3, "三.七": 4}[ref.text]]) == 0.75
