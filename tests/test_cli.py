"""The CLI end to end through typer's runner: exit codes, formats, the JSON contract, bad input."""

import json

import pytest

CONTRACT_REPORT = {"path", "template", "year", "encoding", "status", "counts", "findings"}
CONTRACT_FINDING = {"rule", "severity", "message", "line", "cells", "expected", "actual", "suggestion"}
CONTRACT_CELL = {"table", "row", "column", "value", "raw", "line"}


def test_clean_example_exits_0(cli, example):
    code, out, _ = cli("check", example, "--format", "plain")
    assert code == 0
    assert out.strip().endswith("pass — 未发现问题；检查 210 项：通过 210")


def test_example_with_a_mistake_exits_1_and_names_the_cell(cli, example_error):
    code, data = cli.json("check", example_error)
    assert code == 1
    report = data["reports"][0]
    assert data["version"] == 1
    assert CONTRACT_REPORT <= set(report)
    assert report["counts"] == {"checks": 210, "passed": 208, "errors": 2, "warnings": 0, "infos": 0, "baselined": 0,
                                "problems": {"total": 1, "errors": 1, "warnings": 0, "infos": 0}}
    assert [f["rule"] for f in report["findings"]] == ["sec3-row-total", "sec3-results-total"]
    suggestion = {"table": "sec3", "row": "三.一", "column": "科研机构", "value": 2,
                  "reason": "现为 3，按其余数据应为 2（可能有一位数字录错）"}
    assert report["problems"] == [{
        "id": "P1", "severity": "error", "summary": "（一）予以公开 / 科研机构：现为 3，按其余数据应为 2（可能有一位数字录错）",
        "cells": [{"table": "sec3", "row": "三.一", "column": "科研机构", "value": 3, "raw": "3", "line": 131,
                   "kind": "number"}],
        "suggestion": suggestion, "alternatives": [], "findings": [0, 1], "location": f"{example_error}:131"}]
    for f in report["findings"]:
        assert CONTRACT_FINDING <= set(f)
        assert all(CONTRACT_CELL <= set(c) for c in f["cells"])
        assert f["line"] == 131
        assert f["suggestion"] == {"table": "sec3", "row": "三.一", "column": "科研机构", "value": 2,
                                   "reason": "现为 3，按其余数据应为 2（可能有一位数字录错）"}
    row_total = report["findings"][0]
    assert (row_total["actual"], row_total["expected"]) == ("23", "24")
    assert {"table": "sec3", "row": "三.一", "column": "科研机构", "value": 3, "raw": "3", "line": 131,
            "kind": "number"} in row_total["cells"]


def test_plain_output_is_a_problem_then_a_grep_friendly_line_per_finding(cli, example_error):
    code, out, _ = cli("check", example_error, "--format", "plain")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"{example_error}:131: error P1 （一）予以公开 / 科研机构：现为 3，按其余数据应为 2（可能有一位数字录错）"
    assert lines[1] == f"  {example_error}:131: error sec3-row-total （一）予以公开：总计为 23，六类申请人之和为 24，相差 -1"
    assert lines[2].startswith(f"  {example_error}:131: error sec3-results-total 科研机构列：")
    assert lines[3] == f"{example_error}: fail — 需修改 1 处；检查 210 项：通过 208，未通过 2（错误 2）"
    assert len(lines) == 4


def test_plain_verbose_shows_the_format_equations_and_cells(cli, example_error):
    code, out, _ = cli("check", example_error, "--format", "plain", "-v")
    lines = out.splitlines()
    assert lines[0] == f"{example_error}: 文本 utf-8 · 模板 2019（国办公开办函〔2019〕60号） · 年度 2020 · 单位 示例区"
    assert "    算式：总计 23 ≠ 自然人 16 + 商业企业 4 + 科研机构 3 + 社会公益组织 0 + 法律服务机构 1 + 其他 0 = 24（相差 -1）" in lines
    assert any(line.startswith("    读取：三.一/总计=23，三.一/自然人=16") for line in lines)


def test_several_reports_worst_exit_wins(cli, example, example_error):
    code, data = cli.json("check", example, example_error)
    assert code == 1
    assert [r["status"] for r in data["reports"]] == ["pass", "fail"]


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "文件不存在"),
        (bytes(range(256)) * 16, "无法识别文件编码"),
        (b"", "文件为空"),
    ],
)
def test_unreadable_input_exits_2_with_a_chinese_message(cli, tmp_path, content, words):
    path = tmp_path / "report.txt"
    if content is not None:
        path.write_bytes(content)
    for fmt in ("plain", "rich", "json"):
        code, out, err = cli("check", path, "--format", fmt)
        assert code == 2
        assert words in out + err
        assert "Traceback" not in out + err
    code, out, err = cli("extract", path)
    assert code == 2 and words in err


def test_input_error_alongside_good_report_still_reports_the_good_one(cli, tmp_path, example):
    code, data = cli.json("check", example, tmp_path / "missing.txt")
    assert code == 2
    assert [r["status"] for r in data["reports"]] == ["pass", "error"]
    assert data["reports"][1]["error"] == "文件不存在"


def test_broken_rule_file_exits_2_naming_file_and_line(cli, tmp_path, example):
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules:\n  - id: x\n    name: 坏规则\n    severity: error\n    message: m\n"
                     "    table: sec3\n    foreach: row\n    expr: \"__import__('os').system('true') == 0\"\n",
                     encoding="utf-8")
    code, out, err = cli("check", example, "--rules", rules)
    assert code == 2
    assert f"{rules}:8" in err and "只允许调用" in err
    assert "Traceback" not in out + err


def test_extra_rule_file_adds_a_rule(cli, tmp_path, example):
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules:\n  - id: local-min\n    name: 本地规则\n    severity: warning\n    tags: [本地]\n"
                     "    message: \"{column}列新收 {lhs} 件，少于 {rhs} 件\"\n    table: sec3\n"
                     "    foreach: column\n    columns: [总计]\n    expr: \"一 >= 100\"\n", encoding="utf-8")
    code, data = cli.json("check", example, "--rules", rules)
    assert code == 0
    [finding] = data["reports"][0]["findings"]
    assert (finding["rule"], finding["severity"], finding["message"]) == ("local-min", "warning",
                                                                           "总计列新收 54 件，少于 100 件")


def test_select_and_ignore_by_id_prefix_and_tag(cli, example_error):
    code, data = cli.json("check", example_error, "--ignore", "sec3")
    assert code == 0 and data["reports"][0]["counts"]["checks"] == 210 - 23 - 7 - 7
    code, data = cli.json("check", example_error, "--select", "sec3-balance")
    assert code == 0 and data["reports"][0]["counts"]["checks"] == 7
    code, data = cli.json("check", example_error, "--select", "tag:勾稽关系", "--select", "sec4")
    assert code == 0 and data["reports"][0]["counts"]["checks"] == 7 + 3
    code, data = cli.json("check", example_error, "--select", "tag:合计", "--ignore", "sec3-results-total")
    assert code == 1 and [f["rule"] for f in data["reports"][0]["findings"]] == ["sec3-row-total"]


def test_extract_json_and_csv(cli, example):
    code, data = cli.json("extract", example)
    cells = data["reports"][0]["cells"]
    assert code == 0
    assert data["reports"][0]["template"] == "2019" and data["reports"][0]["year"] == 2020
    assert len(cells) == 22 + 161 + 15
    assert {"table": "sec2", "row": "政府集中采购", "column": "采购总金额", "value": 23417.86,
            "raw": "23417.86万元", "kind": "number", "unit": "万元"}.items() <= next(
        c for c in cells if c["column"] == "采购总金额").items()
    code, out, _ = cli("extract", example, "--format", "csv")
    rows = out.splitlines()
    assert code == 0 and len(rows) == 1 + 198
    assert rows[0] == "\ufeffpath,unit,year,template,table,row,column,value,raw,unit_of_value,line"


def test_rules_lists_every_rule(cli):
    code, out, _ = cli("rules", "--format", "json")
    rules = json.loads(out)
    assert code == 0
    assert {"sec3-row-total", "sec3-results-total", "sec3-balance", "sec4-row-total"} <= {r["id"] for r in rules}
    code, out, _ = cli("rules", "--width", "120", "--no-color")
    assert "申请数量勾稽关系" in out


def test_module_entry_point_and_help():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "govreport_check", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "政府信息公开工作年度报告" in result.stdout
