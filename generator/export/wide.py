"""The archive in wide form: one row per report, one column per cell, as CSV and XLSX, for the whole
archive and for each year. The long form (csvfile.py) stays; this is the one to open in a spreadsheet.

Each cell column is headed in Chinese with its ids, e.g. "三·一、本年新收政府信息公开申请数量·申请人情况·自然人
[applications.new.natural]"; a file holding reports of both formats has the columns of both, a cell
the formats share (same ids) in one column, under the newer format's label. Rows are made from the
values the build already has (records.values, cached per body) and the reports' metadata. A sheet or
CSV file holds at most Excel's 1,048,576 rows (header included); beyond that the rest goes to the
next sheet / file. CSV: UTF-8 with a byte-order mark, CRLF, text that looks like a formula behind an
apostrophe; XLSX: numbers as numbers, text as text (never read as a formula), a blank cell empty.
Parquet (no row limit): 年度 an integer, each cell a double (null when blank), the rest text as it is
(null when empty), in row groups of PARQUET_ROWS reports.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

import xlsxwriter

from .. import urls
from ..formats import FORMATS
from ..model.report import Number
from . import records
from .tabular import BOM, neutral

if TYPE_CHECKING:  # the build hands over its staging folder: export never imports the writer
    from ..archive import Archive
    from ..write.writer import Staging

ROW_LIMIT = 1_048_576  # Excel's rows per sheet, the header row included
LEAD = ("报告标识", "标题", "网址", "机关", "机关标识", "所属地区", "年度", "表格格式", "核验", "发布日期", "来源")
FIXED_DATE = datetime.datetime(2000, 1, 1)  # the workbooks' creation date: two builds give the same bytes
PARQUET_ROWS = 10_000  # reports per row group of the Parquet file (each holds every cell column)


@dataclass(frozen=True)
class Entry:
    """What the wide files say of a report besides its cells."""
    year: int
    format: str  # format id, or model.fields.NO_FORMAT
    lead: tuple[str | int, ...]  # LEAD's values
    digest: str  # hash of its CSV place and values (see bodypages.Maker.pages)


def lead(archive, report, status: str, base_url: str) -> tuple:
    body = archive.folders[report.folder]
    published = report.meta.get("published")
    return (records.report_id(report), report.title, urls.absolute(base_url, urls.report_url(report)), body.name,
            records.body_id(body), records.region_path(archive, report), report.year, records.format_id(report),
            status, published.isoformat() if published else "", report.meta.get("source") or "")


def cell_header(table, row, column) -> str:
    return f"{table.number}·{row.full_label}·{column.full_label} [{table.id}.{row.id}.{column.id}]"


@lru_cache(maxsize=None)
def layout(format_ids: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, list[list[int]]]]:
    """(cell headers, per format per row of records.rows() the column index of each of its cells) of a
    file holding reports of these formats: the newest format's columns first, then what others add."""
    index: dict[tuple, int] = {}
    headers: list[str] = []
    positions: dict[str, list[list[int]]] = {}
    for format_id in sorted((f for f in format_ids if f in FORMATS), reverse=True):
        rows = []
        for table, row, columns in records.rows(FORMATS[format_id]):
            at = []
            for column in columns:
                key = (table.id, row.id, column.id)
                if key not in index:
                    index[key] = len(headers)
                    headers.append(cell_header(table, row, column))
                at.append(index[key])
            rows.append(at)
        positions[format_id] = rows
    return tuple(headers), positions


def flat(values: records.Values, rows: list[list[int]] | None, width: int) -> list[Number | None]:
    out = [None] * width
    for at, row in zip(rows or (), values):
        if row is not None:
            for i, value in zip(at, row):
                out[i] = value
    return out


def parts(count: int) -> int:
    """Sheets (or CSV files) needed for `count` reports."""
    return max(1, -(-count // (ROW_LIMIT - 1)))


def targets(entries: list[Entry]) -> list[tuple[int | None, str, str, int]]:
    """(year or None, kind, url, part) of every wide file."""
    years = sorted({e.year for e in entries})
    out = []
    for year in (None, *years):
        count = sum(1 for e in entries if year in (None, e.year))
        for part in range(1, parts(count) + 1):
            out.append((year, "csv", urls.wide_url(year, "csv", part), part))
        out.append((year, "xlsx", urls.wide_url(year, "xlsx"), 1))
        out.append((year, "parquet", urls.wide_url(year, "parquet"), 1))
    return out


def downloads(archive: Archive) -> list[tuple[str, str]]:
    """(label, URL) of the wide files for the data page, split as `targets` splits them."""
    out = []
    for year in (None, *archive.years):
        what = "全部报告" if year is None else f"{year} 年度"
        count = sum(1 for r in archive.reports if year in (None, r.year))
        split = parts(count)
        out += [(f"{what}（宽表 CSV：每份报告一行、每格一列{f'，第 {p} 部分' if split > 1 else ''}）",
                 urls.wide_url(year, "csv", p)) for p in range(1, split + 1)]
        out.append((f"{what}（宽表 Excel 工作簿）", urls.wide_url(year, "xlsx")))
        out.append((f"{what}（宽表 Parquet）", urls.wide_url(year, "parquet")))
    return out


def example() -> str:
    """A wide column's header, for the data page: the first of table 三 (applications) if the formats have it."""
    headers = layout(tuple(FORMATS))[0]
    return next((h for h in headers if "[applications." in h), headers[0])


Plan = list  # (year or None, kind, part, where to write it, layout) of each file to write


def plan(staging: Staging, version: str, entries: list[Entry]) -> Plan:
    """Claim every wide file in the staging folder; those whose reports are unchanged are kept from the
    previous site, the others are returned to be written (see write)."""
    files = []
    for year, kind, url, part in targets(entries):
        mine = [e for e in entries if year in (None, e.year)]
        made_of = repr((version, kind, part, ROW_LIMIT, _library(kind), [(e.lead, e.digest) for e in mine]))
        key = hashlib.sha256(made_of.encode()).hexdigest()
        target = staging.fresh(urls.output_path(url), key, f"wide {kind} {year or 'all'}")
        if target is not None:
            files.append((year, kind, part, target, layout(tuple(sorted({e.format for e in mine})))))
    return files


def write(files: Plan, entries: list[Entry], values: Iterable[records.Values]) -> None:
    """Write the planned files in one pass. `entries`: every report in archive order; `values`: the same
    reports' records.values(), in the same order."""
    if not files:
        return
    with ExitStack() as stack:
        writers = [_writer(stack, kind, part, target, headers) for _, kind, part, target, (headers, _) in files]
        for entry, report_values in zip(entries, values):
            for (year, _, _, _, (headers, positions)), writer in zip(files, writers):
                if year in (None, entry.year):
                    writer(entry.lead, flat(report_values, positions.get(entry.format), len(headers)))


def _writer(stack: ExitStack, kind: str, part: int, target, headers: tuple[str, ...]):
    head = (*LEAD, *headers)
    if kind == "csv":
        return _csv_writer(stack, part, target, head)
    if kind == "parquet":
        return _parquet_writer(stack, target, head)
    return _xlsx_writer(stack, target, head)


def _csv_writer(stack: ExitStack, part: int, target, head: tuple[str, ...]):
    """Writes the rows of its part only (part n holds rows (n-1)·(limit-1)+1 …)."""
    f = stack.enter_context(open(target, "w", encoding="utf-8", newline=""))
    f.write(BOM)
    out = csv.writer(f, lineterminator="\r\n")
    out.writerow(head)
    first, last = (part - 1) * (ROW_LIMIT - 1), part * (ROW_LIMIT - 1)
    seen = 0

    def write(lead: tuple[str | int, ...], cells: list[Number | None]) -> None:
        nonlocal seen
        if first <= seen < last:
            out.writerow([*(neutral(v) for v in lead), *(records.number_text(v) for v in cells)])
        seen += 1
    return write


def _xlsx_writer(stack: ExitStack, target, head: tuple[str, ...]):
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False, "strings_to_numbers": False})
    stack.callback(book.close)
    book.set_properties({"created": FIXED_DATE})
    bold = book.add_format({"bold": True})
    state = {"sheet": None, "row": ROW_LIMIT}

    def write(lead: tuple[str | int, ...], cells: list[Number | None]) -> None:
        if state["row"] >= ROW_LIMIT:  # a new sheet, with the header again
            number = len(book.worksheets()) + 1
            state["sheet"] = book.add_worksheet("报告" if number == 1 else f"报告（{number}）")
            state["sheet"].write_row(0, 0, head, bold)
            state["sheet"].freeze_panes(1, 2)
            state["row"] = 1
        sheet, row = state["sheet"], state["row"]
        for col, value in enumerate(lead):
            if value != "":
                sheet.write(row, col, value)
        for col, value in enumerate(cells, len(lead)):
            if value is not None:
                sheet.write_number(row, col, value if isinstance(value, int) else float(value))
        state["row"] += 1
    return write


def _library(kind: str) -> str:
    """The version of the library that writes the bytes of a Parquet file (it names itself in them)."""
    if kind != "parquet":
        return ""
    import pyarrow
    return pyarrow.__version__


def _parquet_writer(stack: ExitStack, target, head: tuple):
    """Typed columns: 年度 int16, the cells double (null when blank), the rest of LEAD text (null when empty)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    year = LEAD.index("年度")
    types = [pa.int16() if i == year else pa.string() if i < len(LEAD) else pa.float64() for i in range(len(head))]
    schema = pa.schema([pa.field(name, kind) for name, kind in zip(head, types)])
    writer = pq.ParquetWriter(str(target), schema, compression="zstd", store_schema=False)
    rows: list[list] = []

    def flush() -> None:
        if rows:
            columns = [pa.array(column, kind) for column, kind in zip(zip(*rows), types)]
            writer.write_table(pa.table(columns, schema=schema), row_group_size=len(rows))
            rows.clear()

    def close() -> None:
        try:
            flush()
        finally:
            writer.close()
    stack.callback(close)

    def write(lead: tuple, cells: list) -> None:
        rows.append([*(None if v == "" else v for v in lead),
                     *(float(v) if isinstance(v, Decimal) else v for v in cells)])
        if len(rows) >= PARQUET_ROWS:
            flush()
    return write
