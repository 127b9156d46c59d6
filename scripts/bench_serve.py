"""Benchmark `nianbao serve` as an editor feels it: the first build, then the time from saving an
edit until the served page shows it.

    .venv/bin/python scripts/bench_serve.py --reports 10000 [--edits 3] [--chromium]
    .venv/bin/python scripts/bench_serve.py --content PATH   # any content folder (it is edited, then restored)

It starts the real command line (`python -m generator.cli serve`, a fresh cache), waits for its
address, then saves edits to one report in the middle of the archive: a sentence added to the
narrative, then a changed title. After each save it polls the served report page (and for a title
edit the body's page, which lists the title) over HTTP every 10 ms until the change shows. With
`--chromium` it also opens the report page in headless Chromium and times one more narrative edit
until the page, reloaded by its own script, shows it. Where serve says when the downloads are
current again (the in-memory build), that time is printed too. The report is restored at the end.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
LIMIT = 600  # seconds: give up on a change that never shows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until_shown(urls: list[str], text: str, since: float) -> list[float]:
    """Seconds from `since` until each URL's page holds `text` (polled every 10 ms)."""
    found: dict[str, float] = {}
    while len(found) < len(urls):
        for url in urls:
            if url not in found and text in get(url):
                found[url] = time.perf_counter() - since
        if time.perf_counter() - since > LIMIT:
            raise SystemExit(f"{text!r} not shown within {LIMIT} s")
        time.sleep(0.01)
    return [found[u] for u in urls]


class Serve:
    """`nianbao serve` in a process of its own; its terminal lines are kept with their times."""

    def __init__(self, content: Path, port: int, cache: Path):
        env = {**os.environ, "NIANBAO_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--content", str(content),
                                      "--port", str(port)], cwd=cache.parent, env=env, stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, text=True)
        self.lines: list[tuple[float, str]] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append((time.perf_counter(), line.rstrip()))
            if "预览地址" in line:
                self.ready.set()

    def first_build(self) -> float:
        while not self.ready.wait(1):
            if self.proc.poll() is not None:
                sys.exit("serve stopped:\n" + "\n".join(line for _, line in self.lines[-20:]))
        return next(t for t, line in self.lines if "预览地址" in line) - self.started

    def downloads_current(self, since: float, timeout: float = 300) -> float | None:
        """Seconds from `since` until serve said the downloads are current again (None: this serve never
        says so: no line about the downloads within 3 s)."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            lines = [(t, line) for t, line in self.lines if t > since]
            for t, line in lines:
                if "下载文件已是最新" in line:
                    return t - since
            if not any("下载文件" in line for _, line in lines) and time.perf_counter() - start > 3:
                return None
            time.sleep(0.05)
        return None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def pick_report(content: Path) -> Path:
    reports = sorted(content.rglob("2023.md"))
    return reports[len(reports) // 2]


def replace(path: Path, old: str, new: str) -> float:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return time.perf_counter()


def chromium_edit(server: Serve, url: str, report: Path, marker: str) -> float:
    """Seconds from the save until the page open in Chromium (reloaded by its script) shows the change."""
    from browser import Tab
    with tempfile.TemporaryDirectory() as profile:
        tab = Tab(url, Path(profile), 1280, 900)
        try:
            tab.wait_for("document.readyState === 'complete' && document.title.length > 0")
            time.sleep(1.5)  # the page is settled: its script has asked for the version
            saved = replace(report, "## 五、", f"## 五、\n\n{marker}\n\n")
            while not tab.evaluate(f"document.body && document.body.innerText.includes({marker!r})"):
                if time.perf_counter() - saved > LIMIT:
                    sys.exit("Chromium never showed the change")
                time.sleep(0.01)
            return time.perf_counter() - saved
        finally:
            tab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--content", type=Path, help="a content folder (default: the benchmark's synthetic archive)")
    parser.add_argument("--edits", type=int, default=3, help="edits of each kind")
    parser.add_argument("--chromium", action="store_true", help="also time one edit in headless Chromium")
    parser.add_argument("--settle", type=float, default=2, help="seconds to wait before each edit")
    opts = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still restores the report
    if opts.content:
        content = opts.content.resolve()
    else:
        from bench import archive
        content = archive(opts.reports) / "content"
    report = pick_report(content)
    original = report.read_text(encoding="utf-8")
    relative = report.relative_to(content)
    page = "/" + "".join(f"{p}/" for p in relative.parent.parts) + f"{relative.stem}/"
    body = "/" + "".join(f"{p}/" for p in relative.parent.parts)
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Serve(content, port, work / "cache")
    rows, run = [], f"{time.time_ns() % 10**6:06d}"
    try:
        first = server.first_build()
        print(f"first build (until serve gives its address)  {first:8.2f} s", file=sys.stderr)
        for kind in ("narrative", "title"):
            for n in range(opts.edits):
                time.sleep(opts.settle)  # (serve of before issue 19 set its watcher up after its address)
                marker = f"基准标记{kind[0]}{n}号{run}"  # never in the archive before (a run cut short leaves none)
                if kind == "narrative":
                    saved = replace(report, "## 五、", f"## 五、\n\n本年度新增一段说明（{marker}）。\n\n")
                    shown = wait_until_shown([base + page], marker, saved)
                else:
                    saved = replace(report, "title: ", f"title: （{marker}）")
                    shown = wait_until_shown([base + page, base + body], marker, saved)
                downloads = server.downloads_current(saved)
                rows.append((kind, shown, downloads))
                where = "report page" + (", body page" if kind == "title" else "")
                print(f"{kind} edit {n + 1}: shown on the {where} after "
                      f"{', '.join(f'{s:.2f}' for s in shown)} s"
                      + (f"; downloads current after {downloads:.2f} s" if downloads is not None else ""),
                      file=sys.stderr)
        browser = None
        if opts.chromium:
            browser = chromium_edit(server, base + page, report, f"浏览器基准标记{run}")
            print(f"narrative edit in Chromium: shown after {browser:.2f} s", file=sys.stderr)
    except SystemExit:
        print("\n".join(line for _, line in server.lines[-20:]), file=sys.stderr)
        raise
    finally:
        report.write_text(original, encoding="utf-8")
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    files = sum(1 for _ in content.rglob("*.md"))
    print(f"\n{files:,} reports; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}\n")
    print("| step | median | runs |\n|---|---:|---|")
    print(f"| first build | {first:.2f} s | 1 |")
    for kind, label in (("narrative", "narrative edit shown (report page)"), ("title", "title edit shown (report "
                                                                                      "and body page)")):
        times = [max(shown) for k, shown, _ in rows if k == kind]
        print(f"| {label} | {statistics.median(times):.2f} s | {', '.join(f'{t:.2f}' for t in times)} |")
        later = [d for k, _, d in rows if k == kind and d is not None]
        if later:
            print(f"| … downloads current again ({kind}) | {statistics.median(later):.2f} s | "
                  f"{', '.join(f'{t:.2f}' for t in later)} |")
    if opts.chromium:
        print(f"| narrative edit shown in Chromium (page reloads itself) | {browser:.2f} s | 1 |")


if __name__ == "__main__":
    main()
