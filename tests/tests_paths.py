"""Paths shared by conftest and by parametrisations that run at collection time."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"
