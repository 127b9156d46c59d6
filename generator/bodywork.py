"""Run the per-body work of a build or a check: in worker processes, with the cache.

For each body (see bodies.py), a worker parses and checks it and, when building, renders its
report pages and report JSON straight into the staging folder and makes its share of the
archive-wide files: CSV rows, SQLite cells and search index documents. The main process keeps
only what the archive-wide pages need (each report's metadata, key figures and quality) and the
diagnostics; the heavy shares stay in the cache until the step that streams them out.

A body whose key (see Body.key) is in the cache is not run again: its results come from the
cache and its files are hard-linked from the previous site.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from dataclasses import dataclass

from .archive import Archive
from .bodies import Body, load_body
from .cache import Cache, code_version
from .export import csvfile, report_json, sqlite
from .model import Report
from .pages import urls
from .pages.site import report_page, summarise
from .render.env import environment
from .search.records import index_documents
from .write.writer import Staging, digest

INLINE_BELOW = 8  # bodies: fewer than this are not worth starting worker processes for


@dataclass
class Checked:
    """What the whole-archive steps need of a body: its reports' metadata and its diagnostics."""
    archive: Archive  # reports without their cells or narrative
    summaries: list[dict]  # crumbs, key figures and quality of each report (see pages/site.py)


@dataclass
class Made:
    files: dict[str, str]  # site path -> key of each file written for the body
    documents: dict[str, str]  # search index document path -> hash of its HTML
    rows: list[tuple[int, str]]  # (year, hash of its CSV rows) of each report


@dataclass
class Shares:
    """A body's share of the archive-wide files, one entry per report in archive order."""
    csv: list[tuple[int, str]]  # (year, CSV rows)
    cells: list[list[tuple]]  # SQLite rows of the cells table
    documents: dict[str, str]  # search index document path -> HTML


@dataclass
class Result:
    key: str
    checked: Checked
    made: Made | None = None


def _metadata_only(report: Report) -> Report:
    return dataclasses.replace(report, tables={}, known_issues=[], narrative="", key_pos={})


def check_body(body: Body) -> tuple[Archive, list[dict], Checked]:
    """The body's archive and page summaries, and their light copy for the main process."""
    archive = load_body(body)
    summaries = summarise(archive)
    light = {id(r): _metadata_only(r) for r in archive.reports}
    return archive, summaries, Checked(Archive(archive.folders, list(light.values()), archive.diagnostics),
                                       [s | {"report": light[id(s["report"])]} for s in summaries])


_env = None
_staging: Staging | None = None  # set before the workers fork: they inherit it, it is not sent per job


def make_body(body: Body) -> tuple[Checked, Made | None, Shares | None, set[str]]:
    """Check the body and, if it has no errors, write its files into the staging folder
    (all but those the previous site has byte for byte: their paths are returned as kept)."""
    global _env
    archive, summaries, checked = check_body(body)
    if archive.errors:
        return checked, None, None, set()
    _env = _env or environment()
    files, kept = {}, set()
    for report in archive.reports:
        page = report_page(archive, report)
        html = _env.get_template(page.template).render(page.context, page_url=page.url)
        for path, data in ((urls.output_path(page.url), html.encode()), report_json.report_file(archive, report)):
            files[path], unchanged = _staging.write(path, data, report.path)
            if unchanged:
                kept.add(path)
    documents = index_documents(archive, summaries, _env)
    shares = Shares([(r.year, csvfile.report_csv(archive, r)) for r in archive.reports],
                    [list(sqlite.report_cells(r)) for r in archive.reports], documents)
    rows = [(year, digest(text.encode())) for year, text in shares.csv]
    return checked, Made(files, {p: digest(h.encode()) for p, h in documents.items()}, rows), shares, kept


def _work(job: tuple[Body, str, bool]):
    body, key, make = job
    if not make:
        return key, check_body(body)[2], None, None, set()
    return key, *make_body(body)


def run(bodies: list[Body], cache: Cache, staging: Staging | None, jobs: int) -> list[Result]:
    """Every body's results, in the order given; only bodies not in the cache are run."""
    global _staging
    _staging = staging
    code = code_version()
    keys = [body.key(code) for body in bodies]
    owners = {key: "/".join(body.slugs) for key, body in zip(keys, bodies)}
    results: dict[str, Result] = {}
    todo = []
    for body, key in zip(bodies, keys):
        cached = cache.get("body", key)  # (Checked, Made or None if only checked so far)
        if cached and staging is None:
            results[key] = Result(key, cached[0])
        elif cached and cached[1] and staging.reusable(cached[1].files) and cache.has("shares", key):
            staging.adopt(cached[1].files, owners[key], kept=cached[1].files)
            results[key] = Result(key, *cached)
        else:
            todo.append((body, key, staging is not None))
    for key, checked, made, shares, kept in _map(todo, jobs):
        cache.put("body", key, (checked, made))
        if made is not None:
            cache.put("shares", key, shares)
            staging.adopt(made.files, owners[key], kept=kept)
        results[key] = Result(key, checked, made)
    return [results[key] for key in keys]


def _map(todo: list, jobs: int):
    if jobs <= 1 or len(todo) < INLINE_BELOW:
        yield from map(_work, todo)
        return
    # fork: workers start with the program already imported and the templates compiled
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_work, todo, chunksize=max(1, min(16, len(todo) // (jobs * 8))))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
