"""The figures a folder page charts per year (render/charts.py), from each report's summary.

A report gives its parts (points.trend_parts, made in the worker with its summary, where its tables are); a year sums the parts of its
reports. A blank part leaves that year's value blank ("—"), never a smaller sum; the disclosure rate
of a year is the sum of its numerators over the sum of its denominators (not a mean of rates).
"""
from __future__ import annotations

from ..render.charts import Year
from ..points import TREND_RATE as RATE
from ..summaries import Summary


def years(summaries: list[Summary]) -> list[Year]:
    """One Year per report year of the summaries (reports with no table format only mark the year)."""
    grouped: dict[int, list[Summary]] = {}
    for s in summaries:
        grouped.setdefault(s.report.year, []).append(s)
    return [_year(year, group) for year, group in sorted(grouped.items())]


def _year(year: int, group: list[Summary]) -> Year:
    reports = [s.trend for s in group if s.trend]
    formats = frozenset(s.report.format.id for s in group if s.report.format is not None)
    if not reports:
        return Year(year, {"new": ("无表格",), RATE: ("无表格",), "appeals": ("无表格", "无表格")}, formats)
    new, top, bottom, review, litigation = (_sum(r[k][i] for r in reports) for k, i in (
        ("new", 0), (RATE, 0), (RATE, 1), ("appeals", 0), ("appeals", 1)))
    if top is None or bottom is None:
        rate = None
    else:
        rate = "无办结" if bottom == 0 else float(top) / float(bottom)
    return Year(year, {"new": (new,), RATE: (rate,), "appeals": (review, litigation)}, formats)


def _sum(values) -> int | None:
    values = list(values)
    return None if None in values else sum(values)
