"""Lay out a report's tables like the official form, from the format spec alone.

Merged header cells come from the column tree, indented outcome groups from the row tree, so the
layout is the same for every report of a format. Templates only draw the grid this builds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from markupsafe import Markup, escape

from ..diagnostics import Diagnostic
from ..formats import Block, Format, Node, Table, per_format
from ..model import Report
from .env import shared

NULL_TEXT, NULL_TITLE = "—", "原文缺失"
DEDUCED_MARK = '<span class="deduced-mark" aria-hidden="true">推</span>'  # the page's legend explains it
DEDUCED_TITLE = "据勾稽关系推得：原文此格空白，{rule} 只允许此值"


@dataclass
class GridCell:
    """A header cell of the grid (value cells are Slots)."""
    text: str
    header: bool = True
    scope: str | None = None  # col, colgroup, row, rowgroup
    colspan: int = 1
    rowspan: int = 1
    classes: tuple[str, ...] = ()


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


def _depth(tree: list[Node], key: str) -> int:
    return max((1 + _depth(n[key], key) if key in n else 1) for n in tree)


def _leaves(node: Node) -> int:
    return sum(_leaves(n) for n in node["columns"]) if "columns" in node else 1


def _head(block: Block, label_depth: int) -> list[GridRow]:
    depth = _depth(block.column_tree, "columns")
    rows = [GridRow(None) for _ in range(depth)]
    rows[0].cells.append(GridCell(block.stub or "", True, "col", label_depth, depth, classes=("stub",)))

    def walk(nodes: list[Node], level: int) -> None:
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


class Slot(NamedTuple):
    """A value cell of the grid: the grid is drawn once per format, the values filled in per report."""
    table: str
    row: str
    index: int  # of the column in the row's cells
    column: str
    cell: str  # table.row.column, as diagnostics name it
    plain: str  # the cell's markup before a value that needs no class or title
    header = False

    def __html__(self) -> str:
        return SLOT


SLOT = "\x00"  # never in a label: the spec's labels are printed text


def _body(table: Table, block: Block, present: list, label_depth: int) -> list[GridRow]:
    out = []
    for i, row in enumerate(present):
        grid = GridRow(f"{table.id}-{row.id}")
        for level in range(len(row.groups)):
            prefix = row.groups[: level + 1]
            if i == 0 or present[i - 1].groups[: level + 1] != prefix:
                span = 0
                while i + span < len(present) and present[i + span].groups[: level + 1] == prefix:
                    span += 1
                grid.cells.append(GridCell(row.groups[level], True, "rowgroup", rowspan=span,
                                           classes=("group", f"level-{level}")))
        grid.cells.append(GridCell(row.label, True, "row", label_depth - len(row.groups),
                                   classes=("label", f"depth-{len(row.groups)}")))
        grid.cells += [Slot(table.id, row.id, i, c.id, f"{table.id}.{row.id}.{c.id}", _td(c.id, "num", ""))
                       for i, c in enumerate(block.columns)]
        out.append(grid)
    return out


def grid(fmt: Format, present: frozenset[tuple[str, str]]) -> list[GridTable]:
    """The format's tables as grids of header cells and value slots; `present`: the optional rows
    (subtotals) the report prints, as (table, row)."""
    tables = []
    for table in fmt.tables:
        blocks = []
        for block in table.blocks:
            depth = _depth(block.row_tree, "rows")
            rows = [r for r in block.rows if not r.optional or (table.id, r.id) in present]
            blocks.append(GridBlock(block.label, _head(block, depth), _body(table, block, rows, depth)))
        units = sorted({c.unit for b in table.blocks for c in b.columns if c.unit})
        tables.append(GridTable(table.id, table.number, table.title, blocks, "、".join(units)))
    return tables


class Drawn(NamedTuple):
    pieces: list[str]  # the markup between value cells
    slots: list[Slot]


_drawn: dict[tuple[str, frozenset[tuple[str, str]]], Drawn] = {}


def tables_html(report: Report, flagged: list[Diagnostic]) -> Markup:
    """The report's tables as HTML; `flagged` diagnostics highlight the cells they name. The template
    draws each grid once per format and set of optional rows; only the values are filled in here."""
    if report.format is None:
        return Markup("")
    optional = _optional_rows(report.format)
    present = frozenset((t, r) for t, rows in report.tables.items() for r in rows if (t, r) in optional)
    key = (report.format.id, present)
    if key not in _drawn:
        tables = grid(report.format, present)
        slots = [c for t in tables for b in t.blocks for row in b.body for c in row.cells if isinstance(c, Slot)]
        draw = shared().get_template("_tables.html").module.grid_table
        _drawn[key] = Drawn("".join(draw(t) for t in tables).split(SLOT), slots)
    pieces, slots = _drawn[key]
    flags = _flags(flagged)
    deduced = report.deduced
    out = [pieces[0]]
    for slot, piece in zip(slots, pieces[1:]):
        cells = report.tables.get(slot.table, {}).get(slot.row)
        value = cells[slot.index].value if cells and slot.index < len(cells) else None
        if type(value) is int and slot.cell not in flags and slot.cell not in deduced:  # nearly every cell
            out += (slot.plain, str(value), "</td>", piece)
        else:
            rule = deduced[slot.cell][0] if slot.cell in deduced else None
            out += (_value_cell(value, slot, flags.get(slot.cell), rule), "</td>", piece)
    return Markup("".join(out))


def _value_cell(value, slot: Slot, flag: Diagnostic | None, deduced_by: str | None = None) -> str:
    """The cell's markup up to its closing tag; a deduced cell carries its mark and reason."""
    classes, title = "num", ""
    if value is None:
        text, classes, title = NULL_TEXT, "num null", NULL_TITLE
    else:
        text = _format(value)
    if deduced_by and value is not None:
        classes, title = "num deduced", DEDUCED_TITLE.format(rule=deduced_by)
        text += DEDUCED_MARK
    if flag:
        classes += f" flag-{flag.severity}"
        title = f"{title}；{flag.message}" if title else flag.message
    return _td(slot.column, classes, title) + text


def _td(column: str, classes: str, title: str) -> str:
    title = f' title="{escape(title)}"' if title else ""
    return f'<td data-col="{column}" class="{classes}"{title}>'


@per_format
def _optional_rows(fmt: Format) -> frozenset[tuple[str, str]]:
    return frozenset((t.id, r.id) for t in fmt.tables for r in t.rows if r.optional)


def _flags(flagged: list[Diagnostic]) -> dict[str, Diagnostic]:
    flags = {}
    for d in flagged:  # an error outranks a warning outranks an acknowledged fault on one cell
        if d.cell and (d.cell not in flags or _rank(d) < _rank(flags[d.cell])):
            flags[d.cell] = d
    return flags


def _rank(d: Diagnostic) -> int:
    return ("error", "warning", "acknowledged").index(d.severity)
