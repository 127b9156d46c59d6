"""Lay out a report's tables like the official form, from the format spec alone.

Merged header cells come from the column tree, indented outcome groups from the row tree, so the
layout is the same for every report of a format. Templates only draw the grid this builds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..formats import Block, Table
from ..model import Report

NULL_TEXT, NULL_TITLE = "—", "原文缺失"


@dataclass
class GridCell:
    text: str
    header: bool = False
    scope: str | None = None  # col, colgroup, row, rowgroup (header cells)
    colspan: int = 1
    rowspan: int = 1
    column: str | None = None  # column id, for value cells
    classes: tuple[str, ...] = ()
    title: str | None = None


@dataclass
class GridRow:
    anchor: str | None
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class GridBlock:
    caption: str | None
    head: list[GridRow]
    body: list[GridRow]


@dataclass
class GridTable:
    id: str
    number: str
    title: str
    blocks: list[GridBlock]
    units: str  # a note on units, e.g. 单位：件


def _depth(tree: list, key: str) -> int:
    return max((1 + _depth(n[key], key) if key in n else 1) for n in tree)


def _leaves(node: dict) -> int:
    return sum(_leaves(n) for n in node["columns"]) if "columns" in node else 1


def _head(block: Block, label_depth: int) -> list[GridRow]:
    depth = _depth(block.column_tree, "columns")
    rows = [GridRow(None) for _ in range(depth)]
    rows[0].cells.append(GridCell(block.stub or "", True, "col", label_depth, depth, classes=("stub",)))

    def walk(nodes: list, level: int) -> None:
        for node in nodes:
            if "columns" in node:
                rows[level].cells.append(GridCell(node["label"], True, "colgroup", _leaves(node)))
                walk(node["columns"], level + 1)
            else:
                rows[level].cells.append(GridCell(node["label"], True, "col", 1, depth - level))

    walk(block.column_tree, 0)
    return rows


def _format(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _value_cell(report: Report, table: Table, row_id: str, column, flags: dict) -> GridCell:
    cell = report.cell(table.id, row_id, column.id)
    flag = flags.get(f"{table.id}.{row_id}.{column.id}")
    classes, title = ("num",), None
    if cell is None or cell.value is None:
        text, classes, title = NULL_TEXT, classes + ("null",), NULL_TITLE
    else:
        text = _format(cell.value)
    if flag:
        classes += (f"flag-{flag.severity}",)
        title = f"{title}；{flag.message}" if title else flag.message
    return GridCell(text, column=column.id, classes=classes, title=title)


def _body(report: Report, table: Table, block: Block, label_depth: int, flags: dict) -> list[GridRow]:
    present = [r for r in block.rows if not r.optional or report.row(table.id, r.id) is not None]
    out = []
    for i, row in enumerate(present):
        grid = GridRow(f"{table.id}-{row.id}")
        for level in range(len(row.groups)):
            prefix = row.groups[: level + 1]
            if i == 0 or present[i - 1].groups[: level + 1] != prefix:
                span = 0
                while i + span < len(present) and present[i + span].groups[: level + 1] == prefix:
                    span += 1
                grid.cells.append(GridCell(row.groups[level], True, "rowgroup", rowspan=span, classes=("group", f"level-{level}")))
        grid.cells.append(GridCell(row.label, True, "row", label_depth - len(row.groups),
                                   classes=("label", f"depth-{len(row.groups)}")))
        grid.cells += [_value_cell(report, table, row.id, c, flags) for c in block.columns]
        out.append(grid)
    return out


def layout(report: Report, flagged: list[Diagnostic]) -> list[GridTable]:
    """The report's tables as grids; `flagged` diagnostics highlight the cells they name."""
    flags = {}
    for d in flagged:  # an error outranks a warning outranks an acknowledged fault on one cell
        if d.cell and (d.cell not in flags or _rank(d) < _rank(flags[d.cell])):
            flags[d.cell] = d
    tables = []
    for table in report.format.tables if report.format else ():
        blocks = []
        for block in table.blocks:
            depth = _depth(block.row_tree, "rows")
            blocks.append(GridBlock(block.label, _head(block, depth), _body(report, table, block, depth, flags)))
        units = sorted({c.unit for b in table.blocks for c in b.columns if c.unit})
        tables.append(GridTable(table.id, table.number, table.title, blocks, "、".join(units)))
    return tables


def _rank(d: Diagnostic) -> int:
    return ("error", "warning", "acknowledged").index(d.severity)
