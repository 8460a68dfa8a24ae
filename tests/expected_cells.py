"""Compare what a report reads as with the hand-checked cells in ../shared/*/EXPECTED.json."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from govreport_check.report import load_report


def expected(shared: Path, folder: str, name: str) -> dict:
    return json.loads((shared / folder / "EXPECTED.json").read_text(encoding="utf-8"))[name]


def mismatches(shared: Path, folder: str, name: str) -> list:
    """Listed cells read differently (or not at all), as (table, row, column, expected, read)."""
    records = load_report(shared / folder / name).records
    out = []
    for c in expected(shared, folder, name)["cells"]:
        value = records.get(c["table"], c["row"], c["column"])
        number = value.number if value is not None else "missing"
        if c["value"] is None and value is not None and value.number is None:
            continue
        if c["value"] is None or number != Decimal(str(c["value"])):
            out.append((c["table"], c["row"], c["column"], c["value"], number))
    return out


def assert_case(shared: Path, cli, folder: str, name: str) -> None:
    """Every listed cell read as checked by hand, and the verdict the case expects."""
    assert mismatches(shared, folder, name) == []
    case = expected(shared, folder, name)
    code, _, _ = cli("check", shared / folder / name)
    assert code == (1 if case.get("verdict", "fail" if case.get("known_defects") else "pass") == "fail" else 0)
