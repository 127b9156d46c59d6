"""Benchmark the search page on a synthetic archive of N reports, in headless Chromium (prints a table).

    .venv/bin/python scripts/bench_search.py --reports 10000 [--label now] [--code DIR]

The archive (tests/synthetic.py) is made once under .cache/bench/N/content and built once per label
into .cache/bench/N/site-<label> (reused while it exists; --rebuild to build again). `--code DIR`
builds with the program in DIR (e.g. an unpacked `git archive` of an older commit) so the same
script measures the search before and after a change.

For each query, through the real search page (/search/):
- cold: a fresh browser profile opens /search/?q=<query>; the time from navigation until the results
  area stops changing (no DOM change for 1.5 s; the time of the last change counts), and the bytes
  the server sent for it (every file's body, the page and its assets included);
- typed: in a page that has already searched for something else, the query is typed into the search
  box (value set, one input event); the time from that input event (the box's debounce included)
  until the results stop changing, and the bytes fetched for it;
- typed again: the box is emptied, then the same query is typed again; time and bytes as above.
Also prints the count the page shows, and the count of reports whose text holds the query when
--verify is given (read from the synthetic content).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import browser  # noqa: E402
from browser import Site, Tab  # noqa: E402

SERVED = [0]  # bytes of the files the server has sent: Pagefind fetches from a worker, which the page's timing misses


def _copyfile(self, source, outputfile):
    data = source.read()
    SERVED[0] += len(data)
    outputfile.write(data)


browser._Handler.copyfile = _copyfile

QUERIES = ["政府信息公开", "依申请公开", "重复申请", "行政复议", "本机关不掌握相关政府信息", "医保 培训", "公开"]

# Watches the results area; window.__bench holds the time of its last change and the bytes fetched.
OBSERVE = """(() => {
  const area = document.getElementById("search");
  window.__bench = {last: performance.now()};
  new MutationObserver(() => { window.__bench.last = performance.now(); })
    .observe(area, {subtree: true, childList: true, characterData: true, attributes: true});
  return true;
})()"""
INPUT = "document.querySelector('#search input[type=search], .pagefind-ui__search-input')"
MESSAGE = "(document.querySelector('.search-count, .pagefind-ui__message') || {}).textContent || ''"
BUSY = "正在搜索"  # Pagefind's UI while a search runs (it may show nothing new for seconds meanwhile)


QUIET = [1.5]  # seconds without a change that count as stable (--quiet: more where fetching takes longer)


def settle(tab: Tab, started: float, quiet: float | None = None, limit: float = 60) -> float:
    """ms from `started` (page clock) until the results area's last change, once it has been quiet."""
    quiet = quiet or QUIET[0]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        now, last, message = tab.evaluate(f"[performance.now(), window.__bench.last, {MESSAGE}]")
        if now - last >= quiet * 1000 and last > started and BUSY not in message:
            return last - started
        time.sleep(0.1)
    return float("nan")


def opened(url: str, profile: Path) -> Tab:
    """A tab on `url` whose resource timing records every fetch (the default keeps only 250)."""
    tab = Tab("about:blank", profile, 1280, 1000)
    tab._send("Page.addScriptToEvaluateOnNewDocument", source="performance.setResourceTimingBufferSize(1000000)")
    tab.evaluate(f"location.href = {json.dumps(url)}")
    return tab


def cold(site: Site, query: str, profile: Path) -> tuple[float, int, str]:
    SERVED[0] = 0
    tab = opened(site.url + "/search/?q=" + query, profile)
    try:
        tab.wait_for(f"document.readyState !== 'loading' && document.getElementById('search') && !!{INPUT}")
        tab.evaluate(OBSERVE)  # installed as soon as the page's DOM exists, before the index answers
        ms = settle(tab, 0)  # navigation start is the page clock's zero
        return ms, SERVED[0], tab.evaluate(MESSAGE)
    finally:
        tab.close()


def warm(site: Site, queries: list[str], profile: Path) -> dict[str, tuple[float, int, str]]:
    tab = opened(site.url + "/search/?q=" + "年度报告", profile)
    out = {}
    try:
        tab.wait_for(f"!!{INPUT}")
        tab.evaluate(OBSERVE)
        settle(tab, 0)
        for query in queries:
            out[query] = []
            for text in (query, "", query):
                before = SERVED[0]
                started = tab.evaluate(f"""(() => {{ const box = {INPUT}; box.value = {json.dumps(text)};
                    const t = performance.now(); box.dispatchEvent(new Event("input", {{bubbles: true}}));
                    return t; }})()""")
                ms = settle(tab, started)
                out[query].append((ms, SERVED[0] - before))
    finally:
        tab.close()
    return out


def build_site(reports: int, label: str, code: Path, rebuild: bool) -> Path:
    from synthetic import make_archive
    work = ROOT / ".cache" / "bench" / str(reports)
    content, site = work / "content", work / f"site-{label}"
    if not content.is_dir():
        make_archive(content, reports)
    if rebuild and site.exists():
        shutil.rmtree(site)
    if not site.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator.cli", "build", "--content", str(content), "--out", str(site)],
                       cwd=code, check=True, env={**os.environ, "PYTHONPATH": str(code),
                                                  "NIANBAO_CACHE": str(work / f"cache-{label}")})
        print(f"built {site} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return site


def index_memory(reports: int, label: str) -> None:
    """Index the biggest shard of the built archive again in this process: its time and peak memory."""
    import pickle
    import sqlite3
    import tracemalloc
    from generator.search import index
    db = sqlite3.connect(ROOT / ".cache" / "bench" / str(reports) / f"cache-{label}" / "nianbao-cache.sqlite")
    documents = {}
    for (value,) in db.execute("SELECT value FROM entries WHERE kind = 'documents'"):
        documents.update(pickle.loads(value))
    name, paths = max(index.shards(list(documents)).items(), key=lambda item: len(item[1]))
    records = [json.loads(documents[p]) for p in paths]
    del documents
    started = time.perf_counter()
    tracemalloc.start()
    buckets = index.bucket_files(records)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"shard {name}: {len(records):,} reports, {len(buckets):,} buckets, {sum(map(len, buckets)) / 2**20:.0f} MB "
          f"of postings, indexed in {time.perf_counter() - started:.1f} s (traced), peak memory allocated while "
          f"indexing {peak / 2**20:.0f} MB")


def verify(content: Path, query: str) -> int:
    """Reports whose source holds every term (an upper bound check: the source, not the indexed text)."""
    terms = query.split()
    return sum(all(t in p.read_text(encoding="utf-8") for t in terms) for p in content.rglob("*.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--label", default="now")
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--queries", nargs="*", default=QUERIES)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--quiet", type=float, default=1.5, help="seconds without change that count as stable")
    parser.add_argument("--index-memory", action="store_true", help="index the biggest shard again, print its memory")
    opts = parser.parse_args()
    QUIET[0] = opts.quiet
    site_dir = build_site(opts.reports, opts.label, opts.code.resolve(), opts.rebuild)
    if opts.index_memory:
        index_memory(opts.reports, opts.label)
    if opts.build_only or opts.index_memory:
        return
    profiles = ROOT / ".cache" / "bench" / "profiles"
    shutil.rmtree(profiles, ignore_errors=True)
    site = Site(site_dir)
    try:
        rows = {q: cold(site, q, profiles / f"cold-{i}") for i, q in enumerate(opts.queries)}
        again = warm(site, opts.queries, profiles / "warm")
    finally:
        site.stop()
        shutil.rmtree(profiles, ignore_errors=True)
    print(f"{opts.reports:,} reports, {opts.label}\n")
    print("| query | shown | fresh visit | bytes | typed | bytes | typed again | bytes |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|")
    for q in opts.queries:
        ms, size, message = rows[q]
        (tms, tsize), _, (ams, asize) = again[q]
        print(f"| {q} | {message.strip()} | {ms:.0f} ms | {size / 1024:,.0f} KB | {tms:.0f} ms "
              f"| {tsize / 1024:,.0f} KB | {ams:.0f} ms | {asize / 1024:,.0f} KB |")


if __name__ == "__main__":
    main()
