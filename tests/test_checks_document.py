"""Template, year, notice, sections, leftover instructions and the fee mention, on whole built reports."""

from types import SimpleNamespace

from build import report_text
from govreport_check.checks.instructions import run as run_instructions
from govreport_check.model import Loc
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules

RULES = list(builtin_rules())


def findings(tmp_path, **settings):
    path = tmp_path / "r.txt"
    path.write_text(report_text(**settings), encoding="utf-8")
    return check(load_report(path), RULES).findings


def rules_of(found):
    return sorted(f.rule for f in found)


def test_clean_built_reports_raise_nothing(tmp_path):
    assert rules_of(findings(tmp_path)) == []
    assert rules_of(findings(tmp_path, template="2021", year=2023)) == []


def test_2019_template_in_a_2022_report_is_an_error_naming_both(tmp_path):
    [f] = findings(tmp_path, template="2019", year=2022)
    assert (f.rule, f.severity.value) == ("template-outdated", "error")
    assert "2019" in f.message and "国办公开办函〔2021〕30号" in f.message


def test_corpus_wrong_template_case_fails_on_the_template_rule(cli, shared):
    code, data = cli.json("check", shared / "corpus" / "sample2019-in-2022-wrong-template.txt")
    assert code == 1
    assert [f["rule"] for f in data["reports"][0]["findings"] if f["severity"] == "error"] == ["template-outdated"]


def test_wrong_notice_and_disagreeing_years_are_warnings(tmp_path):
    found = findings(tmp_path, template="2021", year=2023, notice="国办公开办函〔2019〕60号", period_year=2022)
    assert rules_of(found) == ["template-notice", "year-mismatch"]
    assert all(f.severity.value == "warning" for f in found)
    notice = next(f for f in found if f.rule == "template-notice")
    assert notice.loc.line == 4 and "〔2019〕60号" in notice.message


def test_missing_section_and_leftover_instructions(tmp_path):
    found = findings(tmp_path, omit=("六",), extra=("编写说明：本部分（文字描述存在的问题）",))
    assert rules_of(found) == ["sections-complete", "template-instructions"]
    assert "第六部分" in next(f.message for f in found if f.rule == "sections-complete")


def test_fee_rows_need_a_mention_in_section_six(tmp_path):
    assert rules_of(findings(tmp_path, template="2021", year=2023, fee_rows=1)) == ["fee-mentioned"]
    assert findings(tmp_path, template="2021", year=2023, fee_rows=1, section6="收取信息处理费200元。") == ()


def test_rules_by_body_only_for_bodies_without_rulemaking_power(tmp_path):
    text = report_text().replace("\t规章\n\t0\n\t0\n\t0", "\t规章\n\t1\n\t1\n\t3")
    for title, expected in (("测试区2020年政府信息公开工作年度报告", ["sec2-rules-by-body"]),
                            ("测试市人民政府2020年政府信息公开工作年度报告", []),
                            ("广西壮族自治区人民政府2020年政府信息公开工作年度报告", [])):
        path = tmp_path / "r.txt"
        path.write_text(text.replace("测试区2020年政府信息公开工作年度报告", title), encoding="utf-8")
        assert rules_of(check(load_report(path), RULES).findings) == expected, title


def test_template_instructions_are_found_line_by_line(tmp_path):
    from govreport_check.rules.load import builtin_rules

    rule = next(r for r in builtin_rules() if r.kind == "instructions")
    lines = ("标题", "（文字描述本单位", "情况）此处报告 编写说明", "", "XX年 共XX件", "（请填写）")
    report = SimpleNamespace(document=SimpleNamespace(lines=lines), path="r.txt", at=lambda n: Loc("r.txt", n))
    found = [(o.fact.params["line"], o.fact.params["text"]) for o in run_instructions(rule, report)]
    expected = []
    for n, line in enumerate(lines, start=1):
        m = rule.options["any"].search(line)
        if m:
            expected.append((n, m.group(0)))
    assert found == expected == [(2, "（文字描述本单位"), (3, "此处报告"), (5, "XX年"), (6, "（请填写）")]


def test_instruction_patterns_that_look_past_a_line_are_searched_line_by_line():
    from govreport_check.checks.instructions import prepare

    assert prepare({"patterns": ["编写说明"]}, None)["whole"] is not None
    looks_ahead = prepare({"patterns": ["说明(?!\\s)"]}, None)
    assert looks_ahead["whole"] is None  # `说明` ending a line matches alone, not in the whole text
    report = SimpleNamespace(document=SimpleNamespace(lines=("编写说明", "下一行")), path="r.txt",
                             at=lambda n: Loc("r.txt", n))
    rule = SimpleNamespace(id="x", options=looks_ahead)
    assert [o.fact.params["line"] for o in run_instructions(rule, report) if o.fact] == [1]
