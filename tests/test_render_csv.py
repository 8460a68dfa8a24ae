"""CSV opens in Excel: a UTF-8 BOM first, a row per finding (check) or per cell (extract)."""

import csv
import io


def _rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_check_csv_has_a_row_per_finding_with_the_cell_and_the_correction(cli, example_error, tmp_path):
    code, out, _ = cli("check", example_error, tmp_path / "无此文件.txt", "--format", "csv")
    rows = _rows(out)
    assert code == 2
    assert list(rows[0]) == ["file", "unit", "year", "template", "rule", "severity", "table", "row", "column",
                             "value", "expected", "suggestion", "line", "message"]
    first = {k: v for k, v in rows[0].items() if k != "message"}
    assert first == {"file": str(example_error), "unit": "示例区", "year": "2020", "template": "2019",
                     "rule": "sec3-row-total", "severity": "error", "table": "sec3", "row": "三.一", "column": "总计",
                     "value": "23", "expected": "24", "suggestion": "sec3/三.一/科研机构=2", "line": "131"}
    assert [r["rule"] for r in rows] == ["sec3-row-total", "sec3-results-total", "input"]
    assert rows[2]["message"] == "文件不存在"


def test_extract_csv_starts_with_the_bom(cli, example):
    code, out, _ = cli("extract", example, "--format", "csv")
    assert code == 0 and _rows(out)[0]["table"] in ("sec2", "sec3", "sec4")
