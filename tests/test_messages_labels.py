"""Messages and equations name rows and columns by the template's labels, not by their ids."""

from __future__ import annotations

import pytest
from build import consistent_sec3, report_text

from govreport_check.template.spec import builtin_templates, shortened

SEC3 = builtin_templates()["2021"].tables["sec3"]


@pytest.mark.parametrize("row, words", [
    ("一", "一、本年新收政府信息公开申请数量"),
    ("三.一", "（一）予以公开"),
    ("三.二", "（二）部分公开"),  # the bracketed note is left out
    ("三.四.1", "（四）无法提供 / 1.本机关不掌握相关政府信息"),  # a numbered sub-row after its group
    ("三.六.1", "（六）其他处理 / 1.申请人无正当理由逾期不补正"),  # a long label cut to its first clause
    ("三.七", "（七）总计"),
    ("四", "四、结转下年度继续办理"),
    ("三.九", "三.九"),  # not in the template: the id as it is
])
def test_row_words(row, words):
    assert SEC3.row_words(row) == words


def test_column_and_cell_words():
    sec2 = builtin_templates()["2021"].tables["sec2"]
    assert sec2.column_words("本年收费金额") == "本年收费金额"  # 本年收费金额（单位：万元）
    assert SEC3.column_words("总计") == "总计"
    assert SEC3.cell_words("三.四.1", "自然人") == "（四）无法提供 / 1.本机关不掌握相关政府信息 / 自然人"
    assert builtin_templates()["2019"].tables["sec4"].row_words("未经复议直接起诉") == "未经复议直接起诉"


def test_every_row_is_short_enough_for_a_message():
    for template in builtin_templates().values():
        for table in template.tables.values():
            assert all(len(table.row_words(r)) <= 30 for r in table.row_ids), table.id
    assert shortened("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "（二）部分公开"


def _check(cli, tmp_path, *args, **options):
    path = tmp_path / "report.txt"
    path.write_text(report_text(**options), encoding="utf-8")
    code, data = cli.json("check", path, *args)
    return code, data["reports"][0]["findings"]


def _by_rule(findings, rule):
    return [f for f in findings if f["rule"] == rule]


def test_the_example_slip_reads_by_labels(cli, example_error):
    code, data = cli.json("check", example_error)
    assert code == 1
    findings = data["reports"][0]["findings"]
    [row] = _by_rule(findings, "sec3-row-total")
    [column] = _by_rule(findings, "sec3-results-total")
    assert row["message"].startswith("（一）予以公开：总计为 23，六类申请人之和为 24，相差 -1")
    assert column["message"].startswith("科研机构列：（七）总计为 2，各项办理结果之和为 3，相差 -1")
    assert row["equation"].startswith("总计 23 ≠ 自然人 16 + 商业企业 4 + 科研机构 3")
    assert column["equation"] == "（七）总计 2 ≠ （一）予以公开 3（其余为 0 或空白）= 3（相差 -1）"


def test_a_column_rule_names_sub_rows_after_their_group(cli, tmp_path):
    sec3 = consistent_sec3()
    sec3["三.四.1"][0] += 1  # 自然人 2 → 3: the column no longer adds up
    sec3["三.四.1"][-1] += 1  # the row still does
    code, findings = _check(cli, tmp_path, sec3=sec3)
    assert code == 1
    [column] = [f for f in _by_rule(findings, "sec3-results-total") if f["message"].startswith("自然人列")]
    assert column["message"].startswith("自然人列：（七）总计为 10，各项办理结果之和为 11")
    assert column["equation"] == ("（七）总计 10 ≠ （一）予以公开 5 + （二）部分公开 2 + （三）不予公开 / 4.保护第三方合法权益 1"
                                  " + （四）无法提供 / 1.本机关不掌握相关政府信息 3（其余为 0 或空白）= 11（相差 -1）")


def test_the_balance_names_its_rows(cli, tmp_path):
    sec3 = consistent_sec3()
    sec3["四"][0] += 1
    sec3["四"][-1] += 1
    code, findings = _check(cli, tmp_path, sec3=sec3)
    assert code == 1
    balance = next(f for f in _by_rule(findings, "sec3-balance") if f["message"].startswith("自然人列"))
    assert balance["equation"] == ("一、本年新收政府信息公开申请数量 10 + 二、上年结转政府信息公开申请数量 1 = 11 ≠ "
                                   "（七）总计 10 + 四、结转下年度继续办理 2 = 12（相差 -1）")


def test_blank_cells_and_missing_rows_by_labels(cli, tmp_path):
    sec3 = consistent_sec3()
    sec3["三.三.4"][0] = ""
    code, findings = _check(cli, tmp_path, sec3=sec3, drop_rows=("三.三.8",))
    assert code == 1
    [blank] = _by_rule(findings, "value-blank")
    assert blank["message"] == "（三）不予公开 / 4.保护第三方合法权益：有 1 个空白单元格（自然人），核对时按 0 计算"
    [total] = _by_rule(findings, "sec3-row-total")
    assert "自然人 空白 + 商业企业 1" in total["equation"]
    [missing] = _by_rule(findings, "row-missing")
    assert missing["message"] == "“收到和处理政府信息公开申请情况”缺少模板行「（三）不予公开 / 8.属于行政查询事项」"


def test_user_rules_keep_the_old_placeholders(cli, tmp_path, example):
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules:\n  - id: local-min\n    name: 本地规则\n    severity: warning\n"
                     "    message: \"{row}|{row_label}|{row_words}|{column}\"\n    table: sec3\n"
                     "    foreach: row\n    rows: [三.四.1]\n    expr: \"总计 >= 100\"\n", encoding="utf-8")
    code, data = cli.json("check", example, "--rules", rules)
    assert code == 0
    [finding] = data["reports"][0]["findings"]
    assert finding["message"] == "三.四.1|本机关不掌握相关政府信息|（四）无法提供 / 1.本机关不掌握相关政府信息|"
