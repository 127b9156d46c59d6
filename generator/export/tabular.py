"""Small CSV tables (statistics, a year's or a region's figures): UTF-8 with a byte-order mark so that
Excel reads the Chinese labels, CRLF line ends, and text that a spreadsheet would take for a formula
neutralised with a leading apostrophe (csvfile.neutralise, shared with the long CSV).
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Iterable

from .csvfile import BOM, neutralise


def neutral(value) -> str:
    """A field as written: numbers as they are, text starting like a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in header])
    writer.writerows([neutral(v) for v in row] for row in rows)
    return BOM + out.getvalue()
