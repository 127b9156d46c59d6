"""The search index's shards: how the archive is split, and that only a changed shard is indexed again."""
import json
import shutil

from conftest import FIXTURES
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
