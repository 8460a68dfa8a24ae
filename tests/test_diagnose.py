"""Single-cell mutations of consistent reports: the error must name the changed cell and restore its value."""

import random
from dataclasses import replace
from decimal import Decimal

from build import report_text
from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules


def mutations(report, rng: random.Random, count: int):
    keys = [k for k in report.records.values if k[0] in ("sec3", "sec4")]
    slips = [lambda v: v + rng.randint(1, 9), lambda v: max(v - rng.randint(1, 9), 0) if v else v + 1,
             lambda v: v * 10 + rng.randint(0, 9), lambda v: int(str(v)[::-1]) if v > 9 and str(v)[::-1] != str(v)
             else v + 10]
    for _ in range(count):
        key = rng.choice(keys)
        old = int(report.records.values[key].number)
        new = rng.choice(slips)(old)
        if new != old:
            yield key, old, new


def restore_rate(report, rng, count):
    rules = list(builtin_rules())
    named = restored = total = 0
    for key, old, new in mutations(report, rng, count):
        value = report.records.values[key]
        values = dict(report.records.values)
        values[key] = replace(value, number=Decimal(new), raw=str(new))
        result = check(replace(report, records=replace(report.records, values=values)), rules)
        errors = [f for f in result.findings if f.severity.value == "error"]
        assert errors, f"{key} {old}->{new} not caught"
        total += 1
        named += any(any((c.table, c.row, c.column) == key for c in f.cells) for f in errors)
        s = errors[0].suggestion
        restored += s is not None and (s.table, s.row, s.column) == key and s.value == old
    assert named == total
    return restored / total


def test_mutations_of_the_example_are_restored(example):
    rate = restore_rate(load_report(example), random.Random(1), 300)
    assert rate >= 0.9, rate


def test_mutations_of_a_2021_report_are_restored(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text("2021", 2023), encoding="utf-8")
    rate = restore_rate(load_report(path), random.Random(2), 300)
    assert rate >= 0.9, rate


def test_seed_mutations(seed):
    rate = restore_rate(load_report(seed), random.Random(3), 300)
    assert rate >= 0.9, rate


def mutate(report, changes: dict):
    values = dict(report.records.values)
    for key, new in changes.items():
        values[key] = replace(values[key], number=Decimal(new), raw=str(new))
    return replace(report, records=replace(report.records, values=values))


def suggestions(result):
    return {(s.table, s.row, s.column, int(s.value), s.reason) for f in result.findings if (s := f.suggestion)}


def test_typing_slips_are_named(example):
    report = load_report(example)
    rules = list(builtin_rules())
    key = ("sec3", "三.一", "自然人")  # 16 in the example
    for new, words in ((61, "相邻两位数字颠倒"), (166, "多录了一位数字"), (1, "漏录了一位数字"), (18, "有一位数字录错"),
                       (-16, "正负号颠倒")):
        found = suggestions(check(mutate(report, {key: new}), rules))
        assert {(t, r, c, v) for t, r, c, v, _ in found} == {(*key, 16)}, new
        assert words in next(iter(found))[4], (new, found)


def test_two_errors_in_one_row_are_both_named(example):
    report = load_report(example)
    changed = check(mutate(report, {("sec3", "三.一", "自然人"): 17, ("sec3", "三.一", "商业企业"): 5}),
                    list(builtin_rules()))
    assert {(r, c, v) for _, r, c, v, _ in suggestions(changed)} == {("三.一", "自然人", 16), ("三.一", "商业企业", 4)}


def test_adjacent_cells_swapped(example):
    report = load_report(example)
    changed = check(mutate(report, {("sec3", "三.一", "自然人"): 4, ("sec3", "三.一", "商业企业"): 16}),
                    list(builtin_rules()))
    found = suggestions(changed)
    assert {(r, c, v) for _, r, c, v, _ in found} == {("三.一", "自然人", 16), ("三.一", "商业企业", 4)}
    assert all("两格数值互换" in reason for *_, reason in found)


def test_blank_total_is_filled_from_its_parts(example):
    report = load_report(example)
    values = dict(report.records.values)
    key = ("sec3", "三.一", "总计")
    values[key] = replace(values[key], number=None, raw="", kind="blank")
    result = check(replace(report, records=replace(report.records, values=values)), list(builtin_rules()))
    assert {(r, c, v) for _, r, c, v, _ in suggestions(result)} == {("三.一", "总计", 23)}
    assert any("该格空白" in reason for *_, reason in suggestions(result))
    assert any(reason.startswith("现为空白，") for *_, reason in suggestions(result))  # not 现为 空


def test_real_published_defects_get_their_totals(cli, shared):
    """hongze_district_2023.pdf printed 0 as two sec4 总计 whose parts add up to 11 and 5."""
    code, data = cli.json("check", shared / "real" / "hongze_district_2023.pdf")
    found = {(s["row"], s["column"], s["value"]) for f in data["reports"][0]["findings"]
             if f["rule"] == "sec4-row-total" and (s := f["suggestion"])}
    assert code == 1
    assert found == {("行政复议", "总计", 11), ("复议后起诉", "总计", 5)}
    assert all("误填为 0" in f["message"] for f in data["reports"][0]["findings"] if f["rule"] == "sec4-row-total")
