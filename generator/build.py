"""The build, top to bottom: read, check and make each body (in parallel, cached), stop on errors,
then the archive-wide pages, open data and search index, and swap the new site in.

Everything is written into a staging folder beside `out` (see write/writer.py): on any error the
previous site stays as it was, and a file unchanged since the last build is linked, not written.
"""
from __future__ import annotations

from pathlib import Path

from . import bodywork
from . import diagnostics as dg
from . import export
from .archive import Archive, combine
from .bodies import bodies
from .cache import Cache, code_version, fingerprint
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


def check(content: Path, cache_dir: Path | None = None, jobs: int = 0) -> Archive:
    """Read and check everything, writing nothing (but the cache)."""
    tree = read_tree(content)
    cache = Cache(cache_dir)
    try:
        results = bodywork.run(bodies(tree), cache, None, jobs or bodywork.default_jobs())
    finally:
        cache.close()
    return combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL,
          cache_dir: Path | None = None, jobs: int = 0, search: bool = True) -> Archive:
    """`cache_dir`: keep results for the next build there (None: this build only); `jobs`: worker
    processes (0: one per core); `search`: update the search index (else the previous one is kept)."""
    tree = read_tree(content)
    cache = Cache(cache_dir)
    manifest_key = str(Path(out).absolute())
    staging = Staging(out, cache.get("manifest", manifest_key))
    try:
        results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), search)
        archive = combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)
        if strict:
            archive.diagnostics = dg.strict(archive.diagnostics)
        if archive.errors:
            staging.abort()  # nothing is written: the previous site stays as it was
            return archive
        _archive_files(staging, archive, results, cache, base_url, search)
        cache.put("manifest", manifest_key, staging.commit())
    except BaseException:
        staging.abort()
        raise
    finally:
        cache.close(prune=cache_dir is not None)
    return archive


def _archive_files(staging: Staging, archive: Archive, results: list[bodywork.Result], cache: Cache,
                   base_url: str, search: bool) -> None:
    env = environment()
    summaries = [s for r in results for s in r.checked.summaries]
    for page in archive_pages(archive, summaries):
        _add_page(staging, env, page)
    index = index_data(archive)
    index_key = fingerprint(code_version(), index)
    staging.put(urls.output_path(urls.REPORTS_JSON_URL), index_key, "reports.json", lambda: dumps(index))
    for path, data, owner in export.archive_files(archive, base_url):  # schemas, Atom
        staging.add(path, data, owner)

    def values():  # (light report, its CSV place, its values) in archive order, read from the cache
        for r in results:
            yield from zip(r.checked.archive.reports, cache.get("values", r.key))
    digests = [(year, digest) for r in results for year, digest in r.made.rows]
    csvfile.write_files(staging, code_version(), digests,
                        lambda: ((rep.year, csvfile.report_csv(place, rep.format, v)) for rep, (place, v) in values()))
    sqlite.write_file(staging, index, fingerprint(digests, index_key),
                      lambda: (sqlite.report_cells(records.report_id(rep), rep.format, v) for rep, (_, v) in values()))
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
