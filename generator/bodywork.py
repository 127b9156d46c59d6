"""Run the per-body work of a build or a check: in worker processes, with the cache.

For each body (see bodies.py), a worker parses and checks it and, when building, renders its
report pages and report JSON straight into the staging folder, and makes its reports' compact
values (for the CSV and SQLite downloads) and, when indexing, its search index documents. The main
process keeps only what the archive-wide pages need (each report's metadata, key figures and
quality) and the diagnostics; values and documents stay in the cache until the step that streams
them out.

A body whose key (see Body.key) is in the cache is not run again: its results come from the
cache and its files stay in the site as they are.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from dataclasses import dataclass

from .archive import Archive
from .bodies import Body, load_body
from .cache import Cache, code_version
from .export import csvfile, records, report_json
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
    rows: list[tuple[int, str]]  # (year, hash of its CSV place and values) of each report
    documents: dict[str, str] | None = None  # search index document path -> hash of its HTML; None: not made


# Cached per body key: "body" (Checked, Made | None), "values" (each report's (CSV place, values), see
# export/records.py: the CSV and SQLite downloads are made from them) and "documents" (search index
# document path -> HTML). Documents are made only for builds that index, since they cost as much as
# the pages: a build without indexing leaves them to the next build that indexes.


@dataclass
class Result:
    key: str
    checked: Checked
    made: Made | None = None


@dataclass
class Job:
    body: Body
    key: str
    pages: bool  # render its pages and data files (else only check, or only make its documents)
    documents: bool  # make its search index documents


def _metadata_only(report: Report) -> Report:
    return dataclasses.replace(report, tables={}, known_issues=[], narrative="", key_pos={})


def check_body(body: Body) -> tuple[Archive, list[dict], Checked, bool]:
    """The body's archive and page summaries, their light copy for the main process, and whether
    its files were still as hashed (see load_body)."""
    archive, same = load_body(body)
    summaries = summarise(archive)
    light = {id(r): _metadata_only(r) for r in archive.reports}
    return archive, summaries, Checked(Archive(archive.folders, list(light.values()), archive.diagnostics),
                                       [s | {"report": light[id(s["report"])]} for s in summaries]), same


_env = None
_staging: Staging | None = None  # set before the workers fork: they inherit it, it is not sent per job


def _work(job: Job) -> tuple:
    """(job, files still as hashed?, Checked, Made | None, values | None, documents | None, paths kept
    from the previous site). Pages go into the staging folder, but those the previous site has byte for byte."""
    global _env
    archive, summaries, checked, same = check_body(job.body)
    made, values, documents, kept = None, None, None, set()
    if archive.errors:
        return job, same, checked, made, values, documents, kept
    _env = _env or environment()
    if job.pages:
        made, values, kept = _pages(archive)
    if job.documents:
        documents = index_documents(archive, summaries, _env)
    return job, same, checked, made, values, documents, kept


def _pages(archive: Archive) -> tuple[Made, list[tuple], set[str]]:
    """Write the body's report pages and JSON; (what was made, each report's CSV place and values,
    the paths the previous site already has byte for byte)."""
    files, values, kept = {}, [], set()
    for report in archive.reports:
        page = report_page(archive, report)
        html = _env.get_template(page.template).render(page.context, page_url=page.url)
        values.append((csvfile.place(archive, report), records.values(report)))
        for path, data in ((urls.output_path(page.url), html.encode()),
                           report_json.report_file(archive, report, values[-1][1])):
            files[path], unchanged = _staging.write(path, data, report.path)
            if unchanged:
                kept.add(path)
    # the digest of a report's cells: its values and which of them are deduced (the CSV's deduced column)
    digests = [(r.year, digest(repr((v, sorted(r.deduced))).encode())) for r, v in zip(archive.reports, values)]
    return Made(files, digests), values, kept


def run(bodies: list[Body], cache: Cache, staging: Staging | None, jobs: int, search: bool = False) -> list[Result]:
    """Every body's results, in the order given; only what is not in the cache is made. `staging`:
    where to write pages (None: only check); `search`: make the search index documents too."""
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
        elif cached and cached[1] and staging.reusable(cached[1].files) and cache.has("values", key):
            staging.adopt(cached[1].files, owners[key], kept=cached[1].files)
            results[key] = Result(key, *cached)
            has_documents = cached[1].documents is not None and cache.has("documents", key)  # (kept from pruning)
            if search and not has_documents:
                todo.append(Job(body, key, pages=False, documents=True))
        else:
            todo.append(Job(body, key, pages=staging is not None, documents=search))
    for job, same, checked, made, values, documents, kept in _map(todo, jobs):
        if job.pages and made is not None:
            cache.put("values", job.key, values)
            staging.adopt(made.files, owners[job.key], kept=kept)
        made = made or (results[job.key].made if job.key in results else None)
        if documents is not None:
            made.documents = {p: digest(h.encode()) for p, h in documents.items()}
            cache.put("documents", job.key, documents)
        if same:  # else a file was saved again while the build ran: this build uses what it read, and
            cache.put("body", job.key, (checked, made))  # no later build may take it for the key's bytes
        results[job.key] = Result(job.key, checked, made)
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
