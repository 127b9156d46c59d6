"""What every export says about a report: where its body sits, and its cells in the spec's order."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ..archive import Archive
from ..formats import Column, Format, Row, Table
from ..model import Report
from ..model.report import Number
from ..model.fields import NO_FORMAT
from ..source.tree import Folder



def rows(fmt: Format) -> Iterator[tuple[Table, Row, tuple[Column, ...]]]:
    """Every row of the format with its columns, in printed order."""
    for table in fmt.tables:
        for block in table.blocks:
            for row in block.rows:
                yield table, row, block.columns


RowValues = tuple[Number | None, ...]  # one row's cells, in its block's column order
Values = tuple[RowValues | None, ...]  # a report's rows in rows() order; None: a row it does not print


def values(report: Report) -> Values:
    """The report's cells, compactly: per row of the format (rows() order) a tuple of its values, or
    None for a row it does not print. The CSV and SQLite downloads are made from this and the spec:
    it is what the workers cache for them."""
    if not report.format:
        return ()
    return tuple(tuple(c.value for c in cells) if (cells := report.row(table.id, row.id)) else None
                 for table, row, _ in rows(report.format))


def table_columns(table: Table) -> dict[str, Column]:
    """The table's columns by id. A column id names one column in all blocks of a table."""
    columns: dict[str, Column] = {}
    for column in (c for b in table.blocks for c in b.columns):
        assert columns.setdefault(column.id, column) == column, f"{table.id}: column {column.id} differs"
    return columns


def format_id(report: Report) -> str:
    return report.format.id if report.format else NO_FORMAT


def report_id(report: Report) -> str:
    """Stable id of a report: its body's folder path and year, e.g. hulin/baodong/2024."""
    return "/".join(report.folder + (str(report.year),))


def body_id(folder: Folder) -> str:
    return "/".join(folder.slugs)


def regions(archive: Archive, report: Report) -> list[Folder]:
    """The folders above the body, outermost first."""
    return [archive.folders[report.folder[:i]] for i in range(1, len(report.folder))]


def region_path(archive: Archive, report: Report) -> str:
    return "/".join(f.name for f in regions(archive, report))


def number_text(value: Number | None) -> str:
    """A value as the report printed it: no exponent, no float rounding; '' for a blank cell."""
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)
