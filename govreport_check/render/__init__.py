"""Renderers: each turns results into one output format. Only cli.py decides what the exit code is."""

from __future__ import annotations

from decimal import Decimal


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers, amounts keep their written digits."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def text(value: Decimal | None) -> str:
    if value is None:
        return "空"
    return f"{value.normalize() if value == value.to_integral_value() else value:f}"
