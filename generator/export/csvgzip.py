"""The long CSV gzip-compressed: /data/cells.csv.gz for the whole archive and /data/cells-<year>.csv.gz
for each year. Each decompresses to exactly the bytes of the long CSV (csvfile's header, then each
report's rows made by csvfile.report_csv from the same values), so anything that reads the CSV reads it
(pandas.read_csv and DuckDB's read_csv take the .gz as it is). The rows repeat their labels, so the
files are about 16 times smaller than the CSV.

The same archive gives the same bytes: no file name and a zero modification time in the gzip header,
a fixed level (with one zlib version, which the files' keys include).
"""
from __future__ import annotations

import gzip
import hashlib
import zlib
from contextlib import ExitStack
from typing import TYPE_CHECKING, Iterable

from .. import urls
from .csvfile import HEADER

if TYPE_CHECKING:  # the build hands over its staging folder: export never imports the writer
    from ..archive import Archive
    from ..write.writer import Staging

# zlib level 3 on the CSV at 10,000 reports: 16 times smaller at 465 MB/s of CPU; level 6 (gzip's
# default) 18 times at 160 MB/s, three times the CPU for 13% fewer bytes.
LEVEL = 3


def downloads(archive: Archive) -> list[tuple[str, str]]:
    return [("全部单元格（CSV，长表，gzip 压缩）", urls.cells_url(None, "csv.gz"))] + \
        [(f"{y} 年度单元格（CSV，gzip 压缩）", urls.cells_url(y, "csv.gz")) for y in archive.years]


Plan = list  # (year or None, where to write it) of each file to write


def plan(staging: Staging, version: str, digests: list[tuple[int, str]]) -> Plan:
    """Claim every compressed file in the staging folder; those whose reports are unchanged are kept
    from the previous site, the others are returned to be written (see write). `digests`: (year, hash
    of its CSV place and values) of every report in archive order; `version`: of the program."""
    files = []
    for year in (None, *sorted({y for y, _ in digests})):
        parts = [HEADER, version, zlib.ZLIB_RUNTIME_VERSION, str(LEVEL), *(d for y, d in digests if year in (None, y))]
        key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        target = staging.fresh(urls.output_path(urls.cells_url(year, "csv.gz")), key, f"csv.gz {year or 'all'}")
        if target is not None:
            files.append((year, target))
    return files


def write(files: Plan, chunks: Iterable[tuple[int, str]]) -> None:
    """Write the planned files in one pass over `chunks`: (year, CSV rows) of every report in archive
    order, as csvfile.report_csv makes them."""
    if not files:
        return
    with ExitStack() as stack:
        out = {}
        for year, target in files:
            raw = stack.enter_context(open(target, "wb"))
            out[year] = stack.enter_context(gzip.GzipFile(filename="", mode="wb", compresslevel=LEVEL, fileobj=raw,
                                                          mtime=0))
            out[year].write(HEADER.encode())
        for year, text in chunks:
            data = text.encode()
            for y in (None, year):
                if y in out:
                    out[y].write(data)
