"""Read one table cell as a number, exactly as printed, or say why it is not one.

Signed values ("-417", "+1036"), decimals ("75.9260"), full-width digits, thousands separators
and a unit written inside the cell ("251000元") are read; anything else is not a number. Nothing
is rounded, converted or guessed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
                     r"(?P<unit>万元|元|件|项|个|条)?$")


@dataclass(frozen=True)
class Value:
    number: int | Decimal
    unit: str | None  # a unit printed inside the cell
    printed: str


def parse(cell: str) -> Value | None:
    """The number in a cell, or None if the cell is not a number (text, blank, a dash)."""
    text = unicodedata.normalize("NFKC", cell).replace("−", "-").replace(" ", "")
    m = _NUMBER.match(text)
    if not m:
        return None
    digits = m["digits"].replace(",", "")
    number = Decimal(m["sign"] + digits + m["fraction"]) if m["fraction"] else int(m["sign"] + digits)
    return Value(number, m["unit"], cell.strip())


def unit_problem(value: Value, column) -> str | None:
    """Why a value cannot go in this column as printed (a unit other than the column's), else None."""
    if value.unit is None or column.unit is None or value.unit == column.unit:
        return None
    return f"原文此格为“{value.printed}”，单位与本栏（{column.unit}）不同，请核对后填写"
