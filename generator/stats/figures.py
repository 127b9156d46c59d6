"""Each report's figures for the statistics, and their totals over a group of reports.

The figures and rates are those of formats/rates.yaml and the formats' key figures, summed by
points.py's `amount` and divided by its `rate_value`: no formula is written here. A total is
honest about blanks: it adds the reports that have the figure and counts those that do not.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..formats.rates import RATES, Rate
from ..model import Report
from ..model.report import Number
from ..points import Amount, amount, rate_value

# The figures the statistics tables show, in this order (ids of the formats' key figures and rates.yaml).
SHOWN = ("new", "handled", "disclosed", "partly_disclosed", "withheld", "unavailable", "unprocessed",
         "review", "litigation")
# Every figure a report records for the statistics: those shown and those the rates read.
NEEDED = tuple(dict.fromkeys(SHOWN + tuple(i for r in RATES.rates for i in r.numerator + r.denominator)))
INDEX = {figure_id: i for i, figure_id in enumerate(NEEDED)}

Record = tuple  # a report's values of NEEDED, None where a cell is blank


def report_record(report: Report) -> Record | None:
    """The report's figures in NEEDED order; None for a report in no table format."""
    if report.format is None:
        return None
    return tuple(amount(report, figure_id).value for figure_id in NEEDED)


def labels() -> dict[str, str]:
    """Every needed figure's label (the same in every format)."""
    from ..formats import FORMATS
    from ..formats.rates import figures_of
    fmt = FORMATS[max(FORMATS)]
    return {i: figures_of(fmt)[i].label for i in NEEDED}


@dataclass(frozen=True)
class Total:
    value: Number  # the sum over the reports that have the figure
    added: int  # how many reports were added
    blanks: int  # how many reports had a blank cell in it (not added)


@dataclass(frozen=True)
class RateTotal:
    rate: Rate
    value: float | None  # sum of numerators ÷ sum of denominators, over the reports with every input known
    numerator: Number
    denominator: Number
    added: int
    blanks: int  # reports left out: a blank cell among the rate's inputs
    reason: str | None  # why there is no value


@dataclass(frozen=True)
class Group:
    reports: int  # every report of the group
    no_format: int  # reports in no table format (no figures)
    figures: dict[str, Total]  # SHOWN
    rates: tuple[RateTotal, ...]  # RATES.rates order


def group(records: list[Record | None]) -> Group:
    tabled = [r for r in records if r is not None]
    figures = {i: total([r[INDEX[i]] for r in tabled]) for i in SHOWN}
    return Group(len(records), len(records) - len(tabled), figures, tuple(_rate(r, tabled) for r in RATES.rates))


def total(values: list[Number | None]) -> Total:
    """The one rule for blanks (statistics, report lists and the folder charts): add what is known,
    count what is not."""
    known = [v for v in values if v is not None]
    return Total(sum(known), len(known), len(values) - len(known))


def _rate(rate: Rate, records: list[Record]) -> RateTotal:
    ids = tuple(dict.fromkeys(rate.numerator + rate.denominator))
    complete = [r for r in records if all(r[INDEX[i]] is not None for i in ids)]
    amounts = {i: Amount(i, i, sum(r[INDEX[i]] for r in complete), frozenset(), None) for i in ids}
    top, bottom, value, _ = rate_value(None, rate, amounts)
    reason = None if value is not None else "无可计算的报告" if not complete else "分母为 0"
    return RateTotal(rate, value, top.value, bottom.value, len(complete), len(records) - len(complete), reason)
