"""The in-memory build of `nianbao serve` (generator/live.py): after an edit, the served folder holds
what a fresh `build()` of the edited content makes. Right after the update only the archive-wide
downloads (deferred on purpose, see DEFERRED) may still be those of before; after `downloads()`
every file is the fresh build's.

The archive is the real reports plus a synthetic one of 60 reports (several bodies per county,
nested regions), as in test_incremental.py.
"""
import re
import shutil

import pytest

from generator.build import build
from generator.live import LiveBuild, NeedsFull
from synthetic import province_beside_seeds

# made by downloads(), after the pages: the downloads and what lists them or every page
DEFERRED = re.compile(r"^(data/.*|search-index/.*|sitemap\.xml|feed\.xml|quality/quality\.csv)$")
REPORT = "synthetic/p0/c0/k0/t1/2023.md"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    content = tmp_path_factory.mktemp("live") / "content"
    return province_beside_seeds(content, 60, chains=2)


@pytest.fixture
def live(archive, tmp_path):
    shutil.copytree(archive, tmp_path / "content")
    live = LiveBuild(tmp_path / "content", tmp_path / "site", tmp_path / "cache", jobs=2)
    assert live.full().errors == []
    yield live
    live.close()


def files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and ".nianbao" not in p.relative_to(site).parts}


def fresh(content, tmp_path):
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    assert build(content, out, cache_dir=None, jobs=2).errors == []
    return files(out)


def differing(a, b):
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


def edit(live, rel, old, new):
    path = live.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("old, new, shown", [
    ("## 五、", "## 五、\n\n本年度新增一段说明。\n\n", ["synthetic/p0/c0/k0/t1/2023/index.html"]),
    ("title: ", "title: （修订）", ["synthetic/p0/c0/k0/t1/2023/index.html", "synthetic/p0/c0/k0/t1/index.html",
                                  "index.html", "years/2023/index.html"]),
])
def test_an_edit_gives_the_files_of_a_fresh_build(live, tmp_path, old, new, shown):
    before = files(live.target)
    path = edit(live, REPORT, old, new)
    assert live.update([path]).errors == []
    expected = fresh(live.content, tmp_path)
    now = files(live.target)
    assert [p for p in differing(now, expected) if not DEFERRED.match(p)] == []  # every page is the fresh build's
    assert set(shown) <= set(differing(before, now))  # and the edit shows on them
    assert live.downloads()
    assert differing(files(live.target), expected) == []


def test_a_broken_edit_publishes_nothing_and_its_fix_publishes_the_fix(live, tmp_path):
    before = files(live.target)
    path = edit(live, REPORT, "title: ", "title: [")
    assert live.update([path]).errors
    assert files(live.target) == before
    edit(live, REPORT, "title: [", "title: （修订）")
    assert live.update([path]).errors == []
    expected = fresh(live.content, tmp_path)
    assert [p for p in differing(files(live.target), expected) if not DEFERRED.match(p)] == []
    assert "（修订）" in (live.target / "synthetic/p0/c0/k0/t1/2023/index.html").read_text(encoding="utf-8")


def test_downloads_made_for_an_older_edit_are_dropped(live, tmp_path):
    path = edit(live, REPORT, "title: ", "title: （一）")
    live.update([path])
    edit(live, REPORT, "title: （一）", "title: （二）")
    assert not live.downloads(interrupted=lambda: live.update([path]) and False)  # an edit published meanwhile
    assert live.downloads()
    assert differing(files(live.target), fresh(live.content, tmp_path)) == []


def test_a_new_file_or_a_folder_index_needs_a_full_build(live):
    new = live.content / "synthetic/p0/c0/k0/t1/2030.md"
    new.write_text((live.content / REPORT).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(NeedsFull):
        live.update([str(new)])
    index = edit(live, "synthetic/p0/_index.yaml", "name: ", "name: 新")
    with pytest.raises(NeedsFull):
        live.update([index])
    ignored = live.content / "synthetic/.2023.md.swp"
    ignored.write_text("x", encoding="utf-8")
    assert live.update([str(ignored)]).errors == []  # hidden files are never read
