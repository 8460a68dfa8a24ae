"""Output formats for CI and reviewers, -o, and the exit-code knobs."""

import json
from xml.etree import ElementTree as ET

import pytest


def test_junit_has_a_testcase_per_rule_and_a_failure(cli, example_error):
    code, out, _ = cli("check", example_error, "--format", "junit")
    root = ET.fromstring(out)
    assert code == 1
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert {"sec3-row-total", "sec3-balance", "sec4-row-total", "prose-received"} <= set(cases)
    assert cases["sec3-row-total"].find("failure") is not None
    assert "（一）予以公开 / 科研机构" in cases["sec3-row-total"].find("failure").get("message")
    assert cases["sec3-balance"].find("failure") is None
    assert root.get("failures") == "2"


def test_github_annotations_and_step_summary(cli, example_error, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = cli("check", example_error, "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={example_error},line=131,title=sec3-row-total ")
    assert "::（一）予以公开：总计为 23" in lines[0]
    text = summary.read_text(encoding="utf-8")
    assert "| 文件 | 单位 | 年度 | 模板 | 结果 | 错误 | 警告 |" in text and "❌ 未通过" in text


def test_markdown_summary(cli, example, example_error):
    code, out, _ = cli("check", example, example_error, "--format", "markdown")
    assert code == 1
    assert "✅ 通过" in out and "❌ 未通过" in out and "`sec3-row-total`" in out


def test_output_file_is_written_atomically_and_never_over_an_input(cli, example_error, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = cli("check", example_error, "--format", "json", "-o", target)
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["reports"][0]["status"] == "fail"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    copy = tmp_path / "report.txt"
    copy.write_bytes(example_error.read_bytes())
    code, _, err = cli("check", copy, "--format", "json", "-o", copy)
    assert code == 2 and "拒绝覆盖" in err
    assert copy.read_bytes() == example_error.read_bytes()


@pytest.mark.parametrize(
    "args, code",
    [
        ([], 1),
        (["--exit-zero"], 0),
        (["--fail-on", "warning", "--select", "value-blank"], 0),
    ],
)
def test_exit_code_knobs(cli, example_error, args, code):
    assert cli("check", example_error, "--format", "plain", *args)[0] == code


def test_fail_on_warning(cli, tmp_path, example):
    blanked = tmp_path / "r.txt"
    blanked.write_text(example.read_text(encoding="utf-8").replace("\t1432\n", "\t\n", 1), encoding="utf-8")
    code, data = cli.json("check", example, "--fail-on", "warning")
    assert code == 0
    text = example.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.split("\n")) if ln == "\t规范性文件") + 2
    lines = text.split("\n")
    lines[line - 1] = "\t"
    blanked.write_text("\n".join(lines), encoding="utf-8")
    code, data = cli.json("check", blanked, "--select", "value-blank")
    assert code == 0 and data["reports"][0]["counts"]["warnings"] == 1
    code, _ = cli.json("check", blanked, "--select", "value-blank", "--fail-on", "warning")
    assert code == 1


def test_json_is_written_as_the_standard_library_would(monkeypatch):
    import json
    import sys

    from govreport_check.render.json import dumps

    document = {"version": 1, "reports": [{"path": "甲.txt", "counts": {"checks": 3}, "findings": [],
                                           "cells": [{"value": 12.5, "raw": "12.5万元", "line": None}]}]}
    assert dumps(document) == json.dumps(document, ensure_ascii=False, indent=2)
    huge = {"value": 10 ** 22}  # past 64 bits: orjson refuses, the standard library writes it
    assert dumps(huge) == json.dumps(huge, indent=2)
    monkeypatch.setitem(sys.modules, "orjson", None)  # not installed
    assert dumps(document) == json.dumps(document, ensure_ascii=False, indent=2)
