"""Benchmark: build a synthetic archive of N reports and print what each kind of build costs.

    make bench               # N=1000
    make bench N=10000

The archive (tests/synthetic.py: every table, 3–6 KB of narrative from the real reports, six years
per body, nested regions, both formats) is made once under .cache/bench/N/ and reused. Every step
runs the real command line in a fresh process; peak memory is that of the whole process tree (the
build's workers included, shared pages counted once), sampled every 200 ms.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
NIANBAO = [sys.executable, "-m", "generator.cli"]


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional set sizes
    (PSS), so that pages the forked workers share with the main process are counted once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except OSError:
                continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _pss(p)
        todo += children.get(p, [])
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def measure(args: list[str], cwd: Path, root: Path = ROOT) -> tuple[float, int, float]:
    """(wall seconds, peak memory in bytes, CPU seconds) of one command, the CPU time (user and system)
    of its whole process tree; fails loudly if the command fails. On a loaded machine the CPU time
    changes much less than the wall time. `root`: the checkout whose `generator` the command runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)})
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)  # reading PSS walks page tables: sampling more often slows the build
    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, peak[0], cpu


def archive(reports: int) -> Path:
    work = ROOT / ".cache" / "bench" / str(reports)
    if not (work / "content").is_dir():
        from synthetic import make_archive
        print(f"making a synthetic archive of {reports} reports in {work} …", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        start = time.perf_counter()
        make_archive(work / "content.tmp", reports)
        (work / "content.tmp").rename(work / "content")
        print(f"  made in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return work


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--scale", action="store_true", help="only the cold build, search indexing and no-op rebuild")
    opts = parser.parse_args()
    work = archive(opts.reports)
    for leftover in ("site", ".cache"):
        shutil.rmtree(work / leftover, ignore_errors=True)
    build = [*NIANBAO, "build", "--content", "content", "--out", "site", "--jobs", str(opts.jobs)]
    check = [*NIANBAO, "check", "--content", "content", "--jobs", str(opts.jobs)]
    report = sorted((work / "content").rglob("2023.md"))[len(list((work / "content").rglob("2023.md"))) // 2]
    text = report.read_text(encoding="utf-8")
    steps = [
        ("check-only, cold (no cache)", [*check, "--no-cache"], None),
        ("cold build, excluding search index", [*build, "--no-search"], None),
        ("search indexing (every shard)", build, None),
        ("no-op rebuild", build, None),
        ("edit one report's narrative, excluding search index", [*build, "--no-search"],
         lambda: edit(report, "## 五、", "## 五、\n\n本年度新增一段说明。\n\n")),
        ("… then re-index its shard", build, None),
        ("edit one report's title, excluding search index", [*build, "--no-search"],
         lambda: edit(report, "title: ", "title: （修订）")),
        ("… then re-index its shard", build, None),
        ("check-only, warm cache", check, None),
    ]
    if opts.scale:
        steps = steps[1:4]
    try:
        rows = []
        for name, command, before in steps:
            if before:
                before()
            wall, rss, cpu = measure(command, work)
            rows.append((name, wall, rss, cpu))
            print(f"{name:<55} {wall:8.2f} s {rss / 2**20:8.0f} MB {cpu:8.2f} s CPU", file=sys.stderr)
    finally:
        if report.read_text(encoding="utf-8") != text:
            report.write_text(text, encoding="utf-8")
            measure(build, work)  # leave site/ as content/ builds it, not as the edited report did
    files = sum(1 for p in (work / "site").rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
    print(f"\n{opts.reports:,} reports; site: {files:,} files, {size / 2**20:,.0f} MB; "
          f"{os.cpu_count()} cores; jobs={opts.jobs or 'one per core'}\n")
    print("| step | wall time | peak memory (PSS) | CPU time |\n|---|---:|---:|---:|")
    for name, wall, rss, cpu in rows:
        print(f"| {name} | {wall:.2f} s | {rss / 2**20:,.0f} MB | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
