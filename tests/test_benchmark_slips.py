"""The slip measure (benchmarks/slips.py) on our example: every caught slip in sec3 or sec4 has its original
value among the candidates, and the prose or last year, when they can tell, put it first."""

import sys

from tests_paths import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import slips  # noqa: E402


def test_caught_slips_in_the_equations_keep_the_original_among_the_candidates():
    data = slips.run(120, seed=5, paths=[EXAMPLES / "示例区-2020.txt"])
    rows = data["rows"]
    assert len(rows) == 120 and {r["slip"] for r in rows} == set(slips.SLIPS)
    equations = [r for r in rows if r["cell"].split("/")[0] in ("sec3", "sec4")]
    assert equations and all(r["caught"] and r["named"] and r["among"] for r in equations)
    settled = [r for r in rows if r["settled"]]
    assert settled and all(r["first"] for r in settled)


def test_slips_are_the_ones_clerks_make():
    import random

    rng = random.Random(1)
    assert slips.slipped(1234, "swap", rng) in (2134, 1324, 1243)
    assert slips.slipped(7, "missing digit", rng) is None
    assert len(str(slips.slipped(56, "extra digit", rng))) == 3
    assert slips.slipped(56, "zero", rng) == 0 and slips.slipped(56, "blank", rng) == -1
