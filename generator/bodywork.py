"""Run the per-body work of a build or a check: in worker processes, with the cache.

For each body (see bodies.py), a worker parses, checks and summarises it and, when building, has
the build's Maker (bodypages.py) render its report pages and report JSON straight into the staging
folder, make its reports' compact values (for the CSV and SQLite downloads) and, when indexing, its
search index documents. A worker sends back a Done record; values and documents go into the build's
spool (write/spool.py), which the outputs that stream them out read (outputs.py). The main process
keeps only what the archive-wide outputs need (each report's Summary) and the diagnostics, and puts
what the workers made into the cache for a later build. A check loads none of the renderers.

A body whose key (see Body.key) is in the cache is not run again: its results come from the
cache and its files stay in the site as they are.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from typing import Iterator

from typing import Protocol

from .archive import Archive
from .bodies import Body, load_body
from .cache import Cache, Kind, code_version
from .summaries import Summary, summarise
from .write.spool import Spool
from .write.writer import Staging, digest

INLINE_BELOW = 8  # bodies: fewer than this are not worth starting worker processes for


@dataclass
class Checked:
    """What the whole-archive steps need of a body: its reports' metadata and its diagnostics."""
    archive: Archive  # reports without their cells or narrative (ReportMeta)
    summaries: list[Summary]  # crumbs, key figures and quality of each report, in the archive's order


@dataclass
class Made:
    files: dict[str, str]  # site path -> key of each file written for the body
    rows: list[tuple[int, str]]  # (year, hash of its CSV place and values) of each report
    documents: dict[str, str] | None = None  # search index document path -> hash of its JSON; None: not made


Values = list[tuple[str, tuple]]  # each report's CSV place and values (see export/records.py)


# Cached per body key (see cache.Kind): BODY (Checked, Made | None), VALUES (the CSV and SQLite downloads
# are made from them) and DOCUMENTS (search index document path -> JSON). Values and documents travel
# from the workers in the spool, under the same kinds and keys. Documents are made only for builds that
# index, since they cost as much as the pages: a build without indexing leaves them to the next build
# that indexes.


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


@dataclass
class Pages:
    """A body's report pages and JSON, written into the staging folder by a worker."""
    made: Made
    values: Values | None  # None once put into the spool (a Done never carries them)
    kept: set[str]  # paths the previous site already has byte for byte


@dataclass
class Done:
    """What a worker sends back for one job."""
    job: Job
    same: bool  # were the body's files still as hashed (else its results are not cached under its key)
    checked: Checked
    pages: Pages | None = None  # None: not asked for, or the body has errors
    documents: dict[str, str] | None = None  # search index document path -> hash of its JSON (in the spool)


def check_body(body: Body) -> tuple[Archive, list[Summary], Checked, bool]:
    """The body's archive and report summaries, their light copy for the main process, and whether
    its files were still as hashed (see load_body)."""
    archive, same = load_body(body)
    summaries = summarise(archive)
    light = Archive(archive.folders, [s.report for s in summaries], archive.diagnostics)
    return archive, summaries, Checked(light, summaries), same


class Maker(Protocol):
    """What makes a body's files (bodypages.Maker): a check runs without it, and without loading the
    templates or the search index."""

    def pages(self, archive: Archive, summaries: list[Summary], staging: Staging) -> Pages: ...

    def documents(self, archive: Archive, summaries: list[Summary]) -> dict[str, str]: ...

    def warm(self) -> None: ...  # called once before the workers start, if any body's pages are to be made


@dataclass
class Worker:
    """What every job of a build shares: set in the main process before the workers fork, so they
    inherit it instead of receiving it with each job."""
    staging: Staging | None  # where pages go (None: only check)
    maker: Maker | None  # makes the pages and search documents (None: only check)
    spool: Spool | None  # where values and documents go (None: only check)


_worker = Worker(None, None, None)


def _work(job: Job) -> Done:
    """Pages go into the staging folder, but those the previous site has byte for byte."""
    archive, summaries, checked, same = check_body(job.body)
    done = Done(job, same, checked)
    if archive.errors:
        return done
    if job.pages:
        done.pages = _worker.maker.pages(archive, summaries, _worker.staging)
        _worker.spool.put(Kind.VALUES, job.key, done.pages.values)
        done.pages.values = None
    if job.documents:
        documents = _worker.maker.documents(archive, summaries)
        _worker.spool.put(Kind.DOCUMENTS, job.key, documents)
        done.documents = {p: digest(d.encode()) for p, d in documents.items()}
    return done


def run(bodies: list[Body], cache: Cache, staging: Staging | None, jobs: int, search: bool = False,
        maker: Maker | None = None, spool: Spool | None = None) -> list[Result]:
    """Every body's results, in the order given; only what is not in the cache is made. `staging`:
    where to write pages, `maker` what makes them and `spool` where the values and documents go (None:
    only check, or a spool of this call's); `search`: make the search index documents too."""
    if maker is not None and spool is None:  # the values and documents then reach the caller through the cache only
        spool = Spool()
        try:
            return run(bodies, cache, staging, jobs, search, maker, spool)
        finally:
            spool.close()
    global _worker
    _worker = Worker(staging, maker, spool)
    code = code_version()
    keys = [body.key(code) for body in bodies]
    owners = {key: "/".join(body.slugs) for key, body in zip(keys, bodies)}
    results: dict[str, Result] = {}
    todo = []
    for body, key in zip(bodies, keys):
        cached = cache.get(Kind.BODY, key)  # (Checked, Made or None if only checked so far)
        if cached and staging is None:
            results[key] = Result(key, cached[0])
        elif cached and cached[1] and staging.reusable(cached[1].files) and cache.has(Kind.VALUES, key):
            staging.adopt(cached[1].files, owners[key], kept=cached[1].files)
            results[key] = Result(key, *cached)
            has_documents = cached[1].documents is not None and cache.has(Kind.DOCUMENTS, key)  # (kept from pruning)
            if search and not has_documents:
                todo.append(Job(body, key, pages=False, documents=True))
        else:
            todo.append(Job(body, key, pages=staging is not None, documents=search))
    if maker is not None and any(job.pages for job in todo):
        maker.warm()
    for done in _map(todo, jobs):
        key = done.job.key
        made = results[key].made if key in results else None
        if done.pages is not None:
            staging.adopt(done.pages.made.files, owners[key], kept=done.pages.kept)
            made = done.pages.made
        if done.documents is not None:
            made.documents = done.documents
        if done.same and cache.keeps:  # kept for a later build: the very bytes the worker spooled
            if done.pages is not None:
                cache.put_data(Kind.VALUES, key, spool.data(Kind.VALUES, key))
            if done.documents is not None:
                cache.put_data(Kind.DOCUMENTS, key, spool.data(Kind.DOCUMENTS, key))
        if done.same:  # else a file was saved again while the build ran: this build uses what it read, and
            cache.put(Kind.BODY, key, (done.checked, made))  # no later build may take it for the key's bytes
        results[key] = Result(key, done.checked, made)
    return [results[key] for key in keys]


def _map(todo: list[Job], jobs: int) -> Iterator[Done]:
    if jobs <= 1 or len(todo) < INLINE_BELOW:
        yield from map(_work, todo)
        return
    # fork: workers start with the program already imported, the templates compiled and _worker set
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_work, todo, chunksize=max(1, min(16, len(todo) // (jobs * 8))))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
