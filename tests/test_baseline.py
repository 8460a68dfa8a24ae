"""--write-baseline records today's findings by unit, year, rule and cell; --baseline reports only new ones."""

import json
import shutil

import pytest

from build import edit_line


@pytest.fixture
def draft(tmp_path, example_error):
    path = tmp_path / "示例区2020年度报告.txt"
    shutil.copy(example_error, path)
    return path



def test_write_baseline_records_the_findings_sorted_and_exits_0(cli, draft, tmp_path):
    code, out, err = cli("check", draft, "--write-baseline", tmp_path / "baseline.json", "--format", "plain")
    assert code == 0 and "P1" in out and f"提示：已把 2 条发现写入基线 {tmp_path / 'baseline.json'}" in err
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8")) == {
        "tool": "govreport-check", "version": 1, "findings": [
            {"unit": "示例区", "year": 2020, "rule": "sec3-results-total", "cell": "sec3/三.七/科研机构", "count": 1,
             "message": "科研机构列：（七）总计为 2，各项办理结果之和为 3，相差 -1"},
            {"unit": "示例区", "year": 2020, "rule": "sec3-row-total", "cell": "sec3/三.一/总计", "count": 1,
             "message": "（一）予以公开：总计为 23，六类申请人之和为 24，相差 -1"}]}


def test_known_findings_pass_also_when_lines_move(cli, draft, tmp_path):
    cli("check", draft, "--write-baseline", tmp_path / "baseline.json")
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("\n", "\n补充说明一段文字。\n", 1), encoding="utf-8")  # every line moves down
    code, out, _ = cli("check", draft, "--baseline", tmp_path / "baseline.json", "--format", "plain")
    assert code == 0
    assert out == f"{draft}: pass — 未发现问题；检查 210 项：通过 208，未通过 2（已在基线中 2）\n"


def test_a_new_mistake_fails_and_only_it_is_reported(cli, draft, tmp_path):
    cli("check", draft, "--write-baseline", tmp_path / "baseline.json")
    edit_line(draft, 139, "\t5", "\t6")  # （二）部分公开 / 自然人
    code, data = cli.json("check", draft, "--baseline", tmp_path / "baseline.json")
    report = data["reports"][0]
    assert code == 1
    assert sorted(f["rule"] for f in report["findings"]) == ["sec3-results-total", "sec3-row-total"]
    assert {f["cells"][0]["row"] for f in report["findings"]} == {"三.二", "三.七"}
    assert report["counts"]["baselined"] == 2 and report["counts"]["errors"] == 2
    assert [p["findings"] for p in report["problems"]] == [[0, 1]]


def test_fixed_findings_are_mentioned(cli, draft, example, tmp_path):
    cli("check", draft, "--write-baseline", tmp_path / "baseline.json")
    shutil.copy(example, draft)
    code, _, err = cli("check", draft, "--baseline", tmp_path / "baseline.json", "--format", "plain")
    assert code == 0 and "中有 2 条发现已不再出现（已改正）" in err


@pytest.mark.parametrize("text, said", [
    (None, "基线文件不存在"),
    ("{", "基线文件不是有效的 JSON"),
    ('{"tool": "ruff", "findings": []}', "不是 govreport-check 的基线文件"),
    ('{"tool": "govreport-check", "version": 9, "findings": []}', "基线文件版本 9 不受支持"),
    ('{"tool": "govreport-check", "version": 1, "findings": [{"rule": "x"}]}', "第 1 条记录缺少 unit 或 rule"),
])
def test_a_broken_baseline_is_an_input_error(cli, draft, tmp_path, text, said):
    path = tmp_path / "baseline.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    code, out, err = cli("check", draft, "--baseline", path)
    assert code == 2 and out == "" and said in err and str(path) in err


def test_each_entry_covers_as_many_findings_as_it_counts(cli, draft, tmp_path):
    path = tmp_path / "baseline.json"
    cli("check", draft, "--write-baseline", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["findings"][1]["count"] = 0  # sec3-row-total known no more
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, data = cli.json("check", draft, "--baseline", path)
    assert code == 1 and [f["rule"] for f in data["reports"][0]["findings"]] == ["sec3-row-total"]
    assert data["reports"][0]["counts"]["baselined"] == 1
