"""Build only the search of a synthetic archive of N reports: a minimal site to measure search at scale.

    .venv/bin/python scripts/search_site.py --reports 100000 [--label search] [--jobs 2]

A full build of 100,000 reports takes about two hours here; search needs only the index documents,
the index and the search page. This makes them with the build's own code:
- the archive (tests/synthetic.py, as bench_search.py) in .cache/bench/N/content, made once;
- every body read, checked and summarised by the build's workers (bodywork.run, cached in
  .cache/bench/N/cache-<label>), and its reports' index documents made by the build's own
  search/records.py; only the report pages, the JSON and compare pages are not rendered. This is
  done once; later runs index the documents in the cache again (so a change of the index code
  is measured without making the documents again);
- the index written by the build's own search/index.write_bundles (the same shards, worker
  processes and files), timed, with the peak memory of the main process and of the biggest worker;
- the real search page (search/records.search_page rendered by the build's templates) and
  templates/static as /assets/.
into .cache/bench/N/site-<label>, which bench_search.py and search_at_scale.py then measure with
the same --label (result links lead nowhere: there are no report pages).
"""
from __future__ import annotations

import argparse
import pickle
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
# --code DIR: the program in DIR (e.g. an unpacked `git archive` of an older commit) makes the index and
# the page, to measure before and after a change of the index on the same documents
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path[:0] = [str(ROOT / "tests"), str(CODE)]

from generator import bodywork, urls  # noqa: E402
from generator.bodies import bodies  # noqa: E402
from generator.bodypages import Maker  # noqa: E402
from generator.bodywork import Made, Pages  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.checking import read_tree_cached  # noqa: E402
from generator.search.index import write_bundles  # noqa: E402
from generator.search.records import index_documents, search_page  # noqa: E402
from generator.write import output  # noqa: E402
from generator.write.writer import Staging, digest  # noqa: E402


class DocumentsOnly(Maker):
    """The build's Maker, but a body's pages are not rendered: only its index documents are made."""

    def pages(self, archive, summaries, staging) -> Pages:
        return Pages(Made({}, []), [], set())


def cpu_seconds() -> float:
    """CPU time of this process and its ended children (the index's workers), user and system."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def make_documents(content: Path, cache_dir: Path, jobs: int) -> None:
    """Every body read, checked and its index documents made by the build's workers, into the cache."""
    cache = Cache(cache_dir)
    staging = Staging(cache_dir / "no-pages")
    try:
        started = time.perf_counter()
        tree = read_tree_cached(content, cache)
        results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), True, DocumentsOnly())
        print(f"read, checked and made index documents in {time.perf_counter() - started:.0f} s "
              f"({sum(len(r.made.documents) for r in results):,} documents)")
    finally:
        staging.abort()
        cache.close()
    (cache_dir / "documents.done").write_text("made by the build's workers\n", encoding="utf-8")


def cached_documents(cache_dir: Path) -> tuple[dict[str, str], Callable[[set[str]], dict[str, str]]]:
    """(site path -> digest, and the documents of given paths) as the build hands them to the index,
    read from the cache's rows of documents whatever program made them (the index may change since)."""
    db = sqlite3.connect(cache_dir / "nianbao-cache.sqlite")
    rows = {}
    for rowid, value in db.execute("SELECT rowid, value FROM entries WHERE kind = 'documents'"):
        for path, document in pickle.loads(value).items():
            rows[path] = (rowid, digest(document.encode()))

    def documents(paths: set[str]) -> dict[str, str]:
        out = {}
        for rowid in sorted({rows[p][0] for p in paths}):
            (value,) = db.execute("SELECT value FROM entries WHERE rowid = ?", (rowid,)).fetchone()
            out.update((p, d) for p, d in pickle.loads(value).items() if p in paths)
        return out
    return {p: d for p, (_, d) in rows.items()}, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100000)
    parser.add_argument("--label", default="search")
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--code", type=Path, default=ROOT, help="the program that indexes (see above)")
    parser.add_argument("--documents", help="the label whose cached documents to index (default: --label)")
    parser.add_argument("--edit", action="store_true", help="edit a report in the built site: time the re-index")
    opts = parser.parse_args()
    work = ROOT / ".cache" / "bench" / str(opts.reports)
    content, site = work / "content", work / f"site-{opts.label}"
    if not content.is_dir():
        from synthetic import make_archive
        started = time.perf_counter()
        make_archive(content, opts.reports)
        print(f"archive of {opts.reports:,} reports made in {time.perf_counter() - started:.0f} s")
    cache_dir = work / f"cache-{opts.documents or opts.label}"
    if not (cache_dir / "documents.done").is_file():
        make_documents(content, cache_dir, opts.jobs)
    digests, documents = cached_documents(cache_dir)
    if not opts.edit:
        shutil.rmtree(site, ignore_errors=True)
        before, cpu = peak_mb(resource.RUSAGE_SELF), cpu_seconds()
        seconds = publish(site, digests, documents)
        print(f"search index written in {seconds:.1f} s ({cpu_seconds() - cpu:.1f} s of CPU); peak memory: "
              f"main process {peak_mb(resource.RUSAGE_SELF):,.0f} MB (before indexing {before:,.0f} MB), "
              f"biggest worker {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB")
        sizes(site)
        return
    # as scripts/bench.py edits a report: its narrative, then its title; the site is then restored
    report = sorted(content.rglob("*.md"))[opts.reports // 2]
    edits = [("narrative", "## 五、", "## 五、\n\n本年度新增一段说明。\n\n"), ("title", "title: ", "title: （修订）"),
             ("none (restored)", "", "")]
    now = dict(digests)  # what the site's index was made from
    for what, old, new in edits:
        edited = remade(content, cache_dir, report, old, new)
        changed = {p for p, d in edited.items() if digest(d.encode()) != now[p]}
        now.update((p, digest(d.encode())) for p, d in edited.items())

        def with_edit(paths: set[str]) -> dict[str, str]:
            return {**documents(paths), **{p: d for p, d in edited.items() if p in paths}}
        cpu = cpu_seconds()
        seconds = publish(site, now, with_edit)
        print(f"edit of {report.relative_to(content)}: {what}: {len(changed)} index document(s) changed, "
              f"search index written again in {seconds:.2f} s ({cpu_seconds() - cpu:.2f} s of CPU)")


def remade(content: Path, cache_dir: Path, report: Path, old: str, new: str) -> dict[str, str]:
    """The index documents of the report's body after an edit of its file, made by the build's code."""
    original = report.read_text(encoding="utf-8")
    report.write_text(original.replace(old, new, 1), encoding="utf-8")
    cache = Cache(cache_dir / "edit")
    try:
        tree = read_tree_cached(content, cache)
        body = next(b for b in bodies(tree) if any(Path(f.location).resolve() == report.resolve() for f in b.files))
        archive, summaries, _, _ = bodywork.check_body(body)
        return index_documents(archive, summaries)
    finally:
        report.write_text(original, encoding="utf-8")
        cache.close()


def publish(site: Path, digests: dict[str, str], documents: Callable[[set[str]], dict[str, str]]) -> float:
    """Write the index (as the build's search phase: shards whose documents did not change are kept from
    the site), the search page and the assets into the site: the seconds the index took."""
    staging = Staging(site, output.read_state(site, lambda: None, False))
    try:
        started = time.perf_counter()
        write_bundles(staging, digests, documents)
        seconds = time.perf_counter() - started
        page = search_page()
        staging.add(urls.output_path(page.url), Maker().render(page), "search page")
        for asset in sorted((CODE / "templates" / "static").rglob("*")):
            if asset.is_file():
                staging.add(f"assets/{asset.relative_to(CODE / 'templates' / 'static').as_posix()}",
                            asset.read_bytes(), "static")
        staging.commit("search only")
    except BaseException:
        staging.abort()
        raise
    return seconds


def sizes(site: Path) -> None:
    files = [p for p in (site / "search-index").rglob("*") if p.is_file()]
    postings = sum(p.stat().st_size for p in files if p.parent.name == "g")
    texts = sum(p.stat().st_size for p in files if p.parent.name == "text")
    print(f"index: {sum(p.stat().st_size for p in files) / 2**20:,.0f} MB in {len(files):,} files "
          f"(postings {postings / 2**20:,.0f} MB, texts {texts / 2**20:,.0f} MB)")


if __name__ == "__main__":
    main()
