"""A cell marked `deduced` must be one the sum rules force: with every marked cell blank again,
the solver (generator.deduce) must give each exactly its value. A mark on any other cell would
show a number as proven that the original never printed."""
from __future__ import annotations

from typing import Iterator

from .deduce import cell_name, deduce
from ..diagnostics import Diagnostic, diag
from ..model import Report
from .context import Context


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    if not report.deduced or report.format is None:
        return
    rows = {t: {r: [c.value for c in cells] for r, cells in table.items()} for t, table in report.tables.items()}
    marked = {}
    for name in report.deduced:
        table, row, column = name.split(".")
        index = report.format.table(table).block_of(row).column_indexes[column]
        marked[name] = rows[table][row][index]
        rows[table][row][index] = None
    forced = {cell_name(report.format, f.cell): f.value for f in deduce(report.format, rows)}
    for name, value in marked.items():
        if forced.get(name) == value:
            continue
        problem = (f"勾稽关系要求此格为 {forced[name]}" if name in forced
                   else "原文其余各格与勾稽关系不能唯一确定此格")
        table = report.format.table(name.split(".")[0]).number
        yield diag("deduced/not-forced", report.path, report.deduced[name][1], name,
                   table=table, name=name, value=value, problem=problem)
