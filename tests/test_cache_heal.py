"""A cache that heals: whatever is wrong with the files in the cache folder, the build is a cold one
with a fresh cache and a one-line note, and its site equals a clean build's. A cache folder that
cannot be used at all is a clear message."""
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from generator.cache import CELLS_PART

NIANBAO = [sys.executable, "-m", "generator.cli"]
DB = "nianbao-cache.sqlite"


def nianbao(*args, cwd):
    return subprocess.run([*NIANBAO, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and ".nianbao" not in p.parts}


@pytest.fixture
def work(tmp_path):
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    assert nianbao("build", "--no-search", "--cache", tmp_path / "cache", cwd=tmp_path).returncode == 0
    return tmp_path


def edit_title(work):
    path = work / "content" / "old-body" / "2015.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 修订版", 1), encoding="utf-8")


def damage_pages(path):
    """Overwrite every third page of a SQLite file after the first, as a failing disk might."""
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 3
    for offset in range(4096, len(data), 4096 * 3):
        data[offset:offset + 512] = b"\xa5" * 512
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # damaged in place, dates unchanged


def assert_heals(work, *args):
    """The next build notes the bad cache on one line, builds cold, and equals a clean build; the
    one after it has a sound cache again (no note)."""
    edit_title(work)
    run = nianbao("build", "--no-search", "--cache", work / "cache", *args, cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    notes = [line for line in run.stderr.splitlines() if "缓存无法读取" in line]
    assert len(notes) == 1 and notes[0].startswith("nianbao: 注意：缓存无法读取，已删除并重新生成")
    clean = work / "clean"
    assert nianbao("build", "--no-search", "--no-cache", "--out", clean, cwd=work).returncode == 0
    assert site_files(work / "site") == site_files(clean)
    again = nianbao("build", "--no-search", "--cache", work / "cache", *args, cwd=work)
    assert again.returncode == 0 and "缓存" not in again.stderr
    assert sqlite3.connect(work / "cache" / DB).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_page_in_the_cache(work):
    damage_pages(work / "cache" / DB)
    assert_heals(work)


def test_a_cache_that_is_not_a_database(work):
    (work / "cache" / DB).write_bytes(b"not a database at all" * 500)
    assert_heals(work)


def test_a_folder_in_place_of_the_cache_file(work):
    (work / "cache" / DB).unlink()
    (work / "cache" / DB).mkdir()
    (work / "cache" / DB / "x").write_text("x", encoding="utf-8")
    assert_heals(work)


def test_a_damaged_cells_part(work):
    damage_pages(work / "cache" / CELLS_PART)
    assert_heals(work)


def test_a_cells_part_replaced_or_a_folder_in_its_place_is_made_again(work):
    part = work / "cache" / CELLS_PART
    part.write_bytes(b"garbage")  # changed since it was written: made again, silently
    edit_title(work)
    run = nianbao("build", "--no-search", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    part.unlink()
    part.mkdir()
    run = nianbao("build", "--no-search", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    edit_title(work)
    run = nianbao("build", "--no-search", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr and part.is_file()
    db = sqlite3.connect(work / "site" / "data" / "cells.sqlite")
    assert db.execute("SELECT count(*) FROM reports WHERE title LIKE '修订版修订版%'").fetchone() == (1,)


def test_check_heals_too(work):
    damage_pages(work / "cache" / DB)
    run = nianbao("check", "--cache", work / "cache", cwd=work)
    assert run.returncode == 0 and "Traceback" not in run.stderr and "缓存无法读取" in run.stderr


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_cache_option_naming_a_file_is_a_clear_error(work, command):
    (work / "cachefile").write_text("mine", encoding="utf-8")
    run = nianbao(command, "--cache", "cachefile", cwd=work)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr == "nianbao: 错误[build/cache] 缓存目录 cachefile 是一个已有的文件，不是目录；请用 --cache 换一个目录，或用 --no-cache\n"
    assert (work / "cachefile").read_text(encoding="utf-8") == "mine"


def test_a_cache_folder_inside_a_file_is_a_clear_error(work):
    (work / "cachefile").write_text("mine", encoding="utf-8")
    run = nianbao("build", "--cache", "cachefile/sub", cwd=work)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "无法使用缓存目录 cachefile/sub" in run.stderr
