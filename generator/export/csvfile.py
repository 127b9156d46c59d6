"""The archive in long form: one CSV row per cell, one file per report year. The whole archive's is
gzip-compressed only (cells.csv.gz, csvgzip.py): uncompressed it would be the years' rows again, the
largest file of the site.

UTF-8 with a byte-order mark so that Excel reads the Chinese labels correctly; CRLF line ends as
RFC 4180 has them. A blank cell of the source is an empty value, never 0. A text field that a
spreadsheet would take for a formula starts with a single quote (see neutralise).
"""
from __future__ import annotations

import csv
import hashlib
import io
from contextlib import ExitStack
from typing import TYPE_CHECKING, Callable, Iterable

from ..archive import Archive
from ..formats import Format, per_format
from .. import urls
from . import records

if TYPE_CHECKING:  # the build hands over its staging folder: export never imports the writer
    from ..write.writer import Staging

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
    ("deduced", "1：原文此格空白，数值据勾稽关系推得（唯一可能的值）；否则为空"),
)
BOM = "\ufeff"


def place(archive: Archive, report) -> str:
    """The leading fields of each of the report's rows: which body and year, quoted as CSV."""
    body = archive.folders[report.folder]
    return _fields(records.body_id(body), body.name, records.region_path(archive, report), str(report.year),
                   records.format_id(report)) + ","


def report_csv(place: str, fmt: Format | None, values: records.Values, deduced=()) -> str:
    """The CSV rows of one report, from its place() and records.values(); `deduced`: the names
    (table.row.column) of its cells marked as forced by the rules."""
    out = []
    for parts, row in zip(_cell_parts(fmt) if fmt else (), values):
        if row is not None and not deduced:  # nearly every report
            out += [f"{place}{middle}{records.number_text(value)}{end},\r\n"
                    for (middle, end, _), value in zip(parts, row)]
        elif row is not None:
            out += [f"{place}{middle}{records.number_text(value)}{end}{',1' if name in deduced else ','}\r\n"
                    for (middle, end, name), value in zip(parts, row)]
    return "".join(out)


@per_format
def _cell_parts(fmt: Format) -> list[list[tuple[str, str, str]]]:
    """Per row of the format, per column: the quoted fields before the value, the unit after it,
    and the cell's name."""
    return [[(_fields(table.id, row.id, row.full_label, column.id, column.full_label) + ",",
              "," + (_fields(column.unit) if column.unit else ""), f"{table.id}.{row.id}.{column.id}")
             for column in columns]
            for table, row, columns in records.rows(fmt)]


def _fields(*fields: str) -> str:
    """Text fields quoted as CSV, each made safe for spreadsheets (numbers are never passed here)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(map(neutralise, fields))
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula (=HYPERLINK(…), +1, -1, @SUM) gets a leading single
    quote, the OWASP convention: shown as text, never run. Numbers are written elsewhere, as they are."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


HEADER = BOM + ",".join(name for name, _ in COLUMNS) + "\r\n"


def write_files(staging: Staging, version: str, digests: list[tuple[int, str]],
                chunks: Callable[[], Iterable[tuple[int, str]]]):
    """One file per year. `digests`: (year, hash of its place and values) of every report in archive
    order; `chunks()` gives the same reports' (year, CSV rows); `version`: of the program (the labels).
    A file whose reports are unchanged is kept from the previous site; the others are written in one
    pass over the chunks."""
    wanted = [(y, urls.year_csv_url(y), f"cells-{y}.csv") for y in sorted({y for y, _ in digests})]
    targets = {}
    for year, url, owner in wanted:
        parts = [HEADER, version, *(d for y, d in digests if y == year)]
        key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        target = staging.fresh(urls.output_path(url), key, owner)
        if target is not None:
            targets[year] = target
    if not targets:
        return
    with ExitStack() as stack:
        out = {y: stack.enter_context(open(t, "w", encoding="utf-8", newline="")) for y, t in targets.items()}
        for f in out.values():
            f.write(HEADER)
        for year, text in chunks():
            if year in out:
                out[year].write(text)
