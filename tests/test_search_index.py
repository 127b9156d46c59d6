"""The search index's shards: how the archive is split, and that only a changed shard is indexed again."""
import json
import random
import shutil

from browser import Site
from conftest import FIXTURES, ROOT
from generator.build import build
from generator.search import index


def test_shards_are_years_and_a_year_too_big_for_one_is_split_by_region(monkeypatch):
    monkeypatch.setattr(index, "SHARD_PAGES", 2)
    paths = ["a/2020/index.html", "a/2021/index.html", "b/2020/index.html", "b/x/2020/index.html",
             "b/x/y/2020/index.html", "c/2021/index.html"]
    assert index.shards(paths) == {"2020.a": ["a/2020/index.html"], "2020.b": ["b/2020/index.html"],
                                   "2020.b.x": ["b/x/2020/index.html", "b/x/y/2020/index.html"],
                                   "2021": ["a/2021/index.html", "c/2021/index.html"]}


def test_small_neighbouring_regions_share_a_shard(monkeypatch):
    monkeypatch.setattr(index, "SHARD_PAGES", 3)
    paths = [f"p{i}/c/2020/index.html" for i in range(7)] + ["p0/2021/index.html"]
    assert index.shards(paths) == {"2020.p0~p2": paths[0:3], "2020.p3~p5": paths[3:6], "2020.p6": paths[6:7],
                                   "2021": paths[7:]}


def test_only_the_shard_whose_reports_changed_is_indexed_again(tmp_path):
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    site = tmp_path / "site"
    assert not build(tmp_path / "content", site).errors
    shards = json.loads((site / "search-index" / "shards.json").read_text())
    assert [s["dir"] for s in shards] == [f"/search-index/{y}/" for y in (2015, 2020, 2021, 2022, 2023)]
    before = {p: p.read_bytes() for p in (site / "search-index").rglob("*") if p.is_file()}
    report = tmp_path / "content" / "old-body" / "2015.md"  # the only report of 2015
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一段正文。\n", encoding="utf-8")
    assert not build(tmp_path / "content", site).errors
    after = {p: p.read_bytes() for p in (site / "search-index").rglob("*") if p.is_file()}
    changed = {p.relative_to(site / "search-index").parts[0] for p in before if before[p] != after.get(p)}
    assert changed == {"2015"}  # the other years were republished byte for byte, not indexed again


def _write_index(site, shards_records):
    """A search index written straight from records (no archive), one shard per list, with the page's engine."""
    listing, parts = [], []
    for name, records in shards_records.items():
        folder = site / index.BUNDLE / name
        buckets = index._buckets(*index._postings(records))
        for number, data in enumerate(buckets):
            (folder / "g").mkdir(parents=True, exist_ok=True)
            (folder / "g" / f"{number}.bin").write_bytes(data)
        (folder / "docs.json").write_bytes(index._dumps(index._docs(records)))
        parts.append(index._folders(records))
        listing.append({"dir": f"/{index.BUNDLE}/{name}/", "year": 2020, "docs": len(records), "buckets": len(buckets)})
    (site / index.SHARDS).write_text(json.dumps(listing), encoding="utf-8")
    (site / index.TABLE).write_bytes(index.table_json())
    (site / index.FOLDERS).write_bytes(index.folders_file(parts))
    (site / "assets").mkdir()
    shutil.copy(ROOT / "templates" / "static" / "search-core.js", site / "assets")


def test_the_engine_lists_exactly_the_texts_that_hold_a_query(tmp_path):
    """Random texts over a few characters (so that near misses abound), one of them longer than 65,535
    characters (positions past the 16-bit escape), searched in Chromium for substrings of the texts and
    for strings that may occur nowhere: the engine lists exactly the texts holding every term."""
    rng = random.Random(14)
    alphabet = "政府公开信息申请 A𠀀"  # a space (runs break there), a capital (searched small) and a character beyond the BMP
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(240)]
    texts[7] = "".join(rng.choice(alphabet) for _ in range(70000)) + "府府公公信信"
    records = [{"url": f"/t{i}/2020/", "title": f"文{i}", "body": f"文{i}", "region": "", "year": 2020,
                "filters": {"年度": ["2020"]}, "parts": [["", text]]} for i, text in enumerate(texts)]
    queries = set()
    for _ in range(300):
        text = rng.choice(texts[:60] + [texts[7][-400:]])
        start = rng.randrange(len(text))
        queries.add(text[start:start + rng.randint(1, 9)].strip())
        queries.add("".join(rng.choice(alphabet.replace(" ", "")) for _ in range(rng.randint(1, 7))))
    queries = sorted(q for q in queries if q) + ["府府公公信信", "a𠀀", "政府 申请"]
    _write_index(tmp_path, {"a": records[:120], "b": records[120:]})
    page = ("<!doctype html><meta charset='utf-8'><script src='/assets/search-core.js'></script><script type='module'>"
            "const out = {}; for (const q of %s) out[q] = (await window.nianbao.search(q)).results.map(r => r.url);"
            "fetch('/__result__', {method: 'POST', body: JSON.stringify(out)});</script>") % json.dumps(queries)
    (tmp_path / "engine.html").write_text(page, encoding="utf-8")
    site = Site(tmp_path)
    try:
        found = site.run("/engine.html", tmp_path / "profile")
    finally:
        site.stop()
    wrong = []
    for query in queries:
        terms = query.lower().split()
        expected = {r["url"] for r, text in zip(records, texts) if all(t in text.lower() for t in terms)}
        if set(found[query]) != expected:
            wrong.append(f"{query!r}: missing {sorted(expected - set(found[query]))[:3]}, "
                         f"extra {sorted(set(found[query]) - expected)[:3]}")
    assert not wrong, "\n".join(wrong[:20])
    assert found["府府公公信信"] == ["/t7/2020/"]
