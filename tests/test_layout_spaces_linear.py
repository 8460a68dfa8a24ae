"""The space-aligned reader does work linear in the text: twice the lines, about twice the steps. Steps are counted
(lines executed in layouts/spaces.py), not timed, so the test says the same on any machine."""

from __future__ import annotations

import random
import sys

from govreport_check.layouts import spaces


def spaced(rows: int) -> list[str]:
    rng = random.Random(rows)
    lines = ["三、收到和处理政府信息公开申请情况"]
    for _ in range(rows):
        lines.append("   ".join(["（一）予以公开", *(str(rng.randrange(100)) for _ in range(7))]))
        lines.append("   续行说明文字")
    return lines


def steps(lines: list[str]) -> int:
    count = 0
    source = spaces.__file__

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def trace(frame, event, arg):
        return local if frame.f_code.co_filename == source else None

    sys.settrace(trace)
    try:
        spaces.read_tables(lines, "spaced.txt")
    finally:
        sys.settrace(None)
    return count


def test_twice_the_lines_costs_about_twice_the_steps():
    small, large = steps(spaced(600)), steps(spaced(1200))
    assert large < 2.5 * small, (small, large)  # a quadratic reader takes four times as many
