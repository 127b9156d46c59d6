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


def test_an_edit_rewrites_only_the_index_files_it_changes_and_leaves_the_index_a_clean_build_makes(tmp_path):
    """The shard's gzip files are keyed by their bytes before gzip: after one edit, the text of the
    shard's other report stays in place, untouched (not compressed and written again); and the
    index equals, byte for byte, the one a build from scratch makes of the edited content."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid" / "content", content)
    town = content / "sample-province" / "sample-city"
    shutil.copytree(town / "jia-town", town / "yi-town")  # a second body reporting for 2022: one shard, two reports
    meta = town / "yi-town" / "_index.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("甲镇", "乙镇"), encoding="utf-8")
    site = tmp_path / "site"
    assert not build(content, site).errors
    shard = site / "search-index" / "2022"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in shard.rglob("*") if p.is_file()}
    assert len([p for p in before if p.parent.name == "text"]) == 2
    report = town / "jia-town" / "2022.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一段正文，说明乾隆年间的旧档案。\n", encoding="utf-8")
    assert not build(content, site).errors
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in shard.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    same = [p for p in before if before[p][0] == after[p][0]]
    assert [p.name for p in same if p.parent.name == "text"] == ["1.gz"]  # 乙镇's text (jia-town's is 0)
    assert all(before[p][1] == after[p][1] for p in same), "unchanged files were written again"
    clean = tmp_path / "clean"
    assert not build(content, clean).errors
    index_files = {p.relative_to(site): p.read_bytes() for p in (site / "search-index").rglob("*") if p.is_file()}
    assert index_files == {p.relative_to(clean): p.read_bytes() for p in (clean / "search-index").rglob("*")
                           if p.is_file()}
