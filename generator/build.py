"""The build, top to bottom: read, check and make each body (in parallel, cached), stop on errors
(or when nothing changed), then the archive-wide pages, open data and search index, and move the
new and changed files into the site.

Everything is written into a staging folder beside `out` (see write/writer.py): on any error the
previous site stays as it was, and a file unchanged since the last build is left as it is.
"""
from __future__ import annotations

import multiprocessing
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import bodywork
from . import diagnostics as dg
from . import export
from .archive import Archive, combine
from .bodies import bodies
from .cache import Cache, Kind, code_version, fingerprint
from .export import csvfile, records, sqlite
from .export.jsonout import dumps
from .export.report_json import index_data
from .pages import urls
from .pages.data import data_page
from .pages.site import archive_pages
from .render.env import TEMPLATES, environment
from .search.index import keep_bundles, write_bundles
from .source.tree import read_tree
from .write.writer import Staging

STATIC = TEMPLATES / "static"
CELLS_PART = "cells-part.sqlite"  # in the cache folder: see export/sqlite.py


def check(content: Path, cache_dir: Path | None = None, jobs: int = 0) -> Archive:
    """Read and check everything, writing nothing (but the cache)."""
    cache = Cache(cache_dir)
    try:
        tree = _read_tree(content, cache)
        results = bodywork.run(bodies(tree), cache, None, jobs or bodywork.default_jobs())
    finally:
        cache.close()
    return combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL,
          cache_dir: Path | None = None, jobs: int = 0, search: bool = True) -> Archive:
    """`cache_dir`: keep results for the next build there (None: this build only); `jobs`: worker
    processes (0: one per core); `search`: update the search index (else the previous one is kept)."""
    cache = Cache(cache_dir)
    tree = _read_tree(content, cache)
    manifest_key = str(Path(out).absolute())
    staging = Staging(out, cache.get(Kind.MANIFEST, manifest_key))
    try:
        results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), search)
        archive = combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)
        if strict:
            archive.diagnostics = dg.strict(archive.diagnostics)
        if archive.errors:
            staging.abort()  # nothing is written: the previous site stays as it was
            return archive
        inputs = fingerprint(code_version(), [r.key for r in results], tree.folders, base_url, search)
        if staging.untouched() and cache.get(Kind.INPUTS, manifest_key) == inputs:
            staging.abort()  # site/ is what these very inputs made last time: nothing to do
            return archive
        _archive_files(staging, archive, results, cache, base_url, search)
        cache.put(Kind.MANIFEST, manifest_key, staging.commit())
        cache.put(Kind.INPUTS, manifest_key, inputs)
    except BaseException:
        staging.abort()
        raise
    finally:
        cache.close(prune=cache_dir is not None)
    return archive


def _read_tree(content: Path, cache: Cache):
    """The content tree, not reading again the files unchanged since the last read (see tree.py)."""
    key = str(Path(content).absolute())
    tree = read_tree(content, cache.get(Kind.HASHES, key))
    cache.put(Kind.HASHES, key, tree.hashes)
    return tree


def _archive_files(staging: Staging, archive: Archive, results: list[bodywork.Result], cache: Cache,
                   base_url: str, search: bool) -> None:
    summaries = [s for r in results for s in r.checked.summaries]  # in the archive's order, as the bodies
    index = index_data(archive, summaries)
    index_key = fingerprint(code_version(), index)
    digests = [(year, digest) for r in results for year, digest in r.made.rows]  # of each report's cells
    env = environment()
    with _sqlite_beside(staging, index, fingerprint(digests, index_key), digests, results, cache):
        for page in archive_pages(archive, summaries):
            _add_page(staging, env, page)
        staging.put(urls.output_path(urls.REPORTS_JSON_URL), index_key, "reports.json", lambda: dumps(index))
        for path, data, owner in export.archive_files(archive, summaries, base_url):  # schemas, Atom
            staging.add(path, data, owner)
        csvfile.write_files(staging, code_version(), digests, lambda: (
            (report.year, csvfile.report_csv(place, report.format, values))
            for r in results for report, (place, values) in zip(r.checked.archive.reports, cache.get(Kind.VALUES, r.key))))
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
    part_key = cache.folder / f"{CELLS_PART}.key"
    cells = None if part_key.is_file() and part_key.read_text(encoding="ascii") == cells_key else \
        (cells_key, [(r.key, r.checked.archive.reports) for r in results])
    cache.commit()  # the helper reads the values from the cache file
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        made = helper.submit(_write_sqlite, database, index, cache.folder, cells)
        yield
        made.result()


def _write_sqlite(target: Path, index: dict, cache_folder: Path, cells: tuple[str, list] | None) -> None:
    """In the helper process: cells.sqlite. Its cells part, kept in the cache folder with its key beside
    it, is made again from each body's values (read with a connection of its own) unless `cells` is None."""
    part = cache_folder / CELLS_PART
    if cells is not None:
        key, bodies = cells
        cache = Cache(cache_folder)
        try:
            scratch = part.with_suffix(".new")
            sqlite.write_cells(scratch, (
                sqlite.report_cells(records.report_id(report), report.format, values)
                for body, reports in bodies for report, (_, values) in zip(reports, cache.get(Kind.VALUES, body))))
            scratch.replace(part)
            (cache_folder / f"{CELLS_PART}.key").write_text(key, encoding="ascii")
        finally:
            cache.db.close()
    sqlite.write_file(target, part, index)


def _search_index(staging: Staging, results: list[bodywork.Result], cache: Cache) -> None:
    owner = {path: r.key for r in results for path in r.made.documents}

    def documents(paths: set[str]) -> dict[str, str]:
        keys = dict.fromkeys(owner[p] for p in sorted(paths))
        return {p: html for key in keys for p, html in cache.get(Kind.DOCUMENTS, key).items() if p in paths}
    write_bundles(staging, {p: d for r in results for p, d in r.made.documents.items()}, documents)


def _add_page(staging: Staging, env, page) -> None:
    """Render a page unless the previous build rendered it from the same context with the same program."""
    staging.put(urls.output_path(page.url), fingerprint(code_version(), page.template, page.url, page.context),
                page.owner, lambda: env.get_template(page.template).render(page.context, page_url=page.url))
