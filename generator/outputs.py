"""The archive-wide files of the site: a declared list of outputs, run in named phases.

Report pages and report JSON are made per body (bodywork.py). Everything else is an Output here:
it says what it needs (fields of Inputs), what it writes, in which phase it runs, and which of its
files are downloads; the data page lists the downloads of every output, in this list's order. A new
output is one more entry in OUTPUTS and a function that writes its files into the staging folder.

Phases run in order, each when what it needs exists: the archive's pages and open data first; the
data page once the downloads exist (it shows their sizes); the search index; the static assets;
the files for crawlers, which list every page. An output marked `beside` runs in a helper process
while the rest of its phase runs.
"""
from __future__ import annotations

import errno
import multiprocessing
import os
import sqlite3
import zlib
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterator

from .archive import Archive
from .bodywork import Result
from .cache import CELLS_PART, CELLS_SCRATCH, Cache, CacheError, Kind, code_version, fingerprint, remove
from .export import crawler_files, csvfile, feeds, quality_csv, records, schema, sqlite, wide
from .export import columnar, csvgzip
from .export.jsonout import dumps
from .export.report_json import index_data
from .export.tabular import csv_text
from .formats import FORMATS
from .model import ReportMeta
from .model.fields import NO_FORMAT
from . import urls
from .export.datapage import data_page
from .pages.page import Page
from .pages.redirects import redirect_pages
from .pages.site import archive_pages, stats_page
from .render.env import TEMPLATES, shared
from .search.index import keep_bundles, write_bundles
from .search.records import search_page
from .stats.pages import ARCHIVE_TABLES
from .summaries import Summary
from .write.spool import Spool, Stored
from .write.writer import Staging

STATIC = TEMPLATES / "static"


class Phase(IntEnum):
    ARCHIVE = 1  # pages and open data, from the summaries and the bodies' values
    DATA_PAGE = 2  # after the downloads: it shows their sizes
    SEARCH = 3  # the search index, from the bodies' documents
    ASSETS = 4  # the stylesheet and scripts
    CRAWLERS = 5  # after every other file: sitemap.xml lists every page


@dataclass
class Inputs:
    """What the outputs are made from: the checked archive, the bodies' results (their values and
    documents: `values(key)`, `documents(key)`) and the build's options."""
    staging: Staging
    archive: Archive
    results: list[Result]
    cache: Cache  # what previous builds made (the bodies this build reused)
    base_url: str
    search: bool
    spool: Spool | None = None  # what this build's workers made (None: every body reused)
    summaries: list[Summary] = field(init=False)  # of every report, in the archive's order
    index: dict[str, object] = field(init=False)  # reports.json's data
    index_key: str = field(init=False)
    digests: list[tuple[int, str]] = field(init=False)  # (year, hash of its cells) of each report
    env: object = field(init=False)  # jinja2
    helper: ProcessPoolExecutor | None = field(init=False, default=None)  # see _helper

    def __post_init__(self):
        self.summaries = [s for r in self.results for s in r.checked.summaries]  # bodies are in archive order
        self.index = index_data(self.archive, self.summaries)
        self.index_key = fingerprint(code_version(), self.index)
        self.digests = [(year, digest) for r in self.results for year, digest in r.made.rows]
        self.env = shared()

    def values(self, key: str) -> list[tuple[str, tuple]]:
        """A body's reports' CSV place and values (see bodywork.Values), by its key."""
        return Stored(self.spool, self.cache).get(Kind.VALUES, key)

    def documents(self, key: str) -> dict[str, str]:
        """A body's search index documents: site path -> JSON."""
        return Stored(self.spool, self.cache).get(Kind.DOCUMENTS, key)

    def scratch(self) -> Path:
        """A folder kept for later builds (the cache's), else this build's (the spool's)."""
        return self.cache.folder or self.spool.dir

    def helper_args(self) -> tuple[Path | None, Path | None]:
        """What a helper process needs to read the values (see `stored`): the cache is committed first."""
        self.cache.commit()
        return (self.spool.dir if self.spool else None), self.cache.folder


def stored(spool_dir: Path | None, cache_folder: Path | None) -> tuple[Stored, Cache | None]:
    """In a helper process: the bodies' values, from the spool or a connection of its own to the cache."""
    cache = Cache(cache_folder) if cache_folder else None
    return Stored(Spool(spool_dir) if spool_dir else None, cache), cache


@dataclass(frozen=True)
class Output:
    name: str
    phase: Phase
    needs: tuple[str, ...]  # the fields of Inputs it reads
    writes: str  # the files it makes (URLs)
    make: Callable[[Inputs], object]  # writes its files into inputs.staging
    downloads: Callable[[Archive], list[tuple[str, str]]] | None = None  # (label, URL) on the data page
    beside: bool = False  # make(inputs) is a context manager: runs while the rest of its phase runs


def add_page(staging: Staging, env, page: Page) -> None:
    """Render a page unless the previous build rendered it from the same context with the same program
    (`env`: the jinja2 environment). `nianbao serve` (live.py) adds its pages this way too."""
    staging.put(urls.output_path(page.url), fingerprint(code_version(), page.template, page.url, page.context),
                page.owner, lambda: env.get_template(page.template).render(page.context, page_url=page.url))


def add_tables(staging: Staging, page: Page) -> None:
    """The CSV files a page declares beside it (a year's or a region's figures, statistics tables)."""
    for url, head, rows in page.downloads:
        staging.add(urls.output_path(url), csv_text(head, rows), page.owner)


def _pages(inputs: Inputs) -> None:
    for page in (*archive_pages(inputs.archive, inputs.summaries), search_page()):
        add_page(inputs.staging, inputs.env, page)
        add_tables(inputs.staging, page)


def _statistics(inputs: Inputs) -> None:
    page = stats_page(inputs.archive, inputs.summaries)
    add_page(inputs.staging, inputs.env, page)
    add_tables(inputs.staging, page)


def _statistics_downloads(archive: Archive) -> list[tuple[str, str]]:
    return [(f"统计：{caption}（CSV）", urls.stats_csv_url((), table_id)) for table_id, caption in ARCHIVE_TABLES]


def _year_figures_downloads(archive: Archive) -> list[tuple[str, str]]:
    return [(f"{y} 年度各报告的主要数字和比率（CSV）", urls.year_figures_csv_url(y)) for y in archive.years]


@contextmanager
def _wide(inputs: Inputs) -> Iterator[None]:
    """The wide CSV and XLSX files whose reports changed, written by a helper process while the rest of
    the phase runs, from each body's values (as cells.sqlite)."""
    entries = [wide.Entry(report.year, records.format_id(report),
                          wide.lead(inputs.archive, report, summary.quality.label, inputs.base_url), digest)
               for r in inputs.results
               for report, summary, (_, digest) in zip(r.checked.archive.reports, r.checked.summaries, r.made.rows)]
    files = wide.plan(inputs.staging, code_version(), entries)
    with _helper(inputs, files, _write_wide, files, entries):
        yield


def _write_wide(values: Stored, keys: list[str], files: wide.Plan, entries: list[wide.Entry]) -> None:
    wide.write(files, entries, (v for _, v in _values(values, keys)))


@contextmanager
def _cells_gzip(inputs: Inputs) -> Iterator[None]:
    """cells.csv.gz and each year's, those whose reports changed, compressed by a helper process while
    the rest of the phase runs, from each body's values and the CSV's own rows."""
    files = csvgzip.plan(inputs.staging, code_version(), inputs.digests)
    with _helper(inputs, files, _write_gzip, files,
                 [(report.year, report.format, report.deduced) for r in inputs.results
                  for report in r.checked.archive.reports]):
        yield


def _write_gzip(values: Stored, keys: list[str], files: csvgzip.Plan, reports: list[tuple]) -> None:
    csvgzip.write(files, ((year, csvfile.report_csv(place, fmt, v, deduced))
                          for (year, fmt, deduced), (place, v) in zip(reports, _values(values, keys))))


@contextmanager
def _cells_parquet(inputs: Inputs) -> Iterator[None]:
    """The long table as Parquet files, those whose reports changed, written by a helper process while
    the rest of the phase runs, from each body's values."""
    entries = [columnar.entry(inputs.archive, report, digest)
               for r in inputs.results for report, (_, digest) in zip(r.checked.archive.reports, r.made.rows)]
    files = columnar.plan(inputs.staging, code_version(), entries)
    with _helper(inputs, files, _write_parquet, files, entries):
        yield


def _write_parquet(values: Stored, keys: list[str], files: columnar.Plan, entries: list[columnar.Entry]) -> None:
    columnar.write(files, entries, (v for _, v in _values(values, keys)))


@contextmanager
def _helper(inputs: Inputs, files: list, write: Callable, *args, alone: bool = False) -> Iterator[None]:
    """Runs write(values, body keys, *args) in the phase's helper process while the rest of the phase runs,
    unless there are no `files` to write. The downloads made this way share one helper, one after the
    other: at 10,000 reports each holds its own buffers, and beside the workers' pages, the SQLite helper
    and the main process, more processes would not find a free core anyway. `alone`: in a process of its
    own (cells.sqlite, which takes as long as the rest of the phase)."""
    if not files:
        yield
        return
    with ExitStack() as stack:
        if alone:
            helper = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")))
        else:
            if inputs.helper is None:
                inputs.helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            helper = inputs.helper
        made = helper.submit(_in_helper, write, inputs.helper_args(), [r.key for r in inputs.results], args)
        yield
        made.result()


def _stop_helper(inputs: Inputs) -> None:
    if inputs.helper is not None:
        inputs.helper.shutdown(cancel_futures=True)
        inputs.helper = None


def _in_helper(write: Callable, where: tuple[Path | None, Path | None], keys: list[str], args: tuple) -> None:
    values, cache = stored(*where)  # a connection of its own to the cache
    try:
        write(values, keys, *args)
    finally:
        if cache:
            cache.close()


def _values(values: Stored, keys: list[str]) -> Iterator[tuple[str, records.Values]]:
    """(CSV place, records.values()) of every report, in archive order."""
    return (report for key in keys for report in values.get(Kind.VALUES, key))


def _reports_json(inputs: Inputs) -> None:
    inputs.staging.put(urls.output_path(urls.REPORTS_JSON_URL), inputs.index_key, "reports.json",
                       lambda: dumps(inputs.index))


def _schemas(inputs: Inputs) -> None:
    for path, data, owner in schema.files():
        inputs.staging.add(path, data, owner)


def _feed(inputs: Inputs) -> None:
    inputs.staging.add(*feeds.atom_file(inputs.archive, inputs.summaries, inputs.base_url))


def _quality_csv(inputs: Inputs) -> None:
    inputs.staging.add(*quality_csv.csv_file(inputs.archive))


def _cells_csv(inputs: Inputs) -> None:
    csvfile.write_files(inputs.staging, code_version(), inputs.digests, lambda: (
        (report.year, csvfile.report_csv(place, report.format, values, report.deduced))
        for r in inputs.results
        for report, (place, values) in zip(r.checked.archive.reports, inputs.values(r.key))))


@contextmanager
def _cells_sqlite(inputs: Inputs) -> Iterator[None]:
    """cells.sqlite, unless the previous site has it with this key, made by a helper process while the
    rest of the phase runs: it takes as long as the archive pages and the CSV together."""
    key = fingerprint(inputs.digests, inputs.index_key)
    database = inputs.staging.fresh(urls.output_path(urls.SQLITE_URL), key, "cells.sqlite")
    if database is None:
        yield
        return
    cells_key = fingerprint(code_version(), inputs.digests)
    cells = None if _part_key(inputs.scratch()) == cells_key else \
        (cells_key, [r.checked.archive.reports for r in inputs.results])
    with _helper(inputs, [database], _write_sqlite, database, inputs.index, inputs.scratch(), cells, alone=True):
        yield


def _part_key(cache_folder: Path) -> str | None:
    """The key of the cells part in the cache folder, if the part is still the file written with it
    (its key file also holds the part's size and modification time: a part changed since is made
    again; and its checksum, which the helper checks before using it: see _write_sqlite)."""
    try:
        key, size, mtime, _ = (cache_folder / f"{CELLS_PART}.key").read_text(encoding="ascii").split()
        stat = os.stat(cache_folder / CELLS_PART)
    except (OSError, ValueError):
        return None
    return key if (str(stat.st_size), str(stat.st_mtime_ns)) == (size, mtime) else None


def _checksum(path: Path) -> str:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def _write_sqlite(values: Stored, keys: list[str], target: Path, index: dict[str, object], folder: Path,
                  cells: tuple[str, list[list[ReportMeta]]] | None) -> None:
    """In the helper process: cells.sqlite. Its cells part, kept in `folder` (the cache's, or with no
    cache the spool's) with its key beside it, is made again from each body's values unless `cells` is
    None (then `cells` holds its key and each body's reports, in the order of `keys`)."""
    part, key_file = folder / CELLS_PART, folder / f"{CELLS_PART}.key"
    if cells is not None:
        key, bodies = cells
        scratch = folder / CELLS_SCRATCH
        remove(scratch)
        if part.is_dir():  # a folder in its place
            remove(part)
        try:
            sqlite.write_cells(scratch, (
                sqlite.report_cells(records.report_id(report), report.format, v, report.deduced)
                for body, reports in zip(keys, bodies)
                for report, (_, v) in zip(reports, values.get(Kind.VALUES, body))))
        except sqlite3.OperationalError as exc:
            raise _sqlite_error(exc, scratch) from None
        scratch.replace(part)
        stat = part.stat()
        key_file.write_text(f"{key} {stat.st_size} {stat.st_mtime_ns} {_checksum(part)}", encoding="ascii")
    else:  # damaged in place since it was written (its dates kept): any error reading it means a fresh cache
        try:
            sound = key_file.read_text(encoding="ascii").split()[-1] == _checksum(part)
        except (OSError, IndexError):
            sound = False
        if not sound:
            raise CacheError(f"{part}：校验和不符")
    try:
        sqlite.write_file(target, part, index)
    except sqlite3.OperationalError as exc:
        if "full" in str(exc):
            raise _sqlite_error(exc, target) from None
        raise CacheError(f"{part}：{exc}") from None
    except (sqlite3.DatabaseError, IsADirectoryError, FileNotFoundError) as exc:  # the part, damaged or gone
        raise CacheError(f"{part}：{exc}") from None


def _sqlite_error(exc: sqlite3.OperationalError, path: Path) -> Exception:
    """A full disk while SQLite writes is an OSError like any other write's."""
    if "full" in str(exc):
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, str(exc), str(path))


def _data_page(inputs: Inputs) -> None:
    add_page(inputs.staging, inputs.env, data_page(inputs.archive, inputs.staging.size, downloads(inputs.archive)))


def _search_index(inputs: Inputs) -> None:
    if not inputs.search:
        keep_bundles(inputs.staging)  # a build without indexing keeps the previous index
        return
    results = inputs.results
    owner = {path: r.key for r in results for path in r.made.documents}

    def documents(paths: set[str]) -> dict[str, str]:
        keys = dict.fromkeys(owner[p] for p in sorted(paths))
        return {p: html for key in keys for p, html in inputs.documents(key).items() if p in paths}
    write_bundles(inputs.staging, {p: d for r in results for p, d in r.made.documents.items()}, documents)


def _assets(inputs: Inputs) -> None:
    for asset in sorted(STATIC.rglob("*")):
        if asset.is_file():
            inputs.staging.add(f"assets/{asset.relative_to(STATIC).as_posix()}", asset.read_bytes(), "static")


def _crawler_files(inputs: Inputs) -> None:
    redirects = frozenset(urls.output_path(page.url) for page in redirect_pages(inputs.archive))
    for path, data, owner in crawler_files(inputs.staging.keys, inputs.base_url, redirects):
        inputs.staging.add(path, data, owner)


OUTPUTS: tuple[Output, ...] = (
    Output("cells.csv", Phase.ARCHIVE, ("results", "digests", "spool", "cache"), "/data/cells-<year>.csv",
           _cells_csv, lambda archive: [(f"{y} 年度单元格（CSV）", urls.year_csv_url(y)) for y in archive.years]),
    Output("cells.csv.gz", Phase.ARCHIVE, ("results", "digests", "spool", "cache"), "/data/cells[-<year>].csv.gz",
           _cells_gzip, csvgzip.downloads, beside=True),
    Output("cells.parquet", Phase.ARCHIVE, ("archive", "results", "spool", "cache"), "/data/cells[-<year>].parquet",
           _cells_parquet, columnar.downloads, beside=True),
    Output("wide", Phase.ARCHIVE, ("archive", "results", "spool", "cache", "base_url"),
           "/data/wide[-<year>][-part<n>].csv, /data/wide[-<year>].xlsx", _wide, wide.downloads, beside=True),
    Output("cells.sqlite", Phase.ARCHIVE, ("results", "digests", "index", "spool", "cache"), "/data/cells.sqlite",
           _cells_sqlite, lambda archive: [("全部单元格（SQLite，可用 Datasette 打开）", urls.SQLITE_URL)],
           beside=True),
    Output("reports.json", Phase.ARCHIVE, ("index",), "/data/reports.json", _reports_json,
           lambda archive: [("报告索引（JSON）", urls.REPORTS_JSON_URL)]),
    Output("schemas", Phase.ARCHIVE, (), "/schema/<format>.json", _schemas,
           lambda archive: [(f"JSON Schema：{f.id} 年格式", urls.schema_url(f.id)) for f in FORMATS.values()]
           + [("JSON Schema：无统一表格的报告", urls.schema_url(NO_FORMAT))]),
    Output("feed", Phase.ARCHIVE, ("archive", "summaries", "base_url"), "/feed.xml", _feed,
           lambda archive: [("最新报告订阅（Atom）", urls.FEED_URL)]),
    Output("quality.csv", Phase.ARCHIVE, ("archive",), "/quality/quality.csv", _quality_csv,
           lambda archive: [("数据质量统计：各地区核验结果（CSV）", urls.QUALITY_CSV_URL)]),
    Output("statistics", Phase.ARCHIVE, ("archive", "summaries", "env"), "/stats/, /stats/<table>.csv", _statistics,
           _statistics_downloads),
    Output("pages", Phase.ARCHIVE, ("archive", "summaries", "env"),
           "/, /404.html, /search/, a page per folder and per year, with figures.csv (a region's: stats-<table>.csv)",
           _pages, _year_figures_downloads),
    Output("data page", Phase.DATA_PAGE, ("archive", "staging", "env"), "/data/", _data_page),
    Output("search index", Phase.SEARCH, ("results", "spool", "cache", "search"), "/search-index/…", _search_index),
    Output("assets", Phase.ASSETS, (), "/assets/…", _assets),
    Output("crawler files", Phase.CRAWLERS, ("staging", "archive", "base_url"), "/sitemap.xml, /robots.txt",
           _crawler_files),
)


def downloads(archive: Archive, outputs: tuple[Output, ...] = OUTPUTS) -> list[tuple[str, str]]:
    """(label, URL) of every download, as the data page lists them."""
    return [d for o in outputs if o.downloads for d in o.downloads(archive)]


def make_all(inputs: Inputs, outputs: tuple[Output, ...] = OUTPUTS) -> None:
    """Every output, phase by phase; within a phase, those `beside` start first and are waited for last."""
    for phase in Phase:
        members = [o for o in outputs if o.phase == phase]
        with ExitStack() as stack:
            stack.callback(_stop_helper, inputs)
            for output in members:
                if output.beside:
                    stack.enter_context(output.make(inputs))
            for output in members:
                if not output.beside:
                    output.make(inputs)
