"""Small CSV tables (statistics, a year's or a region's figures): UTF-8 with a byte-order mark so that
Excel reads the Chinese labels, CRLF line ends, and text that a spreadsheet would take for a formula
neutralised with a leading apostrophe.

(The loader's work on another branch adds a formula-neutralising helper to csvfile.py; until that is
merged this module carries its own, and one of the two should then go.)
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Iterable

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutral(value) -> str:
    """A field as written: numbers as they are, text starting like a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in header])
    writer.writerows([neutral(v) for v in row] for row in rows)
    return BOM + out.getvalue()
