"""The search page's engine (templates/static/search-core.js) in headless Chromium, over an index written
straight from records: it lists exactly the texts that hold a query."""
import json
import random
import shutil

import pytest

from browser import Site
from conftest import ROOT
from generator.search import index

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it


def _write_index(site, shards_records):
    """A search index written straight from records (no archive), one shard per list, with the page's engine."""
    listing, parts = [], []
    for name, records in shards_records.items():
        folder = site / index.BUNDLE / name
        buckets = index.bucket_files(records)
        for number, data in enumerate(buckets):  # odd ones gzipped as built, even ones as a host inflates them
            (folder / "g").mkdir(parents=True, exist_ok=True)
            (folder / index.bucket_path(number)).write_bytes(index.packed(data) if number % 2 else data)
        (folder / "docs.gz").write_bytes(index.packed(index._dumps(index._docs(records))))
        parts.append(index._folders(records))
        listing.append({"dir": f"/{index.BUNDLE}/{name}/", "year": 2020, "docs": len(records), "buckets": len(buckets)})
    (site / index.SHARDS).write_text(json.dumps(listing), encoding="utf-8")
    (site / index.TABLE).write_bytes(index.table_json())
    (site / index.FOLDERS).write_bytes(index.folders_file(parts))
    (site / "assets").mkdir()
    shutil.copy(ROOT / "templates" / "static" / "search-core.js", site / "assets")


def test_the_engine_lists_exactly_the_texts_that_hold_a_query(tmp_path):
    """Random texts over a few characters (so that near misses abound), one of them longer than 65,535
    characters (positions of three-byte varints), searched in Chromium for substrings of the texts and
    for strings that may occur nowhere: the engine lists exactly the texts holding every term."""
    rng = random.Random(14)
    # a space (runs break there), a capital (searched small) and a character beyond the BMP
    alphabet = "政府公开信息申请 A𠀀"
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


def _search_all(tmp_path, records, queries):
    """{query: [URL of each result]} from the page's engine in Chromium, over an index of the records."""
    _write_index(tmp_path, {"a": records})
    page = ("<!doctype html><meta charset='utf-8'><script src='/assets/search-core.js'></script><script type='module'>"
            "const out = {}; for (const q of %s) out[q] = (await window.nianbao.search(q)).results.map(r => r.url);"
            "fetch('/__result__', {method: 'POST', body: JSON.stringify(out)});</script>") % json.dumps(queries)
    (tmp_path / "engine.html").write_text(page, encoding="utf-8")
    site = Site(tmp_path)
    try:
        return site.run("/engine.html", tmp_path / "profile")
    finally:
        site.stop()


# Characters that one traditional form shares with another, or that are simplified characters too
PITFALLS = {"乾隆": "乾隆年间修建的乾县文庙", "干部": "干部培训两次", "晒干": "粮食晒干入库", "于": "关于本年度的报告",
            "於": "於姓居民来访", "头发": "头发护理店登记", "发展": "发展改革委员会", "后来": "后来补正了材料",
            "皇后": "皇后镇政府", "复议": "行政复议三件", "覆盖": "覆盖全区", "了解": "了解情况"}


def test_traditional_characters_that_share_or_keep_their_simplified_form(tmp_path):
    """乾 is simplified as written in 乾隆 but 干 in 乾淨; 發 and 髮 are both 发; 後 is 后; 於 is 于 in 關於 but
    a surname as written: a simplified query lists exactly the texts holding it as written (干部 does not
    find 乾隆), and a traditional one finds the simplified text of each of its readings."""
    records = [{"url": f"/{key}/2020/", "title": key, "body": key, "region": "", "year": 2020,
                "filters": {"年度": ["2020"]}, "parts": [["", text]]} for key, text in PITFALLS.items()]
    expected = {
        "干": {"干部", "晒干"}, "干部": {"干部"}, "乾": {"乾隆", "干部", "晒干"}, "乾隆": {"乾隆"}, "乾县": {"乾隆"},
        "幹部": {"干部"}, "曬乾": {"晒干"}, "晒乾": {"晒干"}, "於": {"於", "于"}, "于": {"于"}, "關於": {"于"},
        "关于": {"于"}, "於姓": {"於"}, "頭髮": {"头发"}, "頭發": {"头发"}, "發展": {"发展"}, "髮": {"头发", "发展"},
        "後來": {"后来"}, "后": {"后来", "皇后"}, "皇后": {"皇后"}, "複議": {"复议"}, "覆議": {"复议"},
        "覆蓋": {"覆盖"}, "覆": {"覆盖", "复议"}, "复": {"复议"}, "瞭解": {"了解"}, "了解": {"了解"},
    }
    found = _search_all(tmp_path, records, list(expected))
    wrong = {q: sorted(u.split("/")[1] for u in found[q]) for q, want in expected.items()
             if {u.split("/")[1] for u in found[q]} != want}
    assert not wrong, wrong
