from decimal import Decimal

from build import consistent_sec3, report_text
from govreport_check.findings import Fact
from govreport_check.model import Loc, Value
from govreport_check.report import load_report


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
    facts = load_report(path).records.facts
    rules = sorted(f.rule for f in facts)
    assert rules == ["row-missing", "row-missing", "row-shape", "row-unplaced"]
    unplaced = next(f for f in facts if f.rule == "row-unplaced")
    assert unplaced.params["label"] == "2.本地特有的一行"
    assert unplaced.loc.line == text.splitlines().index("\t2.本地特有的一行") + 2


def test_no_sec3_table_is_a_fact(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("测试区2020年政府信息公开工作年度报告\n一、总体情况\n收到申请0件。\n", encoding="utf-8")
    facts = load_report(path).records.facts
    assert Fact("table-missing", {"table": "收到和处理政府信息公开申请情况", "section": "三"}) in facts
