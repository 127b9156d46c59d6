"""The build `nianbao serve` keeps in memory between rebuilds: one edit redoes only what it touches.

`full()` is a build like build.py's (every body through bodywork.run with the cache, then every
archive-wide output), which also keeps the content tree and each body's results in memory. After
that, `update(paths)` takes the files that changed (watchfiles names them): when they are report
files the tree already has, only their bodies are read and checked again, in this process, and
only what depends on them is written into the served folder:

- each changed body's report pages, compare pages and report JSON (bodypages.Maker, as a worker
  would make them);
- when a report's summary or diagnostics changed (its title, a figure, a check), the pages that
  list reports: the home page, the folder pages of the body and every folder above it (with their
  CSV tables), the year pages of its reports, the quality page and /stats/.

Everything else that depends on every report (the downloads: CSV, XLSX, SQLite, reports.json, the
feed; the search index; the data page with their sizes; the sitemap) is brought up to date by
`downloads()`, which the server runs after the pages, in the background: a staging folder of its
own, moved into the site only if no edit was published meanwhile (else it is dropped and made
again). Until then the served site is the new pages with the previous downloads: never a half
written file, since every file moves in by one rename, under the lock the HTTP server reads pages
under (`guard`).

Anything else (a file added or removed, an _index.yaml, a folder) takes `full()`: the cached
build, which looks at every body again. The served folder is a temporary one that only this
session writes, so its state (path -> key, the manifest) is kept in memory.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from . import bodywork, urls
from .archive import Archive
from .bodies import Body, bodies
from .bodypages import Maker
from .bodywork import Result, check_body
from .cache import Cache, CacheError, Kind, code_version, fingerprint
from .checking import combined, read_tree_cached
from .outputs import OUTPUTS, Inputs, Phase, add_page, add_tables, make_all
from .pages.quality_page import quality_page
from .pages.site import Beneath, folder_page, home_page, stats_page, year_page
from .source.tree import INDEX, REPORT_NAME, Tree
from .summaries import Summary
from .write import output
from .write.output import State
from .write.writer import Staging, digest


@dataclass
class Pending:
    """A body read and checked again since the site was last published."""
    body: Body
    key: str
    archive: Archive  # with its reports' cells and narrative
    summaries: list[Summary]
    checked: bodywork.Checked
    same: bool  # its files were still as hashed (else its results are not cached under its key)


class NeedsFull(Exception):
    """The change is not one `update` handles: the caller runs `full()`."""


class LiveBuild:
    def __init__(self, content: Path, out: Path, cache_dir: Path, guard: threading.Lock | None = None,
                 base_url: str = urls.DEFAULT_BASE_URL, search: bool = True, jobs: int = 0):
        self.content = Path(os.path.abspath(content))
        self.target = output.check_target(out, content)
        self.label = str(out)
        self.base_url, self.search, self.jobs = base_url, search, jobs or bodywork.default_jobs()
        self.guard = guard or threading.Lock()  # held while files move into the site (the server reads under it)
        self.busy = threading.Lock()  # held by full() and update(): downloads() commits only between them
        self.lock = output.Lock(self.target, self.label)  # the served folder is this session's
        self.cache_dir = cache_dir
        self._cache: tuple[int, Cache] | None = None  # (thread, its connection): see `cache`
        self.maker = Maker()
        self.tree: Tree | None = None
        self.results: dict[tuple[str, ...], Result] = {}  # of the published site, per body
        self.pending: dict[tuple[str, ...], Pending] = {}
        self.keys: dict[str, str] = {}  # the site's files: path -> key (its manifest, kept in memory)
        self.inputs: str | None = None  # of the last full build, while nothing changed since
        self.archive: Archive | None = None  # the published one
        self.generation = 0  # counts publishes: downloads() made for an older one are dropped
        self.current = True  # are the downloads those of the published pages
        self.on_publish: Callable[[], None] = lambda: None  # called under the guard once new pages are in place
        self.memo: dict = {}  # what the statistics make once per report or body (pages.site.Beneath.memo)

    @property
    def cache(self) -> Cache:
        """The cache, opened by the thread that uses it (SQLite connections stay in their thread): the
        first build may run in another thread than the rebuilds after it (each committed when done)."""
        if self._cache is None or self._cache[0] != threading.get_ident():
            self._cache = (threading.get_ident(), Cache(self.cache_dir))
        return self._cache[1]

    # the whole build

    def full(self) -> Archive:
        """Build everything (with the cache: unchanged bodies are not made again) and remember it."""
        with self.busy:
            return self._full()

    def _full(self) -> Archive:
        cache = self.cache
        self.generation += 1  # downloads() under way are for what this build replaces
        if not self.keys:  # the first build (later ones must not remove the staging folder of downloads())
            output.recover(self.target)
        tree = read_tree_cached(self.content, cache)
        self.tree, self.pending = tree, {}
        state = self._state() if self.keys else output.read_state(self.target, lambda: None, False)
        if state.unknown:
            raise output.OutputError(output.refusal(self.label, state))
        staging = Staging(self.target, state, self.lock)
        try:
            results = bodywork.run(bodies(tree), cache, staging, self.jobs, self.search, self.maker)
            archive = combined(tree, results, False)
            if archive.errors:
                staging.abort()
                self.results = {}  # the next change builds in full again: nothing to start an update from
                return archive
            inputs = fingerprint(code_version(), [r.key for r in results], tree.folders, self.base_url, self.search)
            if not (staging.untouched() and state.inputs == inputs):
                make_all(Inputs(staging, archive, results, cache, self.base_url, self.search))
                with self.guard:
                    staging.commit(inputs)
                    self.generation += 1
                    self.on_publish()
                self.keys = dict(staging.keys)
            else:
                staging.abort()
            cache.commit()
        except BaseException:
            staging.abort()
            raise
        self.results = {b.slugs: r for b, r in zip(bodies(tree), results)}
        self.inputs, self.archive, self.current = inputs, archive, True
        self._warm(archive)
        return archive

    def _warm(self, archive: Archive) -> None:
        """Make now what the first edit would otherwise wait for: the templates compiled in this process
        (the build's workers compiled their own), each report's row of the list pages' CSV and its quality
        facts."""
        env = self.maker.env
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)
        summaries = [s for slugs in sorted(self.results) for s in self.results[slugs].checked.summaries]
        self.memo = {}
        for year in archive.years:
            year_page(summaries, year, self.memo)
        tree = Beneath.of(archive, summaries)
        tree.memo = self.memo
        latest = max(archive.years, default=None)
        for slugs in archive.folders:  # the top folders' statistics rank every body beneath them
            if len(slugs) == 1:
                folder_page(archive, tree, slugs, latest)
        quality_page(archive, latest, self.memo)  # each report's quality facts
        formats: dict[object, tuple[str, ...]] = {}
        for slugs, result in self.results.items():
            for report in result.checked.archive.reports:
                formats.setdefault(report.format.id if report.format else None, slugs)
        with tempfile.TemporaryDirectory() as scratch:  # the table grids, drawn once per format and process
            staging = Staging(Path(scratch) / "site")
            for slugs in formats.values():
                body = Body(slugs, [raw for raw in self.tree.files if raw.folder == slugs],
                            {slugs[:i]: self.tree.folders[slugs[:i]] for i in range(1, len(slugs) + 1)})
                archive_b, summaries_b, _, _ = check_body(body)
                self.maker.pages(archive_b, summaries_b, staging)

    def _state(self) -> State:
        """The served folder's state, as this session wrote it."""
        return State(files=dict(self.keys), inputs=self.inputs, on_disk=set(self.keys), empty=False)

    # one edit

    def update(self, paths: Iterable[str]) -> Archive:
        """Read and check again the bodies of the changed report files and publish what depends on
        them. Raises NeedsFull for any other change (or before a first good build)."""
        with self.busy:
            if not self.results or self.tree is None:
                raise NeedsFull()
            for slugs in self._changed_bodies(paths):
                self._recheck(slugs)
            results = {**self.results, **{s: Result(p.key, p.checked) for s, p in self.pending.items()}}
            archive = combined(self.tree, [results[s] for s in sorted(results)], False)
            if archive.errors or not self.pending:
                return archive  # errors: the last good site stays; nothing pending: nothing to publish
            self._publish(archive)
            return archive

    def _changed_bodies(self, paths: Iterable[str]) -> set[tuple[str, ...]]:
        """The bodies whose files' bytes changed; their RawFiles in the tree are replaced by new ones."""
        known = {raw.location: i for i, raw in enumerate(self.tree.files)}
        changed = set()
        for path in sorted({os.path.abspath(p) for p in paths}):
            relative = Path(path).relative_to(self.content) if path.startswith(str(self.content) + os.sep) else None
            if relative is None or any(part.startswith(".") for part in relative.parts):
                continue  # hidden files (editors' swap files) are never read, nor is anything outside content/
            index = known.get(path)
            if index is None or not REPORT_NAME.match(relative.name) or relative.name == INDEX:
                if os.path.lexists(path):
                    raise NeedsFull()  # a new file, a folder, an _index.yaml
                continue  # a file that came and went (an editor's scratch file)
            try:
                data = Path(path).read_bytes()
            except OSError:
                raise NeedsFull() from None  # removed, or replaced by a folder
            raw = self.tree.files[index]
            new = hashlib.sha256(data).hexdigest()
            if new != raw.digest:
                self.tree.files[index] = replace(raw, digest=new)
                changed.add(raw.folder)
        return changed

    def _recheck(self, slugs: tuple[str, ...]) -> None:
        files = [raw for raw in self.tree.files if raw.folder == slugs]
        old = self.results.get(slugs)
        if old is None:
            raise NeedsFull()
        folders = {slugs[:i]: self.tree.folders[slugs[:i]] for i in range(1, len(slugs) + 1)}
        body = Body(slugs, files, folders)
        key = body.key(code_version())
        self.pending.pop(slugs, None)
        if key == old.key:
            return  # back to what is published
        archive, summaries, checked, same = check_body(body)
        self.pending[slugs] = Pending(body, key, archive, summaries, checked, same)

    def _publish(self, archive: Archive) -> None:
        """Write the pending bodies' pages and the list pages that show them; move them in under the guard."""
        staging = Staging(self.target, self._state(), self.lock)
        try:
            results, lists, figures, gone = dict(self.results), False, False, set()
            for slugs, p in sorted(self.pending.items()):
                old = self.results[slugs]
                pages = self.maker.pages(p.archive, p.summaries, staging)
                staging.adopt(pages.made.files, "/".join(slugs), kept=pages.kept)
                self.cache.put(Kind.VALUES, p.key, pages.values)
                if p.same:
                    self.cache.put(Kind.BODY, p.key, (p.checked, pages.made))
                if self.search:  # made now, from what is in memory: the search index takes them later
                    documents = self.maker.documents(p.archive, p.summaries)
                    self.cache.put(Kind.DOCUMENTS, p.key, documents)
                    pages.made.documents = {path: digest(d.encode()) for path, d in documents.items()}
                results[slugs] = Result(p.key, p.checked, pages.made)
                gone |= old.made.files.keys() - pages.made.files.keys()
                listed, counted = _listed(old.checked), _listed(p.checked)
                lists |= listed != counted
                figures |= listed[1] != counted[1]
            if lists:
                self._list_pages(staging, archive, results, {s.report.year for p in self.pending.values()
                                                             for s in p.summaries}, set(self.pending), figures)
            move = sorted(staging.keys.keys() - staging.kept)
            with self.guard:
                output.apply(self.target, staging.dir, sorted(gone), move)
                for path in gone:
                    self.keys.pop(path, None)
                self.keys.update(staging.keys)
                self.generation += 1
                self.inputs, self.current = None, False  # (before the new version is seen)
                self.on_publish()
            self.cache.commit()
        finally:
            staging.abort()
        self.results, self.pending, self.archive = results, {}, archive

    def _list_pages(self, staging: Staging, archive: Archive, results: dict, years: set[int],
                    changed: set[tuple[str, ...]], figures: bool) -> None:
        """The archive's pages that list the changed bodies' reports (see pages/site.archive_pages), made
        and keyed as the `pages` and `statistics` outputs make them; /stats/ only when `figures` (what
        the statistics add up) changed, since it names no report."""
        summaries = [s for slugs in sorted(results) for s in results[slugs].checked.summaries]
        tree = Beneath.of(archive, summaries)
        for slugs in changed:  # what the statistics made of the changed bodies' reports is made again
            self.memo.pop(slugs, None)
            for summary in (*self.results[slugs].checked.summaries, *results[slugs].checked.summaries):
                self.memo.pop(summary.report.path, None)
                self.memo.pop(("quality", summary.report.path), None)
        tree.memo = self.memo
        latest = max(archive.years, default=None)
        folders = sorted({slugs[:i] for slugs in changed for i in range(1, len(slugs) + 1)})
        pages = [home_page(archive, summaries), *(folder_page(archive, tree, s, latest) for s in folders),
                 quality_page(archive, latest, tree.memo), *(year_page(summaries, y, tree.memo) for y in sorted(years)),
                 *([stats_page(archive, summaries)] if figures else [])]
        for page in pages:
            add_page(staging, self.maker.env, page)
            # a page's first table lists its reports; the statistics tables after it change only with figures
            # (a file not made again here stays in the site as it is)
            add_tables(staging, page if figures else replace(page, downloads=page.downloads[:1]))

    # the downloads, after the pages

    def downloads(self, interrupted: Callable[[], bool] = lambda: False) -> bool:
        """Bring every archive-wide output up to date with the published pages, in a staging folder of
        its own (from a separate thread: its own cache connection). True when the site has them; False
        when an edit was published meanwhile (or `interrupted()`): then nothing was moved."""
        with self.busy:
            generation, archive = self.generation, self.archive
            if self.current or not self.results:
                return self.current
            bodies_made = sorted(self.results.items())
            state = self._state()
        results = [result for _, result in bodies_made]
        cache = Cache(self.cache_dir)
        staging = Staging(self.target, state, self.lock)
        try:
            for slugs, result in bodies_made:
                staging.adopt(result.made.files, "/".join(slugs), kept=result.made.files)
            inputs = Inputs(staging, archive, results, cache, self.base_url, self.search)
            for phase in Phase:
                if interrupted() or self.generation != generation:
                    return False
                make_all(inputs, tuple(o for o in OUTPUTS if o.phase == phase))
            with self.busy:
                if self.generation != generation:
                    return False
                with self.guard:
                    staging.commit(None)
                    self.keys = dict(staging.keys)
                self.current = True
            return True
        finally:
            staging.abort()
            cache.close()

    def close(self) -> None:
        try:
            if self._cache and self._cache[0] == threading.get_ident():
                self._cache[1].close()
        except CacheError:
            pass  # (its connection is committed after each build)
        finally:
            self.lock.release()


def _listed(checked: bodywork.Checked) -> tuple[str, str]:
    """What the list pages show of a body: (its reports' metadata and crumbs; what the statistics count:
    figures, quality and diagnostics, but where they are: an edit of the narrative moves the line of
    every diagnostic below it, which no list page shows)."""
    return (fingerprint([(s.report, s.crumbs) for s in checked.summaries]),
            fingerprint([(s.figures, s.quality, s.trend, s.stats) for s in checked.summaries],
                        [(d.path, d.rule, d.message, d.severity, d.cell, d.note) for d in checked.archive.diagnostics]))


__all__ = ["LiveBuild", "NeedsFull"]
