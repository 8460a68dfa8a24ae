"""Regenerate the golden files: `python tests/update_golden.py`, then review the diff."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import CASES, golden_path, render  # noqa: E402

for name, args in CASES.items():
    path = golden_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(args), encoding="utf-8")
    print(f"wrote {path}")
