"""Every cell in one SQLite file, ready for Datasette.

Tables: `reports` (the columns of reports.json's entries), `cells` (report_id, table, row_id,
column_id, value: NULL when blank, NUMERIC so 0 is an integer and 4.74 a real; deduced: "1" for a
value the sum rules force where the original is blank), `labels` (every cell
position of every format with its labels and unit, from the spec) and the view `cells_long`, which
joins them into the CSV's columns. Labels are stored once per format, not once per cell: that keeps
the file about half the size of the CSV.

Built with a fixed page size and rows inserted in archive order, the cells first and the reports
last, so the same archive gives the same bytes (for one SQLite library version).
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Iterable

from ..formats import FORMATS, per_format
from . import records
from .jsonout import JSONObject

TYPES = {"id": "TEXT PRIMARY KEY", "year": "INTEGER", "value": "NUMERIC",
         "report_id": "TEXT REFERENCES reports(id)"}
CELLS = ["report_id", "table", "row_id", "column_id", "value", "deduced"]
LABELS = ["format", "table", "row_id", "row_label", "column_id", "column_label", "unit"]
VIEW = """CREATE VIEW cells_long AS
SELECT c.report_id, r.body_id, r.body AS body_name, r.region_path, r.year, r.format, c."table", c.row_id,
       l.row_label, c.column_id, l.column_label, c.value, l.unit, c.deduced
FROM cells c JOIN reports r ON r.id = c.report_id
JOIN labels l ON l.format = r.format AND l."table" = c."table" AND l.row_id = c.row_id AND l.column_id = c.column_id
ORDER BY c.rowid"""


def write_cells(target: Path, cells: Iterable[list[tuple]]) -> None:
    """The cells and labels tables: the bulk of cells.sqlite, which only the cells change, so a build
    keeps it for the next (see write_file). `cells`: each report's rows (report_cells) in archive order."""
    db = _open(target)
    try:
        _fill(db, "cells", CELLS, (row for part in cells for row in part))
        _fill(db, "labels", LABELS, _labels())
        db.execute("CREATE INDEX cells_report ON cells (report_id)")
        db.execute('CREATE UNIQUE INDEX labels_cell ON labels (format, "table", row_id, column_id)')
        db.commit()
    finally:
        db.close()


def write_file(target: Path, cells_part: Path, index: JSONObject) -> None:
    """cells.sqlite at `target`: a copy of `cells_part` (write_cells) with the reports table and the
    view added. `index`: reports.json's data. Every build makes the file this way, so a title edit
    costs a copy, not every cell again, and gives the same bytes as a clean build."""
    shutil.copyfile(cells_part, target)
    reports = index["reports"]
    db = _open(target)
    try:
        _fill(db, "reports", list(reports[0]) if reports else ["id"], (tuple(r.values()) for r in reports))
        db.execute(VIEW)
        db.commit()  # no VACUUM: a new file filled in order is already compact, and costs 40% less
    finally:
        db.close()


def _open(target: Path) -> sqlite3.Connection:
    db = sqlite3.connect(target)
    db.execute("PRAGMA page_size = 4096")
    # a file of the staging folder or the cache, discarded if the build fails: no journal, no waiting for the disk
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE", "cache_size = -200000"):
        db.execute(f"PRAGMA {pragma}")
    return db


def _fill(db, table: str, names: list[str], rows) -> None:
    columns = ", ".join(f'"{n}" {TYPES.get(n, "TEXT")}' for n in names)  # quoted: "table" is a keyword
    db.execute(f"CREATE TABLE {table} ({columns})")
    db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})", rows)


def report_cells(report_id: str, fmt, values: tuple, deduced=()) -> list[tuple]:
    """The rows of the cells table for one report, from its records.values(); `deduced`: the names
    of its cells forced by the rules (the CSV's deduced column)."""
    return [(report_id, *ids, records.number_text(value) or None, "1" if ".".join(ids) in deduced else None)
            for row_ids, row in zip(_ids(fmt) if fmt else (), values) if row is not None
            for ids, value in zip(row_ids, row)]


@per_format
def _ids(fmt) -> list[list[tuple[str, str, str]]]:
    """Per row of the format, per column: (table, row_id, column_id)."""
    return [[(table.id, row.id, c.id) for c in columns] for table, row, columns in records.rows(fmt)]


def _labels():
    for fmt in FORMATS.values():
        for table, row, columns in records.rows(fmt):
            for column in columns:
                yield fmt.id, table.id, row.id, row.full_label, column.id, column.full_label, column.unit
