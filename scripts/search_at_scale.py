"""Search region names on a big archive, in real Chromium, after bench_search.py built its site.

    .venv/bin/python scripts/search_at_scale.py --reports 100000 [--label now]

Serves .cache/bench/N/site-<label> on 127.0.0.1 and runs the search page's engine (search-core.js)
for region names: every report beneath a region names it, so the reports that must be found are
known from the content, and they must come first. Prints, per name, the reports beneath, those
listed (others may quote the name), where the last of its own came, and the time the search took;
exits 1 if any report beneath is missing or listed after another.
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

HARNESS = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<script src="/assets/search-core.js"></script><script type="module">
const out = {terms: {}};
try {
  for (const term of %s) {
    const t0 = performance.now();
    const found = await window.nianbao.search(term);
    out.terms[term] = {urls: found.results.map(r => r.url), ms: performance.now() - t0};
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
    parser.add_argument("--label", default="now")
    opts = parser.parse_args()
    work = ROOT / ".cache" / "bench" / str(opts.reports)
    content, site = work / "content", work / f"site-{opts.label}"
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
    print(f"{opts.reports:,} reports\n")
    print("| name | reports beneath | listed | missing | last of its own at | search |\n|---|---:|---:|---:|---:|---:|")
    bad = False
    for term, pages in wanted.items():
        listed = result["terms"][term]["urls"]
        ranks = [i + 1 for i, u in enumerate(listed) if u in pages]
        missing = len(pages - set(listed))
        bad |= bool(missing) or (ranks and ranks[-1] != len(pages))
        print(f"| {term} | {len(pages)} | {len(listed)} | {missing} | {ranks[-1] if ranks else '–'} | "
              f"{result['terms'][term]['ms']:.0f} ms |")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
