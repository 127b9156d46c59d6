"""The archive in long form: one CSV row per cell, for the whole archive and for each year.

UTF-8 with a byte-order mark so that Excel reads the Chinese labels correctly; CRLF line ends as
RFC 4180 has them. A blank cell of the source is an empty value, never 0.
"""
from __future__ import annotations

import csv
import io
from collections import namedtuple
from typing import Iterator

from ..archive import Archive
from ..pages import urls
from . import records

# (column, what it holds): the header of the CSV, and its data dictionary on the data page.
COLUMNS = (
    ("body_id", "机关标识：机关在档案中的目录路径（拼音），也是其网址"),
    ("body_name", "机关名称"),
    ("region_path", "所属地区，由大到小，以 / 分隔（地区不详时为空）"),
    ("year", "报告年度"),
    ("format", "表格格式（2019 或 2021）"),
    ("table", "表的标识"),
    ("row_id", "行的标识"),
    ("row_label", "行的名称（按原表格）"),
    ("column_id", "列的标识"),
    ("column_label", "列的名称（按原表格，含上级表头）"),
    ("value", "数值；空白表示原文缺失或无法辨认"),
    ("unit", "单位（原表格未印单位时为空）"),
)
BOM = "\ufeff"
CellRow = namedtuple("CellRow", [name for name, _ in COLUMNS])


def files(archive: Archive) -> Iterator[tuple[str, bytes, str]]:
    rows = list(cell_rows(archive))
    yield urls.output_path(urls.CELLS_CSV_URL), to_csv(rows), "cells.csv"
    for year in sorted({r.year for r in archive.reports}):
        yield (urls.output_path(urls.year_csv_url(year)),
               to_csv([r for r in rows if r.year == str(year)]), f"cells-{year}.csv")


def cell_rows(archive: Archive) -> Iterator[CellRow]:
    for report in archive.reports:
        yield from report_rows(archive, report)


def report_rows(archive: Archive, report) -> Iterator[CellRow]:
    body = archive.folders[report.folder]
    place = (records.body_id(body), body.name, records.region_path(archive, report),
             str(report.year), records.format_id(report))
    for c in records.cells(report):
        yield CellRow(*place, c.table.id, c.row.id, c.row.full_label, c.column.id, c.column.full_label,
                      records.number_text(c.value), c.column.unit or "")


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerows(rows)
    return (BOM + out.getvalue()).encode("utf-8")
