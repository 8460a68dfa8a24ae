from dataclasses import replace
from decimal import Decimal

import pytest

from build import consistent_sec3, report_text
from govreport_check.findings import Fact
from govreport_check.model import Cell, Loc, Value
from govreport_check.report import load_report
from govreport_check.template.match import match


def test_example_places_every_cell(example):
    report = load_report(example)
    assert report.template.id == "2019"
    assert (report.year, report.unit, report.encoding) == (2020, "示例区", "utf-8")
    tables = [k[0] for k in report.records.values]
    assert (tables.count("sec2"), tables.count("sec3"), tables.count("sec4")) == (22, 161, 15)
    assert report.records.facts == ()
    path = str(example)
    assert report.records.get("sec3", "三.一", "科研机构") == Value(Decimal(2), "2", "number", Loc(path, 131))
    assert report.records.get("sec2", "行政许可", "本年增/减") == Value(
        Decimal(47), "403（+47）", "number", Loc(path, report.records.get("sec2", "行政许可", "本年增/减").loc.line),
        note=Decimal(403))
    assert report.records.get("sec2", "政府集中采购", "采购总金额").unit == "万元"


def test_2021_template_detected_from_labels_and_all_rows_placed(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text("2021", 2023), encoding="utf-8")
    report = load_report(path)
    assert report.template.id == "2021"
    assert report.year == 2023
    assert report.records.facts == ()
    assert len([k for k in report.records.values if k[0] == "sec3"]) == 175
    assert report.records.get("sec3", "三.六.1", "总计").number == 0


def test_missing_and_unplaced_rows_are_facts_not_shifts(tmp_path):
    sec3 = consistent_sec3()
    del sec3["三.三.8"]
    text = report_text(sec3=sec3).replace("\t2.重复申请\n", "\t2.本地特有的一行\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = load_report(path)
    facts = report.records.facts
    rules = sorted(f.rule for f in facts)
    assert rules == ["row-missing", "row-unplaced"]  # 三.五.2 (its label reworded) missing; 三.三.8 read blank
    assert {report.records.get("sec3", "三.三.8", c).kind for c in ("自然人", "总计")} == {"blank"}
    unplaced = next(f for f in facts if f.rule == "row-unplaced")
    assert unplaced.params["label"] == "2.本地特有的一行"
    assert unplaced.loc.line == text.splitlines().index("\t2.本地特有的一行") + 2


def test_no_table_at_all_is_one_fact_and_no_template(tmp_path, cli):
    """Tables published as images: one cause, said once; nothing claims a template the tables never showed."""
    path = tmp_path / "r.txt"
    path.write_text("测试区2023年政府信息公开工作年度报告\n一、总体情况\n收到申请0件。\n", encoding="utf-8")
    records = load_report(path).records
    assert records.facts == (Fact("tables-absent", {}),)
    assert records.known is False
    code, out = cli.json("check", path)
    assert (code, out["reports"][0]["template"]) == (1, None)


def test_no_sec3_table_is_a_fact(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text(omit=("三",)), encoding="utf-8")
    facts = load_report(path).records.facts
    assert Fact("table-missing", {"table": "收到和处理政府信息公开申请情况", "section": "三"}) in facts


@pytest.mark.parametrize("settings", [
    {"template": "2021", "year": 2023, "drop_rows": ("三.六.1", "三.六.2", "三.六.3")},
    {"template": "2021", "year": 2023, "drop_rows": ("三.六.1", "三.六.2", "三.六.3"), "omit": ("二",)},
    {"template": "2021", "year": 2023, "omit": ("二", "三", "四")},
])
def test_rows_a_report_dropped_claim_no_template(settings, tmp_path, cli):
    """A 2021 report without its （六） rows is not a 2019 report: no template-outdated, no template-mixed."""
    path = tmp_path / "r.txt"
    path.write_text(report_text(**settings), encoding="utf-8")
    code, out = cli.json("check", path)
    rules = {f["rule"] for f in out["reports"][0]["findings"]}
    assert not rules & {"template-outdated", "template-mixed"}


def test_a_sec2_hard_to_read_is_no_evidence_of_a_mixed_template(tmp_path):
    """A 2019 sec2 whose rows cannot all be read (cells run together around 403（+47）) fits the 2021 sec2 no
    better: its headings are 2019's, so no template-mixed."""
    figures = {"规范性文件": [14, 14, 86], "行政许可": [356, "403（+47）", 2684],
               "其他对外管理服务事项": [212, "198（-14）", 1357], "政府集中采购": [35, "1280.56"]}
    path = tmp_path / "r.txt"
    path.write_text(report_text("2019", 2020, glued=True, sec2_figures=figures), encoding="utf-8")
    report = load_report(path)
    assert report.template.id == "2019"
    assert "template-mixed" not in [f.rule for f in report.records.facts]


def test_the_old_sec3_under_a_new_sec2_is_still_mixed(tmp_path, cli):
    path = tmp_path / "r.txt"
    path.write_text(report_text("2019", 2023, mixed=True), encoding="utf-8")
    code, out = cli.json("check", path)
    assert {"template-outdated", "template-mixed"} <= {f["rule"] for f in out["reports"][0]["findings"]}
    assert out["reports"][0]["template"] == "2019"


def _table(section: str, *rows: list[str]):
    from govreport_check.layouts.cells import table

    t = table([[Cell(text, Loc("r.txt", n)) for text in row] for n, row in enumerate(rows, 1)])
    return replace(t, section=section)


def _sec3(*rows: list[str]):
    from govreport_check.template.spec import builtin_templates

    return match(builtin_templates()["2019"], (_table("三", *rows),))


def test_extra_local_row_is_an_info_fact_when_every_template_row_is_there(tmp_path):
    text = report_text().replace("\t四、结转下年度继续办理\n", "\t其中：网上申请\n\t1\n" + "\t0\n" * 5 + "\t1\n\n\t四、结转下年度继续办理\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    [fact] = load_report(path).records.facts
    assert (fact.rule, fact.params["label"], fact.params["found"]) == ("row-extra", "其中：网上申请", 7)


def test_sec4_rows_named_by_their_group_and_a_bracketed_row(tmp_path):
    text = report_text().replace(
        "\t行政复议\n\t行政诉讼\n\n" + "".join(f"\t{v}\n" for v in [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]),
        "".join(f"\t{lab}\n" + "".join(f"\t{v}\n" for v in vals) + "\n" for lab, vals in [
            ("行政复议", [1, 0, 0, 1, 2]), ("行政诉讼（未经复议直接起诉）", [0, 1, 0, 0, 1]),
            ("行政诉讼（复议后起诉）", [0, 0, 0, 0, 0])]))
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = load_report(path)
    assert report.records.facts == ()
    assert report.records.get("sec4", "未经复议直接起诉", "结果纠正").number == 1


def test_a_label_fragment_shared_by_several_rows_places_nothing():
    records = _sec3(["政府信息", "1", "0", "0", "0", "0", "0", "1"])
    assert [f.rule for f in records.facts if f.rule == "row-unplaced"] == ["row-unplaced"]
    assert not any(k[0] == "sec3" for k in records.values)


def test_wrapped_or_merged_labels_still_name_their_row():
    records = _sec3(["通知要求缴纳费用、行政机关不再处理", "1", "0", "0", "0", "0", "0", "1"],
                    ["三、本年度办理结果（一）予以公开", "2", "0", "0", "0", "0", "0", "2"],
                    ["处理的，只计这一情形，不计其他情形）", "3", "0", "0", "0", "0", "0", "3"])
    assert records.get("sec3", "三.一", "总计").number == 2
    assert not any(k[1] == "三.六" for k in records.values)
    assert sum(f.rule == "row-unplaced" for f in records.facts) == 2


def test_headings_and_repeated_merged_labels():
    records = _sec3(["申请人情况/自然人", "申请人情况/总计"],
                    ["三、本年度办理结果", "（七）总计", "（七）总计", "4", "0", "0", "0", "0", "0", "4"],
                    ["（三）不予公开"])
    assert records.get("sec3", "三.七", "总计").number == 4
    assert not any(f.rule in ("row-shape", "row-unplaced") for f in records.facts)


def test_new_sec2_with_old_sec3_is_read_and_reported_as_mixed(tmp_path):
    from build import report_text

    old, new = report_text("2019", 2020), report_text("2021", 2020)

    def section_two(text):
        return text[text.index("二、主动公开"):text.index("三、收到和处理")]

    path = tmp_path / "mixed.txt"
    path.write_text(old.replace(section_two(old), section_two(new)), encoding="utf-8")
    report = load_report(path)
    assert report.template.id == "2019"
    assert [f.rule for f in report.records.facts] == ["template-mixed"]
    assert report.records.get("sec2", "行政许可", "本年处理决定数量").number == 0
    assert len([k for k in report.records.values if k[0] == "sec3"]) == 161


def test_misspelt_numbered_row_is_placed_by_its_number(tmp_path):
    from build import report_text

    path = tmp_path / "typo.txt"
    path.write_text(report_text().replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), encoding="utf-8")
    report = load_report(path)
    assert [(f.rule, f.params["row"]) for f in report.records.facts] == [("row-label-differs", "三.三.2")]
    assert report.records.get("sec3", "三.三.2", "总计").raw == "0"


@pytest.mark.parametrize("row,damaged", [
    ("一", "一、本年新收政府信患公开申请数"),  # a misread character and a dropped one, no numbering to go by
    ("三.四.1", "1.本机关不掌屋相关政府信息（含咨询类）"),  # a local note in brackets
    ("三.五.4", "无正当理由大量反复申谓"),  # numbering lost as well
    ("三.二", "（二）部分公幵"),  # a look-alike character from a damaged text layer
])
def test_damaged_label_is_placed_by_order_and_flagged(row, damaged, tmp_path):
    sec3 = consistent_sec3()
    label = next(r.label for r in load_report_template().tables["sec3"].rows if r.id == row)
    path = tmp_path / "damaged.txt"
    path.write_text(report_text(sec3=sec3).replace(f"\t{label}\n", f"\t{damaged}\n"), encoding="utf-8")
    report = load_report(path)
    assert [(f.rule, f.params["row"]) for f in report.records.facts] == [("row-label-differs", row)]
    got = [report.records.get("sec3", row, c).number for c in ("自然人", "商业企业", "科研机构", "社会公益组织",
                                                               "法律服务机构", "其他", "总计")]
    assert got == [Decimal(n) for n in sec3[row]]


def test_similarity_never_places_a_row_against_the_order(tmp_path):
    """A label most like 1.属于国家秘密, written where 三.三.5 belongs (after 4, before 6), is not put on 三.三.1."""
    path = tmp_path / "damaged.txt"
    path.write_text(report_text().replace("\t5.属于三类内部事务信息\n", "\t5.属于国家秘蜜\n"), encoding="utf-8")
    report = load_report(path)
    rules = [f.rule for f in report.records.facts]
    assert "row-duplicate" not in rules
    assert report.records.get("sec3", "三.三.1", "总计").raw == "0"
    assert all(f.params.get("row") != "三.三.1" for f in report.records.facts)


def load_report_template():
    from govreport_check.template.spec import builtin_templates

    return builtin_templates()["2019"]


def test_tell_tale_labels_are_read_from_the_table_cells():
    from govreport_check.model import Table
    from govreport_check.template.match import _label_text

    loc = Loc("r.txt", 1)
    wrapped = Table(((Cell("本年制发", loc), Cell("件数", loc), Cell("3", loc)),), loc, 1, "二")
    assert "本年制发件数" in _label_text(("正文不算",), (wrapped,))  # a label wrapped over two cells reads whole
    assert "正文" not in _label_text(("正文不算",), (wrapped,))
    assert _label_text(("本年制发件数 3",), ()) == "本年制发件数3"  # no tables: the text is all there is
