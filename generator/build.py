"""The build, top to bottom: read, check and make each body (in parallel, cached), stop on errors
(or when nothing changed), then the archive-wide pages, open data and search index, and move the
new and changed files into the site.

Everything is written into a staging folder beside `out` (see write/writer.py): on any error the
previous site stays as it was, and a file unchanged since the last build is left as it is.
"""
from __future__ import annotations

import errno
import multiprocessing
import os
import sqlite3
import sys
import zlib
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import bodywork
from . import diagnostics as dg
from . import export
from .archive import Archive, combine
from .bodies import bodies
from .cache import Cache, CacheError, code_version, fingerprint, heal, remove
from .export import csvfile, records, sqlite
from .export.jsonout import dumps
from .export.report_json import index_data
from .pages import urls
from .pages.data import data_page
from .pages.site import archive_pages
from .render.env import TEMPLATES, environment
from .search.index import keep_bundles, write_bundles
from .source.tree import read_tree
from .write import output
from .write.writer import Staging

STATIC = TEMPLATES / "static"
CELLS_PART = "cells-part.sqlite"  # in the cache folder: see export/sqlite.py
CELLS_SCRATCH = "cells-part.new"


def check(content: Path, cache_dir: Path | None = None, jobs: int = 0) -> Archive:
    """Read and check everything, writing nothing (but the cache)."""
    def run() -> Archive:
        cache = Cache(cache_dir)
        with _closing(cache, prune=False):
            return _check_tree(_read_tree(content, cache), cache, jobs)
    return _healing(cache_dir, run)


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL,
          cache_dir: Path | None = None, jobs: int = 0, search: bool = True, force: bool = False) -> Archive:
    """`cache_dir`: keep results for the next build there (None: this build only); `jobs`: worker
    processes (0: one per core); `search`: update the search index (else the previous one is kept);
    `force`: write into a folder holding files the build did not make (they are kept as they are).
    Raises OutputError when `out` may not be written (see write/output.py)."""
    target = output.check_target(out, content)
    lock = output.Lock(target, str(out))
    try:
        if output.recover(target):
            _note(f"上次生成在更新 {out} 时中断，已先完成那次更新")
        return _healing(cache_dir, lambda: _build(content, target, str(out), lock, strict, base_url, cache_dir,
                                                  jobs, search, force))
    finally:
        lock.release()


def _build(content: Path, out: Path, label: str, lock: output.Lock, strict: bool, base_url: str,
           cache_dir: Path | None, jobs: int, search: bool, force: bool) -> Archive:
    cache = Cache(cache_dir)
    with _closing(cache, prune=cache_dir is not None):
        tree = _read_tree(content, cache)
        state = output.read_state(out, lambda: cache.get("manifest", str(Path(label).absolute())), force)
        if state.unknown:  # refused: but the content's own errors are told first
            archive = _check_tree(tree, cache, jobs, strict)
            if archive.errors:
                return archive
            raise output.OutputError(output.refusal(label, state))
        staging = Staging(out, state, lock)
        try:
            results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), search)
            archive = _combine(tree, results, strict)
            if archive.errors:
                staging.abort()  # nothing is written: the previous site stays as it was
                return archive
            inputs = fingerprint(code_version(), [r.key for r in results], tree.folders, base_url, search)
            if staging.untouched() and state.inputs == inputs:
                staging.abort()  # site/ is what these very inputs made last time: nothing to do
                return archive
            _archive_files(staging, archive, results, cache, base_url, search)
            staging.commit(inputs)
        except BaseException:
            staging.abort()
            raise
    return archive


def _check_tree(tree, cache: Cache, jobs: int, strict: bool = False) -> Archive:
    return _combine(tree, bodywork.run(bodies(tree), cache, None, jobs or bodywork.default_jobs()), strict)


def _combine(tree, results: list[bodywork.Result], strict: bool) -> Archive:
    archive = combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)
    if strict:
        archive.diagnostics = dg.strict(archive.diagnostics)
    return archive


@contextmanager
def _closing(cache: Cache, prune: bool):
    """Close the cache; a failure while closing it is reported only if nothing else failed first."""
    try:
        yield
    except BaseException:
        try:
            cache.close()
        except (CacheError, OSError):
            pass
        raise
    cache.close(prune=prune)


def _healing(cache_dir: Path | None, run):
    """Run a build or a check; if the cache cannot be read, once more from a fresh cache."""
    try:
        return run()
    except CacheError as exc:
        if cache_dir is None:
            raise
        _note(f"缓存无法读取，已删除并重新生成（本次为完整生成）：{exc}")
        heal(Path(cache_dir), (CELLS_PART, f"{CELLS_PART}.key", CELLS_SCRATCH))
        return run()


def _note(message: str) -> None:
    print(f"nianbao: 注意：{message}", file=sys.stderr, flush=True)


def _read_tree(content: Path, cache: Cache):
    """The content tree, not reading again the files unchanged since the last read (see tree.py)."""
    key = str(Path(content).absolute())
    tree = read_tree(content, cache.get("hashes", key))
    cache.put("hashes", key, tree.hashes)
    return tree


def _archive_files(staging: Staging, archive: Archive, results: list[bodywork.Result], cache: Cache,
                   base_url: str, search: bool) -> None:
    index = index_data(archive)
    index_key = fingerprint(code_version(), index)
    digests = [(year, digest) for r in results for year, digest in r.made.rows]  # of each report's cells
    env = environment()
    with _sqlite_beside(staging, index, fingerprint(digests, index_key), digests, results, cache):
        summaries = [s for r in results for s in r.checked.summaries]
        for page in archive_pages(archive, summaries):
            _add_page(staging, env, page)
        staging.put(urls.output_path(urls.REPORTS_JSON_URL), index_key, "reports.json", lambda: dumps(index))
        for path, data, owner in export.archive_files(archive, base_url):  # schemas, Atom
            staging.add(path, data, owner)
        csvfile.write_files(staging, code_version(), digests, lambda: (
            (report.year, csvfile.report_csv(place, report.format, values, report.deduced))
            for r in results for report, (place, values) in zip(r.checked.archive.reports, cache.get("values", r.key))))
    _add_page(staging, env, data_page(archive, staging.size))  # with the real sizes of the downloads
    if search:
        _search_index(staging, results, cache)
    else:
        keep_bundles(staging)
    for asset in sorted(STATIC.rglob("*")):
        if asset.is_file():
            staging.add(f"assets/{asset.relative_to(STATIC).as_posix()}", asset.read_bytes(), "static")
    for path, data, owner in export.crawler_files(staging.keys, base_url):  # sitemap lists every page
        staging.add(path, data, owner)


@contextmanager
def _sqlite_beside(staging: Staging, index: dict, key: str, digests: list, results: list[bodywork.Result],
                   cache: Cache):
    """cells.sqlite, unless the previous site has it with this key, made by a helper process while the
    block runs: it takes as long as the archive pages and the CSV together."""
    database = staging.fresh(urls.output_path(urls.SQLITE_URL), key, "cells.sqlite")
    if database is None:
        yield
        return
    cells_key = fingerprint(code_version(), digests)
    cells = None if _part_key(cache.folder) == cells_key else \
        (cells_key, [(r.key, r.checked.archive.reports) for r in results])
    cache.commit()  # the helper reads the values from the cache file
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        made = helper.submit(_write_sqlite, database, index, cache.folder, cells)
        yield
        made.result()


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


def _write_sqlite(target: Path, index: dict, cache_folder: Path, cells: tuple[str, list] | None) -> None:
    """In the helper process: cells.sqlite. Its cells part, kept in the cache folder with its key beside
    it, is made again from each body's values (read with a connection of its own) unless `cells` is None."""
    part, key_file = cache_folder / CELLS_PART, cache_folder / f"{CELLS_PART}.key"
    if cells is not None:
        key, bodies = cells
        cache = Cache(cache_folder)
        try:
            scratch = cache_folder / CELLS_SCRATCH
            remove(scratch)
            if part.is_dir():  # a folder in its place
                remove(part)
            try:
                sqlite.write_cells(scratch, (
                    sqlite.report_cells(records.report_id(report), report.format, values, report.deduced)
                    for body, reports in bodies for report, (_, values) in zip(reports, cache.get("values", body))))
            except sqlite3.OperationalError as exc:
                raise _sqlite_error(exc, scratch) from None
            scratch.replace(part)
            stat = part.stat()
            key_file.write_text(f"{key} {stat.st_size} {stat.st_mtime_ns} {_checksum(part)}", encoding="ascii")
        finally:
            cache.db.close()
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


def _search_index(staging: Staging, results: list[bodywork.Result], cache: Cache) -> None:
    owner = {path: r.key for r in results for path in r.made.documents}

    def documents(paths: set[str]) -> dict[str, str]:
        keys = dict.fromkeys(owner[p] for p in sorted(paths))
        return {p: html for key in keys for p, html in cache.get("documents", key).items() if p in paths}
    write_bundles(staging, {p: d for r in results for p, d in r.made.documents.items()}, documents)


def _add_page(staging: Staging, env, page) -> None:
    """Render a page unless the previous build rendered it from the same context with the same program."""
    staging.put(urls.output_path(page.url), fingerprint(code_version(), page.template, page.url, page.context),
                page.owner, lambda: env.get_template(page.template).render(page.context, page_url=page.url))
