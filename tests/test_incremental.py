"""Incremental and parallel builds: a cached build must be byte-identical to a clean one, and a
rebuild must rewrite only the files whose bytes changed.

The archive is the real content/ plus a synthetic one of 60 reports (tests/synthetic.py), enough
bodies for the build to use its worker processes.
"""
import json
import os
import shutil
import sqlite3

import pytest

from generator import checking, outputs
from generator.build import build
from generator.cache import Cache
from generator.write.spool import Spool
from generator.search.index import BUNDLE
from generator.write.output import MANIFEST
from synthetic import province_beside_seeds


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    content = tmp_path_factory.mktemp("incremental") / "content"
    return province_beside_seeds(content, 60, chains=2)


@pytest.fixture
def work(archive, tmp_path):
    shutil.copytree(archive, tmp_path / "content")
    return tmp_path


def files(site):
    """Every file's bytes, the search index's too (it is written the same way every time). The build's
    manifest is compared by the files it lists, without the keys it records (what a file was made from,
    not what it holds)."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel == MANIFEST:
            manifest = json.loads(path.read_bytes())
            manifest["files"] = sorted(manifest["files"])
            out[rel] = manifest
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def inodes(site):
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def edit(work, rel, old, new):
    path = work / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_parallel_cached_and_clean_builds_are_byte_identical(work):
    cache, site = work / "cache", work / "site"
    # without indexing first: the next build makes the documents of bodies it does not otherwise remake
    assert not build(work / "content", site, cache_dir=cache, jobs=2, search=False).errors
    edit(work, "hongqi/xiaodian/2023.md", "title: ", "title: 修订版")
    edit(work, "synthetic/p0/c0/k0/2022.md", "## 五、", "## 五、\n\n新增的一段。\n\n")
    assert not build(work / "content", site, cache_dir=cache, jobs=2).errors
    clean = work / "clean"
    assert not build(work / "content", clean, jobs=1).errors  # no cache, no worker processes
    assert files(site) == files(clean)
    assert "修订版" in (site / "hongqi/xiaodian/2023/index.html").read_text(encoding="utf-8")


def test_a_rebuild_rewrites_only_what_changed(work):
    cache, site = work / "cache", work / "site"
    assert not build(work / "content", site, cache_dir=cache).errors
    before = inodes(site)
    assert not build(work / "content", site, cache_dir=cache).errors
    assert inodes(site) == before  # nothing changed: not one file was written

    edit(work, "synthetic/p0/c0/k0/2022.md", "## 五、", "## 五、\n\n新增的一段。\n\n")
    assert not build(work / "content", site, cache_dir=cache).errors
    after = inodes(site)
    outside_index = {p for p in before if not p.startswith(f"{BUNDLE}/")}
    assert {p for p in after if not p.startswith(f"{BUNDLE}/")} == outside_index
    rewritten = {p for p in after if after[p] != before.get(p)}
    # the edited report's page, the data page (download sizes) and the search shard of 2022; not
    # the report's JSON (it holds no narrative), no other page, no other year's shard or CSV
    assert "synthetic/p0/c0/k0/2022/index.html" in rewritten
    assert "synthetic/p0/c0/k0/2022.json" not in rewritten
    assert not {p for p in rewritten if p.endswith("/index.html")} - {
        "synthetic/p0/c0/k0/2022/index.html", "data/index.html"}
    assert {p.split("/")[1] for p in rewritten
            if p.startswith(f"{BUNDLE}/") and p != f"{BUNDLE}/shards.json"} == {"2022"}
    assert not {p for p in rewritten if p.startswith("data/cells")}  # no cell changed


def test_a_stale_or_damaged_cache_only_makes_a_cold_build(work):
    cache, site = work / "cache", work / "site"
    assert not build(work / "content", site, cache_dir=cache).errors
    for path in cache.iterdir():
        path.write_bytes(b"not a database")
    (site / "stale.html").write_text("left by hand", encoding="utf-8")
    assert not build(work / "content", site, cache_dir=cache, force=True).errors
    assert (site / "stale.html").read_text(encoding="utf-8") == "left by hand"  # never deleted: not the build's
    (site / "stale.html").unlink()
    clean = work / "clean"
    assert not build(work / "content", clean).errors
    made, expected = files(site), files(clean)
    assert made.pop(MANIFEST)["kept"] == ["stale.html"]
    expected.pop(MANIFEST)
    assert made == expected


def test_an_error_found_in_a_cached_body_still_stops_the_build(work):
    cache, site = work / "cache", work / "site"
    assert not build(work / "content", site, cache_dir=cache).errors
    before = inodes(site)
    edit(work, "synthetic/p0/c0/k0/2022.md", "title: ", "title: \nbroken: [")
    assert build(work / "content", site, cache_dir=cache).errors
    assert build(work / "content", site, cache_dir=cache).errors  # the cached result is the same
    assert inodes(site) == before
    assert not [n for n in os.listdir(work) if n.startswith(".site-new-")]  # no staging folder left


def test_a_file_saved_again_during_the_build_is_not_cached_under_its_old_bytes(work, monkeypatch):
    """Files are hashed when the tree is read and parsed later, in the workers: one saved in between
    is built as it now is, and its results must not be taken for its old bytes by a later build."""
    cache, site, rel = work / "cache", work / "site", "synthetic/p0/c0/k0/2022.md"
    original = (work / "content" / rel).read_text(encoding="utf-8")
    read_tree = checking.read_tree

    def read_then_edit(*args):
        tree = read_tree(*args)
        edit(work, rel, "title: ", "title: 中途保存")
        return tree
    monkeypatch.setattr(checking, "read_tree", read_then_edit)
    assert not build(work / "content", site, cache_dir=cache, jobs=1).errors
    page = site / "synthetic/p0/c0/k0/2022/index.html"
    assert "中途保存" in page.read_text(encoding="utf-8")
    monkeypatch.setattr(checking, "read_tree", read_tree)
    (work / "content" / rel).write_text(original, encoding="utf-8")  # back to the bytes that were hashed
    assert not build(work / "content", site, cache_dir=cache, jobs=1).errors
    assert "中途保存" not in page.read_text(encoding="utf-8")


def test_a_title_edit_after_a_no_op_build_does_not_rewrite_the_cells(work):
    """cells.sqlite is a copy of a cells part kept in the cache folder (export/sqlite.py): a title is
    not a cell, so the part stays, whatever builds came between."""
    cache, site = work / "cache", work / "site"
    assert not build(work / "content", site, cache_dir=cache, search=False).errors
    assert not build(work / "content", site, cache_dir=cache, search=False).errors  # a no-op
    part = cache / outputs.CELLS_PART
    before = part.stat().st_ino, part.stat().st_mtime_ns
    edit(work, "synthetic/p0/c0/k0/2022.md", "title: ", "title: 修订版")
    assert not build(work / "content", site, cache_dir=cache, search=False).errors
    assert (part.stat().st_ino, part.stat().st_mtime_ns) == before
    db = sqlite3.connect(site / "data/cells.sqlite")
    assert db.execute("SELECT count(*) FROM reports WHERE title LIKE '修订版%'").fetchone() == (1,)


def test_without_a_cache_a_parallel_build_keeps_nothing_and_makes_the_same_site(work, monkeypatch):
    """Issue 15: the cache is not the channel between processes. Without one, the workers' values and
    search documents pass through the build's spool (beside the site), which is gone afterwards, and no cache
    file is made."""
    temp = work / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    opened, read = [], []
    monkeypatch.setattr(Cache, "_open", lambda target: opened.append(target))
    data = Spool.data
    monkeypatch.setattr(Spool, "data", lambda self, kind, key: read.append(kind) or data(self, kind, key))
    assert not build(work / "content", work / "plain", jobs=2).errors
    assert opened == [] and {"values", "documents"} <= set(read)
    assert list(temp.iterdir()) == [] and not list(work.glob(".plain-spool-*"))
    monkeypatch.undo()
    assert not build(work / "content", work / "cached", cache_dir=work / "cache", jobs=2).errors
    assert files(work / "plain") == files(work / "cached")
    assert not [p for p in work.rglob("nianbao-cache.sqlite") if "cache" not in p.relative_to(work).parts]
