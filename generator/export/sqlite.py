"""Every cell in one SQLite file (ready for Datasette): a `reports` table and a `cells` table.

The columns are those of reports.json's entries and of the CSV, so the three never disagree.
Built in memory and serialised, with a fixed page size and rows inserted in archive order, so the
same archive gives the same bytes (for one SQLite library version).
"""
from __future__ import annotations

import sqlite3

from ..archive import Archive
from ..pages import urls
from . import records
from .csvfile import CellRow, report_rows
from .report_json import index_data

TYPES = {"id": "TEXT PRIMARY KEY", "year": "INTEGER", "value": "NUMERIC",
         "report_id": "TEXT REFERENCES reports(id)"}


def file(archive: Archive) -> tuple[str, bytes, str]:
    return urls.output_path(urls.SQLITE_URL), database(archive), "cells.sqlite"


def database(archive: Archive) -> bytes:
    reports = index_data(archive)["reports"]
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA page_size = 4096")
        _fill(db, "reports", list(reports[0]) if reports else ["id"], (tuple(r.values()) for r in reports))
        _fill(db, "cells", ["report_id", *CellRow._fields], _cells(archive))
        db.execute("CREATE INDEX cells_report ON cells (report_id)")
        db.commit()
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


def _fill(db, table: str, names: list[str], rows) -> None:
    columns = ", ".join(f'"{n}" {TYPES.get(n, "TEXT")}' for n in names)  # quoted: "table" is a keyword
    db.execute(f"CREATE TABLE {table} ({columns})")
    db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})", rows)


def _cells(archive: Archive):
    """The CSV's rows with their report id. A blank cell is NULL; NUMERIC stores 0 as an integer, 4.74 as real."""
    for report in archive.reports:
        rid = records.report_id(report)
        for row in report_rows(archive, report):
            yield (rid, *row._replace(value=row.value or None))
