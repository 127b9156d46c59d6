"""The long table as Parquet: one row per cell with the CSV's columns, typed, for DuckDB, pandas,
Polars or Spark. One file for the archive and one per report year, beside the CSV.

Columns as csvfile.COLUMNS names them, from the same values and the same spec labels: `year` a
16-bit integer, `value` a double (null where the source is blank: exact for every count, which is an
integer far below 2^53, and for every amount as printed, less its trailing zeros), `deduced` a
boolean, the rest text (null for a body whose region is unknown and a column without a unit). Text is
stored as it is: a Parquet file holds typed values, never formulas, so nothing is neutralised.

Rows in archive order, in row groups of ROW_GROUP cells (at a report's end), zstd compression. Text
columns are written dictionary-encoded, a label once per row group instead of once per cell. The same
archive gives the same bytes with one pyarrow version (which the file names in its metadata and the
file's key includes).
"""
from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .. import urls
from ..formats import FORMATS
from . import records
from .csvfile import COLUMNS

if TYPE_CHECKING:  # the build hands over its staging folder: export never imports the writer
    from ..archive import Archive
    from ..write.writer import Staging

NAMES = tuple(name for name, _ in COLUMNS)
PLACE = ("body_id", "body_name", "region_path", "year", "format")  # the same for each cell of a report
LABELS = ("table", "row_id", "row_label", "column_id", "column_label", "unit")  # the same for each cell position
assert set(NAMES) == {*PLACE, *LABELS, "value", "deduced"}
ROW_GROUP = 1 << 20  # cells per row group (about; a report is never split): DuckDB reads row groups in parallel
COMPRESSION = "zstd"


@dataclass(frozen=True)
class Entry:
    """What the Parquet files say of a report besides its values."""
    place: tuple  # PLACE's values
    format: str  # format id, or model.fields.NO_FORMAT
    deduced: frozenset[str]  # names (table.row.column) of its cells forced by the sum rules
    digest: str  # hash of its CSV place and values (see bodypages.Maker.pages)

    @property
    def year(self) -> int:
        return self.place[3]


def entry(archive: Archive, report, digest: str) -> Entry:
    body = archive.folders[report.folder]
    return Entry((records.body_id(body), body.name, records.region_path(archive, report) or None, report.year,
                  records.format_id(report)), records.format_id(report), frozenset(report.deduced), digest)


def downloads(archive: Archive) -> list[tuple[str, str]]:
    return [("全部单元格（Parquet，长表，可用 DuckDB、pandas 读取）", urls.cells_url(None, "parquet"))] + \
        [(f"{y} 年度单元格（Parquet）", urls.cells_url(y, "parquet")) for y in archive.years]


Plan = list  # (year or None, where to write it) of each file to write


def plan(staging: Staging, version: str, entries: list[Entry]) -> Plan:
    """Claim every Parquet file in the staging folder; those whose reports are unchanged are kept from
    the previous site, the others are returned to be written (see write)."""
    import pyarrow  # only a build that writes the files loads it (not `nianbao check`)
    files = []
    for year in (None, *sorted({e.year for e in entries})):
        made_of = repr((version, pyarrow.__version__, COMPRESSION, ROW_GROUP,
                        [(e.place, sorted(e.deduced), e.digest) for e in entries
                         if year in (None, e.year)]))
        key = hashlib.sha256(made_of.encode()).hexdigest()
        target = staging.fresh(urls.output_path(urls.cells_url(year, "parquet")), key, f"parquet {year or 'all'}")
        if target is not None:
            files.append((year, target))
    return files


def write(files: Plan, entries: list[Entry], values: Iterable[tuple]) -> None:
    """Write the planned files in one pass. `entries`: every report in archive order; `values`: the same
    reports' records.values(), in the same order."""
    if not files:
        return
    writers = [(year, _File(target)) for year, target in files]
    try:
        for report, report_values in zip(entries, values):
            for year, writer in writers:
                if year in (None, report.year):
                    writer.add(report, report_values)
        for _, writer in writers:
            writer.close()
    finally:
        for _, writer in writers:
            writer.writer.close()


@lru_cache(maxsize=None)
def _positions() -> tuple[dict[str, list[array]], tuple[str, ...], dict[str, object]]:
    """Every cell position of every format: (per format, per row of records.rows(), the positions of its
    cells; each position's name table.row.column; per LABELS column, its value at each position, as a
    dictionary-encoded array)."""
    import pyarrow as pa
    at: dict[str, list[array]] = {}
    names, labels = [], []
    for fmt in FORMATS.values():
        at[fmt.id] = []
        for table, row, columns in records.rows(fmt):
            at[fmt.id].append(array("i", range(len(names), len(names) + len(columns))))
            for column in columns:
                names.append(f"{table.id}.{row.id}.{column.id}")
                labels.append((table.id, row.id, row.full_label, column.id, column.full_label, column.unit or None))
    encoded = {name: pa.array([label[k] for label in labels], pa.string()).dictionary_encode()
               for k, name in enumerate(LABELS)}
    return at, tuple(names), encoded


def schema(written: bool = False):
    """The files' columns as readers see them; `written`: as handed to the writer, text dictionary-encoded
    (the file stores it as text: without the Arrow schema beside it, readers get plain strings)."""
    import pyarrow as pa
    text = pa.dictionary(pa.int32(), pa.string()) if written else pa.string()
    types = {"year": pa.int16(), "value": pa.float64(), "deduced": pa.bool_()}
    return pa.schema([pa.field(name, types.get(name, text), nullable=name not in ("year", "deduced"))
                      for name in NAMES])


def types() -> dict[str, str]:
    """Each column's type as pyarrow names it (string, int16, double, bool), for the data page."""
    return {field.name: str(field.type) for field in schema()}


class _File:
    """One Parquet file, filled report by report, a row group at a time."""

    def __init__(self, target):
        import pyarrow.parquet as pq
        self.writer = pq.ParquetWriter(str(target), schema(written=True), compression=COMPRESSION, store_schema=False)
        self._reset()

    def _reset(self) -> None:
        self.places: list[tuple] = []  # of the reports in this row group
        self.report = array("i")  # per cell: its report's index in places
        self.position = array("i")  # per cell: its position (see _positions)
        self.values: list = []
        self.deduced: list[int] = []  # indices of the cells forced by the rules

    def add(self, entry: Entry, values: tuple) -> None:
        at, names, _ = _positions()
        start = len(self.position)
        for positions, row in zip(at.get(entry.format, ()), values):
            if row is not None:
                self.position.extend(positions)
                self.values.extend(row)
        if entry.deduced:
            self.deduced += [i for i in range(start, len(self.position)) if names[self.position[i]] in entry.deduced]
        self.report.extend(array("i", [len(self.places)]) * (len(self.position) - start))
        self.places.append(entry.place)
        if len(self.position) >= ROW_GROUP:
            self._flush()

    def close(self) -> None:
        if self.position:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        _, _, encoded = _positions()
        cells = len(self.position)
        report, position = _int32(self.report), _int32(self.position)
        columns = {}
        for k, name in enumerate(PLACE):
            per_report = pa.array([p[k] for p in self.places], schema().field(name).type)
            columns[name] = per_report.take(report) if name == "year" else \
                _dictionary(per_report.dictionary_encode(), report)
        for name in LABELS:
            columns[name] = _dictionary(encoded[name], position)
        columns["value"] = pa.array([float(v) if isinstance(v, Decimal) else v for v in self.values], pa.float64())
        flags = bytearray(cells)
        for i in self.deduced:
            flags[i] = 1
        columns["deduced"] = pa.Array.from_buffers(pa.uint8(), cells, [None, pa.py_buffer(flags)]).cast(pa.bool_())
        table = pa.table([columns[n] for n in NAMES], schema=schema(written=True))
        self.writer.write_table(table, row_group_size=max(cells, 1))
        self._reset()


def _int32(values: array):
    import pyarrow as pa
    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(values)])


def _dictionary(encoded, indices):
    """The dictionary-encoded column `encoded` taken at `indices` (the dictionary stays as it is)."""
    import pyarrow as pa
    return pa.DictionaryArray.from_arrays(encoded.indices.take(indices), encoded.dictionary)
