"""The output folder belongs to the build: what `--out` may be, what a build may delete, the lock,
and a publish that is whole or not at all, even when the build is killed (SIGKILL, real processes)."""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator.write.output import JOURNAL, MANIFEST, recover
from synthetic import make_archive

NIANBAO = [sys.executable, "-m", "generator.cli"]
LEFTOVER = re.compile(r"\.site-(new|old)-[A-Za-z0-9_]{8}$")


def nianbao(*args, cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, **kw)


def snapshot(site: Path) -> dict:
    """Every file's bytes; the manifest by the files it lists (its keys say what a file was made from)."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel == MANIFEST:
            manifest = json.loads(path.read_bytes())
            out[rel] = (sorted(manifest["files"]), manifest["kept"])
        elif path.is_file() and rel != JOURNAL:
            out[rel] = path.read_bytes()
    return out


def leftovers(folder: Path) -> list[str]:
    """Staging folders beside the site, once the detached removal of those found has had its time."""
    deadline = time.monotonic() + 30
    while (names := [n for n in os.listdir(folder) if LEFTOVER.match(n)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return names


@pytest.fixture
def valid(tmp_path):
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    return tmp_path


# --- what --out may be ---------------------------------------------------------------------------

@pytest.mark.parametrize("out", ["content", "content/site", ".", "..", "/"])
def test_an_out_that_is_inside_or_holds_the_content_is_refused_and_nothing_is_touched(valid, out):
    before = sorted(p.relative_to(valid).as_posix() for p in valid.rglob("*"))
    run = nianbao("build", "--out", out, "--no-search", cwd=valid)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert re.fullmatch(r"nianbao: 错误\[build/output\] 输出目录 \S+ (是内容目录|包含内容目录) [^\n]+\n", run.stderr)
    assert sorted(p.relative_to(valid).as_posix() for p in valid.rglob("*")) == before


def test_the_home_folder_and_an_existing_file_are_refused(valid):
    (valid / "notes.txt").write_text("my notes", encoding="utf-8")
    run = nianbao("build", "--out", "notes.txt", "--no-search", cwd=valid)
    assert run.returncode == 2 and "是一个已有的文件" in run.stderr and "Traceback" not in run.stderr
    assert (valid / "notes.txt").read_text(encoding="utf-8") == "my notes"
    home = valid / "home"
    home.mkdir()
    run = nianbao("build", "--out", home, "--content", valid / "content", "--no-search", cwd=valid,
                  env={"HOME": str(home)})
    assert run.returncode == 2 and "主目录" in run.stderr and not list(home.iterdir())


def test_a_folder_holding_other_files_is_refused_unless_forced_and_they_are_never_deleted(valid):
    www = valid / "www"
    (www / "sub").mkdir(parents=True)
    (www / "mine.txt").write_text("mine", encoding="utf-8")
    (www / "sub" / "index.html").write_text("not the build's", encoding="utf-8")
    run = nianbao("build", "--out", "www", "--no-search", cwd=valid)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert ("输出目录 www 中有 2 个文件不是 nianbao 生成的（mine.txt、sub/index.html）" in run.stderr
            and "--force" in run.stderr)
    assert sorted(p.relative_to(www).as_posix() for p in www.rglob("*")) == ["mine.txt", "sub", "sub/index.html"]
    assert nianbao("build", "--out", "www", "--no-search", "--force", cwd=valid).returncode == 0
    assert (www / "mine.txt").read_text(encoding="utf-8") == "mine" and (www / "index.html").is_file()
    # kept from now on: a later build needs no --force and still leaves it, also when the reports go
    shutil.rmtree(valid / "content" / "sample-province")
    assert nianbao("build", "--out", "www", "--no-search", cwd=valid).returncode == 0
    assert (www / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert (www / "sub" / "index.html").read_text(encoding="utf-8") == "not the build's"
    assert not (www / "sample-province").exists()  # the build's own pages of the removed reports are gone


def test_a_site_of_a_build_before_manifests_is_still_the_builds(valid):
    """Builds before this one recorded their files in the cache only: that record still counts."""
    cache = valid / "cache"
    assert nianbao("build", "--no-search", "--cache", cache, cwd=valid).returncode == 0
    shutil.rmtree(valid / "site" / ".nianbao")
    from generator.cache import Cache
    db = Cache(cache)
    files = {p.relative_to(valid / "site").as_posix(): "old" for p in (valid / "site").rglob("*") if p.is_file()}
    db.put("manifest", str(valid / "site"), files)
    db.close()
    (valid / "content" / "old-body" / "2015.md").unlink()
    run = nianbao("build", "--no-search", "--cache", cache, cwd=valid)
    assert run.returncode == 0, run.stderr
    assert not (valid / "site" / "old-body" / "2015").exists()
    assert (valid / "site" / MANIFEST).is_file()


def test_a_non_empty_folder_without_a_manifest_is_refused(valid):
    assert nianbao("build", "--no-search", cwd=valid).returncode == 0
    shutil.rmtree(valid / "site" / ".nianbao")
    run = nianbao("build", "--no-search", "--no-cache", cwd=valid)
    assert run.returncode == 2 and "不是 nianbao 生成的" in run.stderr


# --- whole or nothing ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The valid fixture and 40 synthetic reports: an old version, and a new one in which a body is
    renamed (every file naming it changes, the cells CSVs included) and a report is removed."""
    root = tmp_path_factory.mktemp("publish")
    old = root / "old"
    shutil.copytree(FIXTURES / "valid" / "content", old / "content")
    make_archive(old / "content" / "synthetic", 40, chains=2)
    (old / "content" / "synthetic" / "_index.yaml").write_text("name: 合成省\nlevel: 省\n", encoding="utf-8")
    new = root / "new"
    shutil.copytree(old / "content", new / "content")
    index = new / "content" / "sample-province" / "_index.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace("name: ", "name: 改名", 1), encoding="utf-8")
    (new / "content" / "old-body" / "2015.md").unlink()
    for version in (old, new):
        assert nianbao("build", "--no-search", "--no-cache", cwd=version).returncode == 0
    return {"old": old, "new": new, "OLD": snapshot(old / "site"), "NEW": snapshot(new / "site")}


def killed_build(archive, tmp_path, fault: str | None = None, after: float | None = None):
    """An old site with its cache, then a build of the new content killed at a point or after a time."""
    work = tmp_path / "work"
    shutil.copytree(archive["old"] / "content", work / "content")
    assert nianbao("build", "--no-search", "--cache", work / "cache", cwd=work).returncode == 0
    assert snapshot(work / "site") == archive["OLD"]
    shutil.rmtree(work / "content")
    shutil.copytree(archive["new"] / "content", work / "content")
    args = [*NIANBAO, "build", "--no-search", "--cache", str(work / "cache")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **({"NIANBAO_FAULT": fault} if fault else {})}
    proc = subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    if after is not None:
        try:
            proc.wait(timeout=after)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers
    proc.wait(timeout=300)
    return work, proc.returncode


def assert_old_or_new_then_next_build_is_clean(archive, work):
    site = work / "site"
    if (site / JOURNAL).exists():  # killed inside the moves: what the next build does first, under the lock
        assert recover(site)
        assert snapshot(site) == archive["NEW"]
    else:
        assert snapshot(site) in (archive["OLD"], archive["NEW"])
    # the edit is undone: the next build must give the old site exactly (no file kept from the killed one)
    shutil.rmtree(work / "content")
    shutil.copytree(archive["old"] / "content", work / "content")
    run = nianbao("build", "--no-search", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert snapshot(site) == archive["OLD"]
    assert leftovers(work) == []
    # and building the edit again gives the new site exactly
    shutil.rmtree(work / "content")
    shutil.copytree(archive["new"] / "content", work / "content")
    assert nianbao("build", "--no-search", "--cache", work / "cache", cwd=work).returncode == 0
    assert snapshot(site) == archive["NEW"]


@pytest.mark.parametrize("fault", ["publish", "journal", "remove:1", "move:1", "move:20", "manifest",
                                   "published"])
def test_a_build_killed_at_any_point_of_the_publish_leaves_the_old_or_the_new_site(archive, tmp_path, fault):
    work, code = killed_build(archive, tmp_path, fault=fault)
    assert code == -signal.SIGKILL
    assert_old_or_new_then_next_build_is_clean(archive, work)


def test_a_killed_publish_whose_staging_folder_was_deleted_is_not_trusted(archive, tmp_path):
    """The journal cannot be completed: the next build keeps the files as the build's own but trusts
    none of their keys, so it writes every file again (the no-op test cannot take the mix for either site)."""
    work, code = killed_build(archive, tmp_path, fault="move:5")
    assert code == -signal.SIGKILL and (work / "site" / JOURNAL).exists()
    for name in os.listdir(work):
        if LEFTOVER.match(name):
            shutil.rmtree(work / name)
    shutil.rmtree(work / "content")
    shutil.copytree(archive["old"] / "content", work / "content")
    run = nianbao("build", "--no-search", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert snapshot(work / "site") == archive["OLD"]


def test_a_build_killed_at_random_times_leaves_the_old_or_the_new_site(archive, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    start = time.monotonic()
    work, code = killed_build(archive, tmp_path / "timing")
    whole = time.monotonic() - start  # a rough length of a build here, to spread the kills over
    for attempt in range(4):
        case = tmp_path / str(attempt)
        work, code = killed_build(archive, case, after=rng.uniform(0.2, whole * 0.6))
        try:
            assert_old_or_new_then_next_build_is_clean(archive, work)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}, attempt {attempt}, exit {code}") from exc


def test_a_killed_first_build_leaves_no_site_and_no_staging_folder(valid):
    run = nianbao("build", "--no-search", cwd=valid, env={"NIANBAO_FAULT": "swap"})
    assert run.returncode == -signal.SIGKILL
    site = valid / "site"
    assert not site.exists() or not list(site.iterdir())  # an empty folder, or none
    assert nianbao("build", "--no-search", cwd=valid).returncode == 0
    assert (site / "index.html").is_file() and leftovers(valid) == []


def test_two_builds_at_once_never_corrupt_the_site_and_the_loser_is_told(archive, tmp_path):
    clean = archive["NEW"]
    for attempt in range(3):
        work = tmp_path / str(attempt)
        shutil.copytree(archive["old"] / "content", work / "content")
        if attempt:  # first builds race to make site/; later ones race to update it
            assert nianbao("build", "--no-search", "--no-cache", cwd=work).returncode == 0
        shutil.rmtree(work / "content")
        shutil.copytree(archive["new"] / "content", work / "content")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs = [subprocess.Popen([*NIANBAO, "build", "--no-search", "--cache", str(work / f"cache{i}")], cwd=work,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for i in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
        for code, err in results:
            assert "Traceback" not in err
            assert code == 0 or (code == 2 and "另一个 nianbao 进程正在生成 site" in err), err
        assert any(code == 0 for code, _ in results)
        assert snapshot(work / "site") == clean


def test_a_second_build_while_one_holds_the_lock_is_refused(archive, tmp_path):
    """Deterministic: the first build is stopped (SIGSTOP) while it holds the lock."""
    work = tmp_path / "work"
    shutil.copytree(archive["new"] / "content", work / "content")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([*NIANBAO, "build", "--no-search", "--no-cache"], cwd=work, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not [n for n in os.listdir(work) if LEFTOVER.match(n)] and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        second = nianbao("build", "--no-search", "--no-cache", cwd=work)
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert first.wait(timeout=300) == 0
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert second.stderr.endswith("另一个 nianbao 进程正在生成 site（同一输出目录同时只能有一个），请等它结束后再试\n")
    assert snapshot(work / "site") == archive["NEW"]


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(valid):
    assert nianbao("build", "--no-search", cwd=valid).returncode == 0
    for name in (".site-new-abcd1234", ".site-old-x_y_z_12", ".site-spool-k1ll3d_0"):
        (valid / name / "a").mkdir(parents=True)
        (valid / name / "a" / "page.html").write_text("left", encoding="utf-8")
    (valid / ".site-new-kept").mkdir()  # not a name the build makes: not the build's
    assert nianbao("build", "--no-search", cwd=valid).returncode == 0
    assert leftovers(valid) == []
    assert sorted(os.listdir(valid)) == [".site-new-kept", "content", "site"]
