"""A full or read-only output disk: one clear line naming the path and the reason, a non-zero exit,
no traceback, and site/ exactly as it was. The disk is a real tmpfs, mounted in a private mount
namespace (`unshare`), made full or read-only under a real build."""
import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from conftest import FIXTURES, ROOT

DRIVER = textwrap.dedent('''
    import hashlib, json, os, subprocess, sys
    disk, content, cache, case = sys.argv[1:]
    def sh(*args):
        subprocess.run(args, check=True)
    def nianbao(*args):
        run = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--no-search", "--cache", cache, *args],
                             cwd=disk, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ROOT})
        return run.returncode, run.stderr
    def snapshot():
        return {os.path.relpath(os.path.join(d, n), disk): hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
                for d, _, names in os.walk(disk) for n in names if "content" not in d.split(os.sep)}
    sh("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", disk)
    sh("cp", "-r", content, os.path.join(disk, "content"))
    code, err = nianbao()
    assert code == 0, err
    before = snapshot()
    report = os.path.join(disk, "content", "old-body", "2015.md")
    text = open(report, encoding="utf-8").read()
    open(report, "w", encoding="utf-8").write(text.replace("title: ", "title: 修订版", 1))
    if case == "full":
        used = os.statvfs(disk)
        used = (used.f_blocks - used.f_bfree) * used.f_frsize
        sh("mount", "-o", f"remount,size={used + 8192}", disk)
    else:
        sh("mount", "--bind", disk, disk)
        sh("mount", "-o", "remount,bind,ro", disk)
    code, err = nianbao()
    print(json.dumps({"code": code, "err": err, "same": snapshot() == before, "names": sorted(os.listdir(disk))}))
''').replace("ROOT", repr(str(ROOT)))


def unshare_works() -> bool:
    """Can this user mount a tmpfs in a namespace of its own (not everywhere: some systems forbid it)?"""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        try:
            return subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder],
                                  capture_output=True).returncode == 0
        except OSError:
            return False


@pytest.mark.skipif(not unshare_works(), reason="needs unshare -rm (user and mount namespaces) to mount a small disk")
@pytest.mark.parametrize("case, reason", [("full", "磁盘空间不足"), ("readonly", "只读文件系统")])
def test_a_full_or_read_only_disk_is_one_clear_line_and_the_site_stays(tmp_path, case, reason):
    disk = tmp_path / "disk"
    disk.mkdir()
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", DRIVER, disk, tmp_path / "content",
                          tmp_path / "cache", case], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["code"] == 1 and "Traceback" not in result["err"], result["err"]
    lines = result["err"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao: 错误[build/write] 无法写入 ")
    assert f"：{reason}（" in lines[0] and lines[0].endswith("（网站目录未改动）")
    assert result["same"]  # site/ byte for byte as before
    assert result["names"] == ["content", "site"]  # no staging folder left
