"""Rows of figures whose labels a converter lost or moved: placed by template order only where their count fits the
gap they sit in and the table's arithmetic then holds; marked as placed by order; otherwise named as unplaced."""

from __future__ import annotations

from decimal import Decimal

from build import SEC3_COLUMNS, consistent_sec3, report_text
from govreport_check.report import load_report
from govreport_check.template.spec import builtin_templates


def shattered_markdown(template: str, year: int, sec3: dict) -> str:
    """sec3 as PDF-to-Markdown converters write it: each label on a line of its own, each row of figures a
    little pipe table of its own, and the column headings cut into fragments."""
    t = builtin_templates()[template]
    lines = report_text(template, year, sec3=sec3).splitlines()
    start = lines.index("三、收到和处理政府信息公开申请情况")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    rule = "|---" * 7 + "|"
    out = [lines[start], "", "| 申请人情况 | | | | | | |", rule, "| 自然人 | 商业企 | 科研机 | 社会公 | 法律服 | 其他 | 总计 |",
           "| | 业 | 构 | 益组织 | 务机构 | | |", ""]
    groups = {g.id: g.label for g in t.tables["sec3"].groups}
    seen = set()
    for r in t.tables["sec3"].rows:
        if r.group in groups and r.group not in seen:
            out += [groups[r.group], ""]
            seen.add(r.group)
        out += [r.label, "", "| " + " | ".join(map(str, sec3[r.id])) + " |", rule, ""]
    return "\n".join(lines[:start] + out + lines[end:]) + "\n"


def values(path):
    return {k: v.number for k, v in load_report(path).records.values.items()}


def test_shattered_markdown_reads_every_cell_and_marks_them(tmp_path, cli):
    sec3 = consistent_sec3("2021")
    plain, shattered = tmp_path / "plain.txt", tmp_path / "shattered.md"
    plain.write_text(report_text("2021", 2023, sec3=sec3), encoding="utf-8")
    shattered.write_text(shattered_markdown("2021", 2023, sec3), encoding="utf-8")
    assert values(shattered) == values(plain)
    code, out = cli.json("extract", shattered)
    marks = {c.get("placed") for c in out["reports"][0]["cells"] if c["table"] == "sec3"}
    assert marks == {"order"}
    assert all("placed" not in c for c in out["reports"][0]["cells"] if c["table"] != "sec3")
    code, out = cli.json("check", shattered)
    assert code == 0
    assert [f["rule"] for f in out["reports"][0]["findings"]] == ["rows-by-order"]


def test_lost_labels_in_a_gap_of_the_same_size(tmp_path, cli):
    sec3 = consistent_sec3()
    sec3["三.三.2"] = [1, 0, 0, 0, 0, 0, 1]
    sec3["三.四.1"] = [1, 1, 0, 0, 1, 1, 4]
    path = tmp_path / "r.txt"
    path.write_text(report_text(sec3=sec3, unlabelled_rows=("三.三.1", "三.三.2", "三.三.3")), encoding="utf-8")
    report = load_report(path)
    assert [(f.rule, f.params["first"], f.params["last"]) for f in report.records.facts] == \
        [("rows-by-order", "三.三.1", "三.三.3")]
    assert [report.records.get("sec3", "三.三.2", c).number for c in SEC3_COLUMNS] == [Decimal(n) for n in sec3["三.三.2"]]
    assert report.records.get("sec3", "三.三.2", "总计").placed == "order"
    assert report.records.get("sec3", "三.三.4", "总计").placed is None
    code, out, _ = cli("check", path, "-v", "--format", "rich", "--no-color", "--width", "100")
    assert "（按顺序）" in out


def test_more_free_rows_than_figures_is_not_guessed(tmp_path):
    """Three rows without labels where four template rows are free: nothing is placed, each row is named."""
    path = tmp_path / "r.txt"
    path.write_text(report_text(unlabelled_rows=("三.三.1", "三.三.2", "三.三.3"), drop_rows=("三.三.4",)),
                    encoding="utf-8")
    facts = load_report(path).records.facts
    assert [f.rule for f in facts].count("row-unplaced") == 3
    assert "rows-by-order" not in [f.rule for f in facts]


def test_placement_that_breaks_the_arithmetic_is_not_kept(tmp_path):
    sec3 = consistent_sec3()
    sec3["三.三.2"] = [1, 0, 0, 0, 0, 0, 5]  # its own total does not hold: not a sign the order is right
    path = tmp_path / "r.txt"
    path.write_text(report_text(sec3=sec3, unlabelled_rows=("三.三.1", "三.三.2")), encoding="utf-8")
    report = load_report(path)
    assert "rows-by-order" not in [f.rule for f in report.records.facts]
    assert ("sec3", "三.三.2", "总计") not in report.records.values


def test_a_blank_total_is_a_plausible_defect(tmp_path):
    """Order placement survives a blank 总计 in a placed row: the rules then report the blank."""
    sec3 = consistent_sec3()
    text = report_text(sec3=sec3, unlabelled_rows=("三.三.1", "三.三.2", "三.三.3"))
    lines = text.splitlines()
    group = lines.index("\t不予公开")  # the first unlabelled row's figures follow the group label
    lines[group + 7] = "\t"  # its 总计
    path = tmp_path / "r.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_report(path)
    assert "rows-by-order" in [f.rule for f in report.records.facts]
    assert report.records.get("sec3", "三.三.1", "总计").kind == "blank"
