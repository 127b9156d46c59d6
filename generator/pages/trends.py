"""The figures a folder page charts per year (render/charts.py), from each report's summary.

A report gives its parts (points.trend_parts, made in the worker with its summary, where its tables
are); a year sums the parts of its reports by the statistics' rule (stats.figures.total): the reports
that have the figure are added and those with a blank are counted, not added; only a year where every
report is blank shows "—". The disclosure rate of a year is the sum of its numerators over the sum of
its denominators, over the reports that have both (not a mean of rates).
"""
from __future__ import annotations

from ..render.charts import Year
from ..points import TREND_RATE as RATE
from ..stats.figures import total
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
    new, review, litigation = (total([r[k][i] for r in reports]) for k, i in (
        ("new", 0), ("appeals", 0), ("appeals", 1)))
    complete = [r[RATE] for r in reports if None not in r[RATE]]
    top, bottom = (sum(parts[i] for parts in complete) for i in (0, 1))
    rate = None if not complete else "无办结" if bottom == 0 else float(top) / float(bottom)
    values = {"new": (_value(new),), RATE: (rate,), "appeals": (_value(review), _value(litigation))}
    blanks = {"new": (new.blanks,), RATE: (len(reports) - len(complete),),
              "appeals": (review.blanks, litigation.blanks)}
    return Year(year, values, formats, blanks)


def _value(t) -> int | None:
    return t.value if t.added else None  # every report blank: "—", not 0
