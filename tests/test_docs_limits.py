"""docs/limits.md states every size limit the code has, with the code's default: the table cannot drift."""

from __future__ import annotations

import importlib
import re

from tests_paths import ROOT

MB = 1 << 20
MODULES = ("read", "layouts.text", "layouts.html", "layouts.docx", "layouts.pdf", "layouts.grid", "layouts.ocr")


def shown(default: int) -> str:
    return f"{default // MB} MB" if default >= MB and default % MB == 0 else f"{default:,}"


def test_every_limit_is_documented_with_its_default():
    from govreport_check import read

    for name in MODULES:
        importlib.import_module(f"govreport_check.{name}")
    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    wrong = []
    for name, default in sorted(read.LIMITS.items()):
        rows = [line for line in doc.splitlines() if line.startswith("|") and f"`{name}`" in line]
        values = {re.split(r"\s*\|\s*", row.strip("| "))[1] for row in rows}
        stated = {v for v in values if re.search(r"\d", v)}  # other rows only point at it (同网页)
        if not stated or not all(v.startswith(shown(default)) for v in stated):
            wrong.append((name, shown(default), sorted(values)))
    assert wrong == []
