"""Search across shards on a big archive, in real Chromium: after `make bench N=…` built the site.

    .venv/bin/python scripts/search_at_scale.py --reports 100000

Serves .cache/bench/N/site on 127.0.0.1 and runs the search page's own code (shards.json, one
Pagefind bundle per shard merged with mergeIndex) for region names: every report beneath a region
names it, so the pages that must be found are known from the content. Each name is searched as an
exact phrase (its results are fetched and compared with the reports beneath the region) and as
typed (its words anywhere: only counted, there are thousands). Prints, per term, the reports
expected and found, the years and shards they came from, and the time the searches took; exits 1
if any expected report is missing.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import Site  # noqa: E402
from generator import urls  # noqa: E402
from generator.search.index import shards  # noqa: E402

HARNESS = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<script src="/assets/search-core.js"></script><script type="module">
const out = {};
try {
  const started = performance.now();
  const shards = await (await fetch("/pagefind/shards.json")).json();
  const pagefind = await import(shards[0].bundle + "pagefind.js");
  await pagefind.options({basePath: shards[0].bundle});
  for (const shard of shards.slice(1)) await pagefind.mergeIndex(shard.bundle);
  out.shards = shards.length;
  out.load_ms = performance.now() - started;
  out.terms = {};
  for (const term of %s) {
    const t0 = performance.now();
    const found = await pagefind.search(`"${term}"`);  // the exact name: its results are few enough to fetch
    const urls = (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
    const words = await pagefind.search(window.nianbao.searchTerm(term));  // as typed: its words anywhere
    out.terms[term] = {urls, ms: performance.now() - t0, words: words.results.length};
  }
} catch (e) { out.error = String(e); }
fetch("/__result__", {method: "POST", body: JSON.stringify(out)});
</script>"""


def name(folder: Path) -> str:
    return (folder / "_index.yaml").read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("name: ")


def expected(folder: Path, content: Path) -> set[str]:
    """The report pages beneath a region folder."""
    return {"/" + p.parent.relative_to(content).as_posix() + f"/{p.stem}/" for p in folder.rglob("*.md")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    opts = parser.parse_args()
    work = ROOT / ".cache" / "bench" / str(opts.reports)
    content, site = work / "content", work / "site"
    provinces = sorted((p for p in content.iterdir() if p.is_dir()), key=lambda p: int(p.name[1:]))
    # a county of the first province, a city of the middle one, a town of the last: different shards
    regions = [provinces[0] / "c0" / "k0", provinces[len(provinces) // 2] / "c1", provinces[-1] / "c0" / "k0" / "t2"]
    wanted = {name(f): expected(f, content) for f in regions if f.is_dir()}
    server = Site(site)
    try:
        (site / "scale.html").write_text(HARNESS % json.dumps(list(wanted), ensure_ascii=False), encoding="utf-8")
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:  # Chromium may still be writing
            result = server.run("/scale.html", Path(profile), timeout=600)
    finally:
        server.stop()
        (site / "scale.html").unlink(missing_ok=True)
    if "error" in result:
        sys.exit(result["error"])
    print(f"{opts.reports:,} reports, {result['shards']} shards merged in {result['load_ms']:.0f} ms\n")
    print("| term (exact) | reports beneath | found | missing | years | shards | search | results as typed |\n"
          "|---|---:|---:|---:|---|---:|---:|---:|")
    shard_of = {"/" + path.removesuffix("index.html"): shard  # as the build cut them
                for shard, paths in shards(sorted(urls.output_path(u) for u in expected(content, content))).items()
                for path in paths}
    missing_any, used = False, set()
    for term, pages in wanted.items():
        found = set(result["terms"][term]["urls"]) & pages
        years = sorted({int(u.rstrip("/").rsplit("/", 1)[1]) for u in found})
        missing_any |= found != pages
        used |= {shard_of[u] for u in found}
        print(f"| {term} | {len(pages)} | {len(found)} | {len(pages - found)} | {years[0]}–{years[-1]} | "
              f"{len({shard_of[u] for u in found})} | {result['terms'][term]['ms']:.0f} ms | {result['terms'][term]['words']:,} |")
    print(f"\nfound in {len(used)} of the {result['shards']} shards")
    sys.exit(1 if missing_any else 0)


if __name__ == "__main__":
    main()
