"""Rule quality of life from the CLI: listing, explaining, checking a rule file, and the generated reference."""

import json

from tests_paths import ROOT


def test_docs_rules_md_is_current(cli):
    code, out, _ = cli("rules", "--format", "markdown")
    assert code == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == out, (
        "docs/rules.md is stale: run `govreport-check rules --format markdown > docs/rules.md`")


def test_docs_list_every_rule(cli):
    _, out, _ = cli("rules", "--format", "json")
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f"## {r['id']}\n" in docs for r in json.loads(out))


def test_explain_shows_description_reads_and_examples(cli):
    code, out, _ = cli("explain", "sec3-balance", "--width", "200", "--no-color")
    assert code == 0
    for words in ("申请数量勾稽关系", "第一项", "读取", "一 + 二 == 三.七 + 四", "通过示例", "不通过示例"):
        assert words in out


def test_explain_unknown_rule_exits_2_with_hint(cli):
    code, out, err = cli("explain", "sec3-nope")
    assert code == 2
    assert "没有 id 为 sec3-nope 的规则" in err and "sec3-balance" in err


def test_rules_check_accepts_a_good_file_and_rejects_a_bad_one(cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("rules:\n  - id: local\n    name: 本地\n    severity: info\n    message: m\n"
                    "    table: sec4\n    foreach: row\n    expr: \"总计 >= 0\"\n", encoding="utf-8")
    code, out, _ = cli("rules", "--check", good)
    assert code == 0 and "1 条规则" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("总计 >= 0", "合计 >= 0"), encoding="utf-8")
    code, out, err = cli("rules", "--check", bad)
    assert code == 2 and f"{bad}:8" in err and "没有列 合计" in err


def test_rule_file_problems_each_exit_2(cli, tmp_path):
    base = "rules:\n  - id: a\n    name: 甲\n    severity: info\n    message: m\n    table: sec4\n    foreach: row\n"
    cases = {
        "unknown key": (base + "    expr: \"总计 >= 0\"\n    colour: red\n", "未知字段"),
        "unknown row": (base.replace("foreach: row", "foreach: column") + "    expr: \"行政复议2 >= 0\"\n", "没有行"),
        "bad expression": (base + "    expr: \"总计 >= (0\"\n", "语法错误"),
        "duplicate id": (base + "    expr: \"总计 >= 0\"\n" + base.replace("rules:\n", "") + "    expr: \"总计 >= 0\"\n",
                         "重复"),
        "unknown kind": (base + "    kind: magic\n", "未知的规则类型"),
    }
    for name, (text, words) in cases.items():
        path = tmp_path / f"{name.replace(' ', '-')}.yaml"
        path.write_text(text, encoding="utf-8")
        code, out, err = cli("rules", "--check", path)
        assert code == 2 and words in err and str(path) in err, name
