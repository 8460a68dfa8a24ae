"""Text run together as a crawler takes it from a page: titles and rows re-split, runs of digits split back into
figures with the table's own arithmetic, and nothing guessed where the arithmetic cannot decide."""

from __future__ import annotations

import json
import random

import pytest

from build import report_text
from govreport_check.layouts import glued
from govreport_check.report import load_report
from govreport_check.template.spec import builtin_templates
from govreport_check.template.unglue import splits


def random_sec3(template: str, seed: int) -> dict[str, list[int]]:
    """A consistent sec3 with figures of one to three digits, many of them 0, as real tables have."""
    rng = random.Random(seed)
    rows = [r.id for r in builtin_templates()[template].tables["sec3"].rows]
    results = [r for r in rows if r.startswith("三.") and r != "三.七"]
    parts = {r: [0] * 6 for r in rows}
    for r in results:
        parts[r] = [rng.choice([0, 0, 0, rng.randrange(1, 10), rng.randrange(10, 200)]) for _ in range(6)]
    parts["三.七"] = [sum(parts[r][i] for r in results) for i in range(6)]
    parts["四"] = [rng.randrange(0, 1 + parts["三.七"][i] // 4) for i in range(6)]
    parts["二"] = [rng.randrange(0, 1 + parts["四"][i] + 1) for i in range(6)]
    parts["一"] = [parts["三.七"][i] + parts["四"][i] - parts["二"][i] for i in range(6)]
    return {r: v + [sum(v)] for r, v in parts.items()}


def cells(path) -> dict:
    return {k: (v.number, v.kind) for k, v in load_report(path).records.values.items()}


@pytest.mark.parametrize("template,year", [("2019", 2020), ("2021", 2023)])
@pytest.mark.parametrize("seed", range(6))
def test_glued_report_reads_every_cell_as_the_separated_one(template, year, seed, tmp_path):
    sec3 = random_sec3(template, seed)
    sec4 = [25, 0, 0, 4, 29, 2, 0, 1, 0, 3, 0, 0, 0, 1, 1]
    plain, run = tmp_path / "plain.txt", tmp_path / "glued.txt"
    plain.write_text(report_text(template, year, sec3=sec3, sec4=sec4), encoding="utf-8")
    run.write_text(report_text(template, year, sec3=sec3, sec4=sec4, glued=True), encoding="utf-8")
    report = load_report(run)
    assert report.document.layout == "glued"
    expected = cells(plain)
    assert cells(run) == expected
    assert [s.id for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    assert {f.rule for f in report.records.facts} == {"table-glued"}


def test_a_line_per_section_with_its_cells_run_together(tmp_path):
    """A crawler that keeps paragraphs but runs each table's cells together: the table lines alone are re-split."""
    plain, run = tmp_path / "plain.txt", tmp_path / "glued.txt"
    sec3 = random_sec3("2021", 7)
    plain.write_text(report_text("2021", 2023, sec3=sec3), encoding="utf-8")
    text = report_text("2021", 2023, sec3=sec3, glued=True)
    for title in ("一、总体情况", "二、主动公开", "三、收到和处理", "四、政府信息公开行政复议", "五、存在", "六、其他需要"):
        text = text.replace(title, "\n" + title)
    run.write_text(text, encoding="utf-8")
    assert cells(run) == cells(plain)


def test_renumbered_sections_run_together(tmp_path):
    """Titles are found by their words, not their numerals, in text run together too (shifted by one here)."""
    plain, run = tmp_path / "plain.txt", tmp_path / "glued.txt"
    sec3 = random_sec3("2021", 8)
    plain.write_text(report_text("2021", 2023, sec3=sec3), encoding="utf-8")
    text = report_text("2021", 2023, sec3=sec3, glued=True)
    for old, new in (("六、其他需要", "七、其他需要"), ("五、存在", "六、存在"), ("四、政府信息公开行政复议", "五、政府信息公开行政复议"),
                     ("三、收到和处理", "四、收到和处理"), ("二、主动公开", "三、主动公开")):
        text = text.replace(old, new)
    run.write_text(text.replace("三、主动公开", "二、工作机制保障全年召开专题会议3次。三、主动公开"), encoding="utf-8")
    assert cells(run) == cells(plain)


def test_a_row_a_line_with_its_cells_run_together(tmp_path):
    """Each row on a line of its own, but no separator between its cells."""
    plain, run = tmp_path / "plain.txt", tmp_path / "glued.txt"
    sec3 = random_sec3("2019", 9)
    plain.write_text(report_text(sec3=sec3), encoding="utf-8")
    heads = "".join(f"\t{h}\n" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    lines, out = report_text(sec3=sec3).replace("\t行政诉讼\n", "\t行政诉讼\n" + heads).splitlines(), []
    for line in lines:
        if line.startswith("\t") and out and out[-1].startswith("\t"):
            out[-1] += line[1:]
        elif line:
            out.append(line)
    run.write_text("\n".join(line.lstrip("\t") for line in out) + "\n", encoding="utf-8")
    assert load_report(run).document.layout.endswith("glued")
    assert cells(run) == cells(plain)


def test_full_width_digits_and_thousands_run_together(tmp_path):
    """`行政许可１，３２０` stays 1320, never 1 with the rest lost."""
    path = tmp_path / "glued.txt"
    text = report_text("2021", 2023, glued=True).replace("行政许可0", "行政许可１，３２０")
    path.write_text(text, encoding="utf-8")
    assert load_report(path).records.get("sec2", "行政许可", "本年处理决定数量").number == 1320


def test_figures_split_by_a_bracketed_note_are_named_not_guessed(tmp_path):
    """`行政处罚16751812（+137）946`: the note breaks the run, so the row is named as unreadable, never read as 9, 4, 6
    (whether the page runs on after it or the row ends the line)."""
    path = tmp_path / "glued.txt"
    figures = {"行政处罚": [1675, "1812（+137）", 946]}
    text = report_text("2019", 2020, glued=True, sec2_figures=figures)
    for variant in (text, text.replace("行政处罚", "\n行政处罚").replace("946", "946\n")):
        path.write_text(variant, encoding="utf-8")
        report = load_report(path)
        assert ("sec2", "行政处罚", "处理决定数量") not in report.records.values
        ambiguous = [f.params for f in report.records.facts if f.rule == "row-ambiguous"]
        assert [p["label"] for p in ambiguous] == ["行政处罚"]


def test_locations_point_at_the_file_line(tmp_path, cli):
    path = tmp_path / "glued.txt"
    text = report_text(glued=True)
    path.write_text(text, encoding="utf-8")
    body = text.splitlines().index(next(line for line in text.splitlines() if len(line) > 400)) + 1
    report = load_report(path)
    assert {v.loc.line for v in report.records.values.values()} == {body}
    code, out = cli.json("extract", path)
    assert {c["line"] for c in out["reports"][0]["cells"]} == {body}


def test_a_real_defect_is_still_found(tmp_path, cli):
    """A 总计 of zeros under filled parts stays an error: the split that keeps the row's own figures wins."""
    sec3 = random_sec3("2021", 3)
    sec3["三.七"] = [*sec3["三.七"][:6], 0]
    path = tmp_path / "glued.txt"
    path.write_text(report_text("2021", 2023, sec3=sec3, glued=True), encoding="utf-8")
    code, out = cli.json("check", path)
    assert code == 1
    rules = {f["rule"] for f in out["reports"][0]["findings"]}
    assert "sec3-row-total" in rules


def test_a_tie_names_the_row_and_its_candidates(tmp_path):
    path = tmp_path / "glued.txt"
    path.write_text(report_text(glued=True, sec2_figures={"规范性文件": [14, 14, 86]}), encoding="utf-8")
    report = load_report(path)
    ambiguous = [f for f in report.records.facts if f.rule == "row-ambiguous"]
    assert [(f.params["label"], f.params["digits"]) for f in ambiguous] == [("规范性文件", "141486")]
    assert ambiguous[0].params["candidates"].startswith("1、4、1486；")
    assert ("sec2", "规范性文件", "本年新制作数量") not in report.records.values
    assert not [f for f in report.records.facts if f.rule == "row-missing"]  # said once, not twice


def test_sec4_split_two_ways_is_not_guessed(tmp_path):
    """3 1 0 12 16 and 3 10 1 2 16 both keep the row's total: the data row is named, nothing placed."""
    path = tmp_path / "glued.txt"
    path.write_text(report_text(sec4=[3, 1, 0, 12, 16, 2, 0, 1, 0, 3, 0, 0, 0, 1, 1], glued=True), encoding="utf-8")
    report = load_report(path)
    ambiguous = [f for f in report.records.facts if f.rule == "row-ambiguous"]
    assert [f.params["digits"] for f in ambiguous] == ["31012162010300011"]
    assert "3、1、0、12、16" in ambiguous[0].params["candidates"]
    assert "3、10、1、2、16" in ambiguous[0].params["candidates"]
    assert not [k for k in report.records.values if k[0] == "sec4"]
    assert not [f for f in report.records.facts if f.rule in ("row-missing", "table-missing")]


def test_splits_have_no_leading_zeros():
    found = splits("801000081", 7)
    assert (80, 1, 0, 0, 0, 0, 81) in found
    assert all("".join(map(str, c)) == "801000081" for c in found)
    assert splits("1000", 3) == [(10, 0, 0)]
    assert splits("12", 3) == []
    assert splits("4241175583533246112387", 7, 1) == [(424, 117, 558, 353, 324, 611, 2387)]
    assert splits("110024001510102", 15, 3) == [(1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)]


def test_reports_with_their_line_breaks_are_left_alone(example):
    lines = tuple(example.read_text(encoding="utf-8").splitlines())
    assert glued.reflow(lines) is None
    long_prose = ("一、总体情况" + "全年主动公开信息1200条，" * 40,)
    assert glued.reflow(long_prose) is None


def test_pingtan_reads_every_cell(shared, cli):
    """The real crawled page: every expected cell, and a pass."""
    name = "pingtan_2023.page.txt"
    expected = json.loads((shared / "real" / "EXPECTED.json").read_text(encoding="utf-8"))[name]["cells"]
    code, out = cli.json("extract", shared / "real" / name)
    got = {(c["table"], c["row"], c["column"]): c["value"] for c in out["reports"][0]["cells"]}
    wrong = [c for c in expected if got.get((c["table"], c["row"], c["column"])) != c["value"]]
    assert wrong == []
    code, _ = cli.json("check", shared / "real" / name)
    assert code == 0
