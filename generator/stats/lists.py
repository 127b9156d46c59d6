"""A list of reports (a year page, a folder page) as numbers: its totals row and its CSV download.

A total adds the reports that have the figure and says how many had a blank cell in it (the same
rule as the statistics tables, figures.py); the CSV has one row per report with its key figures and
rates, for the reports of the list.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import urls
from ..formats.rates import RATES
from .figures import group
from .tables import Cell

if TYPE_CHECKING:  # summaries.py imports figures.py: the type only, no cycle
    from ..summaries import Summary


def list_totals(entries: list[Summary], figure_count: int) -> tuple[Cell, ...]:
    """A totals row under a report list: each key figure summed over the reports that have it."""
    cells = []
    for i in range(figure_count):
        values = [e.figures[i] for e in entries]
        known = [v for v in values if v is not None]
        blanks = len(values) - len(known)
        note = f"{blanks} 份缺数" if blanks else ""
        title = f"{blanks} 份报告原文缺失此项所需的数，未计入合计" if blanks else ""
        cells.append(Cell(str(sum(known)) if known else "—", "", note, title))
    return tuple(cells)


CSV_HEAD = ("标题", "网址", "机关", "所属地区", "年度", "表格格式", "核验")


def report_rows(entries: list[Summary], labels: list[str], memo: dict) -> tuple[tuple[str, ...], list[tuple]]:
    """(header, rows) of a list's CSV: per report its place, key figures and rates (%). `memo`: rows
    already made, by report path (a report is listed on its year page and every folder above it)."""
    head = (*CSV_HEAD, *labels, *(f"{r.label}（%）" for r in RATES.rates))
    return head, [memo.get(e.report.path) or memo.setdefault(e.report.path, _row(e)) for e in entries]


def _row(e: Summary) -> tuple:
    report, names = e.report, [name for name, _ in e.crumbs]
    rates = group([e.stats]).rates if e.stats else ()
    return (report.title, urls.report_url(report), names[-1], "/".join(names[:-1]), report.year,
            report.format.id if report.format else "", e.quality.label, *e.figures,
            *(None if r.value is None else round(r.value * 100, 2) for r in rates))
