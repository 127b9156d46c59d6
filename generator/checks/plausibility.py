"""Warnings about reports whose numbers add up but look unlikely, or cannot be assessed at all."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, diag
from ..formats.spec import usual_format
from ..model import Report
from ..model.fields import NO_FORMAT
from ..source.positioned import Pos
from .context import Context


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    yield from _format_year(report)
    if report.format:
        yield from _expected_zero(report, context.level)
        yield from _empty_tables(report)


def _format_year(report: Report) -> Iterator[Diagnostic]:
    usual_spec, used = usual_format(report.year), report.meta["format"]
    usual = usual_spec.id if usual_spec else NO_FORMAT
    if used != usual:
        yield diag("format/unusual-year", report.path, report.key_pos.get(("format",), Pos(1, 1)),
                   year=report.year, usual=usual, format=used)


def _expected_zero(report: Report, level: str) -> Iterator[Diagnostic]:
    for rule in report.format.expected_zero:
        if level in rule["unless_level"]:
            continue
        table = report.format.table(rule["table"])
        row = table.row(rule["row"])
        for column in table.block_of(row.id).columns:
            cell = report.cell(table.id, row.id, column.id)
            if cell and cell.value:
                yield diag("plausibility/expected-zero", report.path, cell.pos,
                           f"{table.id}.{row.id}.{column.id}", table=table.number, row=row.label,
                           column=column.label, value=cell.value, level=level or "未知层")


def _empty_tables(report: Report) -> Iterator[Diagnostic]:
    for table_id, rows in report.tables.items():
        cells = [c for row in rows.values() for c in row]
        if cells and all(c.value is None for c in cells):
            yield diag("table/empty", report.path,
                       report.key_pos.get((table_id,), Pos(1, 1)), table=report.format.table(table_id).number)
