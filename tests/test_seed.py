"""The report this project started from: a real 2020 district report in the Word copy-paste layout."""

import re

import pytest

from govreport_check.report import load_report

SEC3_ROWS = {  # row: the seven figures, as printed in the seed
    "一": [6, 10, 7, 0, 12, 0, 35],
    "三.一": [0, 5, 2, 0, 0, 0, 7],
    "三.二": [2, 0, 1, 0, 0, 0, 3],
    "三.三.5": [0, 0, 1, 0, 2, 0, 3],
    "三.三.7": [0, 0, 0, 0, 2, 0, 2],
    "三.四.1": [2, 1, 1, 0, 2, 0, 6],
    "三.四.3": [1, 1, 0, 0, 0, 0, 2],
    "三.六": [1, 3, 2, 0, 6, 0, 12],
    "三.七": [6, 10, 7, 0, 12, 0, 35],
}
SEC4 = [0, 0, 0, 4, 4] + [0] * 10


def section_numbers(lines, first, last):
    """Independent of the parser: every number line between two section titles, in order."""
    start = next(i for i, ln in enumerate(lines) if ln.lstrip(" ").startswith(first))
    end = next(i for i, ln in enumerate(lines) if ln.lstrip(" ").startswith(last))
    return [(int(ln.strip()), i + 1) for i, ln in enumerate(lines[start:end], start) if re.fullmatch(r"\t\d+", ln)]


def test_check_passes_with_template_year_and_enough_checks(cli, seed):
    code, data = cli.json("check", seed)
    report = data["reports"][0]
    assert code == 0
    assert (report["template"], report["year"], report["encoding"], report["status"]) == ("2019", 2020, "utf-8", "pass")
    assert report["counts"]["checks"] >= 40
    assert report["counts"]["passed"] == report["counts"]["checks"]
    assert report["findings"] == []


def test_extract_returns_every_sec3_and_sec4_cell(cli, seed):
    code, data = cli.json("extract", seed)
    assert code == 0
    cells = data["reports"][0]["cells"]
    sec3 = [c for c in cells if c["table"] == "sec3"]
    sec4 = [c for c in cells if c["table"] == "sec4"]
    assert (len(sec3), len(sec4)) == (161, 15)
    lines = seed.read_text(encoding="utf-8").splitlines()
    assert [(c["value"], c["line"]) for c in sec3] == section_numbers(lines, "三、", "四、")
    assert [(c["value"], c["line"]) for c in sec4] == section_numbers(lines, "四、", "五、")
    for row, figures in SEC3_ROWS.items():
        assert [c["value"] for c in sec3 if c["row"] == row] == figures
    assert [c["value"] for c in sec4] == SEC4
    assert {c["raw"] for c in cells if c["table"] == "sec2" and c["column"] == "本年增/减"} >= {"512（+284）"}


def seed_cells():
    from tests_paths import SHARED

    path = SHARED / "seed" / "yantian-2020.txt"
    if not path.is_file():
        return []
    report = load_report(path)
    return [k for k in report.records.values if k[0] in ("sec3", "sec4")]


@pytest.mark.parametrize("key", seed_cells(), ids=lambda k: "/".join(k))
def test_changing_any_sec3_or_sec4_number_is_caught_and_pointed_at(cli, seed, tmp_path, key):
    report = load_report(seed)
    value = report.records.values[key]
    lines = seed.read_text(encoding="utf-8").split("\n")
    new = int(value.number) + 3
    lines[value.loc.line - 1] = f"\t{new}"
    mutated = tmp_path / "seed.txt"
    mutated.write_text("\n".join(lines), encoding="utf-8")
    code, data = cli.json("check", mutated)
    assert code == 1
    errors = [f for f in data["reports"][0]["findings"] if f["severity"] == "error"]
    hits = [f for f in errors if any((c["table"], c["row"], c["column"]) == key and c["value"] == new
                                     for c in f["cells"])]
    assert hits, f"no error reads the changed cell {key}"
    problems = [p for p in data["reports"][0]["problems"] if p["severity"] == "error"]
    assert len(problems) == 1, "one changed cell is one problem"
    named = [(s["table"], s["row"], s["column"], s["value"]) for s in [problems[0]["suggestion"]] +
             problems[0]["alternatives"]]
    assert (*key, int(value.number)) in named
    if key[0] == "sec3":  # sec3 cells sit in a row rule and a column rule: the crossing names the cell, alone
        assert problems[0]["alternatives"] == [] and named[0] == (*key, int(value.number))
        assert any(f["line"] == value.loc.line for f in hits)
