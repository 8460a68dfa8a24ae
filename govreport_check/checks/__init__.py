"""Check kinds. Each module runs one kind of rule declared in rules/*.yaml.

A module exposes `OPTIONS` (the YAML keys its rules may use beyond the common ones), optionally
`prepare(raw, templates) -> dict` (validate those keys at load time; raise ValueError with a Chinese message)
and `validate(rule, template)` (check references against one template), and `run(rule, report)`, which
yields one `Outcome` per thing it checked. It declares the names its facts' params carry, which rule messages
may use: `PARAMS`, or `params(rule)` when they depend on the rule. A new kind of check is a new module and a line here.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

KINDS = {
    "expr": "arith",
    "value": "values",
    "structure": "structure",
    "template-year": "template",
    "notice": "template",
    "year-consistency": "years",
    "sections": "sections",
    "instructions": "instructions",
    "mention": "mention",
    "prose": "prose",
    "pairing": "pairing",
    "copied": "copied",
    "section-empty": "empty",
    "stray-year": "stray_years",
    "across": "across",
    "ocr-confidence": "ocr",
}


@lru_cache(maxsize=None)
def module(kind: str) -> ModuleType:
    """Imported on first use, so a run imports only the kinds its rules have."""
    return importlib.import_module(f"govreport_check.checks.{KINDS[kind]}")
