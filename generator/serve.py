"""`nianbao serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The archive stays in memory between rebuilds (live.py): a saved report redoes only its body and the
pages that list it, and the downloads and search index follow in the background (the terminal says
when they are current again). Anything else (a new file, an _index.yaml) rebuilds with the cache.

The served pages (never a `make site` build) carry the version they were served at and a tiny
script that asks the server to answer as soon as the version differs (a long poll), then reloads
the page: a rebuild that finished before the script first asked reloads the page too. When a
rebuild finds errors, the last good site stays served, with the errors in a banner above each page
that says so, and printed in the terminal; nothing a content file holds can stop the server.
"""
from __future__ import annotations

import html
import json
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

import watchfiles

from . import diagnostics as dg
from .live import LiveBuild, NeedsFull

VERSION_PATH = "/__nianbao__/version"
WAIT = 25  # seconds a long poll waits for a new version before answering with the same one
# The page's own version is written into it when served: the first answer that differs reloads it.
RELOAD_SCRIPT = """<script>(function(){var v=%d;function ask(){fetch("%s?since="+v,{cache:"no-store"})
.then(function(r){return r.json()}).then(function(d){if(d.version!==v)location.reload();else ask()})
.catch(function(){setTimeout(ask,1000)})}ask()})();</script>"""
# In the page's flow, above it (not over it): the page below it stays readable, its title included.
BANNER_STYLE = ("margin:0;padding:1em;background:#fff0f0;color:#900;border-bottom:3px solid #c00;"
                "font:14px/1.5 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto")


class LiveSite:
    """The temporary site, its in-memory build, its version and the errors of the last rebuild. The
    version counts what a served page can show: new pages, or a change in the errors shown."""

    def __init__(self, content: Path, log=print):
        self.content = Path(content)
        self.root = Path(tempfile.mkdtemp(prefix="nianbao-serve-"))
        self.out = self.root / "site"
        self.version, self.errors, self.built, self.log = 0, [], False, log
        self.lock = threading.Lock()  # pages are read, and files move into the site, under it
        self.changed = threading.Condition(self.lock)
        try:
            self.live = LiveBuild(self.content, self.out, self.root / "cache", guard=self.lock)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.live.on_publish = self._published

    def _published(self) -> None:
        """Under the lock, as the new files are in place: served pages from now on carry the new version."""
        self.version, self.errors, self.built = self.version + 1, [], True
        self.changed.notify_all()

    def rebuild(self, paths: set[str] | None = None) -> None:
        """`paths`: the files that changed (None: build everything, with the cache)."""
        start, before = time.perf_counter(), self.live.generation
        full = paths is None
        try:
            try:
                archive = self.live.full() if full else self.live.update(paths)
            except NeedsFull:
                full = True
                archive = self.live.full()
            errors = [dg.format_text(d) for d in archive.errors]
        except Exception as exc:  # a build must never stop the server: show what went wrong
            errors = [f"nianbao: 生成失败：{type(exc).__name__}: {exc}"]
        with self.lock:
            if errors != self.errors:
                self.errors, self.version = errors, self.version + 1
                self.changed.notify_all()
            published, version = self.live.generation != before and not errors, self.version
        for line in errors:
            self.log(line)
        took = f"用时 {time.perf_counter() - start:.2f} 秒"
        if errors:
            self.log(f"nianbao: 发现 {len(errors)} 个错误，网站未更新，页面仍为上次成功生成的版本（{took}）")
        elif published and not self.live.current:
            self.log(f"nianbao: 页面已更新（第 {version} 版，{took}）；下载文件和搜索索引正在后台更新")
        elif published or full:
            self.log(f"nianbao: 已重新生成（第 {version} 版，{took}）")

    def refresh_downloads(self, interrupted) -> None:
        """Bring the downloads up to date with the served pages (in the background thread)."""
        try:
            if self.live.downloads(interrupted):
                self.log(f"nianbao: 下载文件已是最新（第 {self.version} 版）")
        except Exception as exc:
            if not interrupted():
                self.log(f"nianbao: 下载文件更新失败（将在下次修改后重试）：{type(exc).__name__}: {exc}")

    def state(self) -> dict:
        with self.lock:
            return self._state()

    def _state(self) -> dict:
        return {"version": self.version, "errors": list(self.errors),
                "downloads": "最新" if self.live.current else "正在更新"}

    def wait(self, since: int, timeout: float = WAIT) -> dict:
        """The state once its version differs from `since` (or after `timeout` seconds)."""
        with self.lock:
            self.changed.wait_for(lambda: self.version != since, timeout)
            return self._state()

    def page(self, file: Path) -> tuple[int, str, dict]:
        """The page and the state it is served at, read together (no new files move in between)."""
        with self.lock:
            state = self._state()
            state["built"] = self.built
            if file.is_file():
                return 200, file.read_text(encoding="utf-8"), state
            if (self.out / "404.html").is_file():
                return 404, (self.out / "404.html").read_text(encoding="utf-8"), state
        return 503, '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body></body></html>', state

    def close(self) -> None:
        try:
            self.live.close()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def banner(errors: list[str], built: bool = True) -> str:
    items = "\n".join(html.escape(e) for e in errors)
    if built:
        head = (f"本次保存后检查发现 {len(errors)} 个错误，网站没有更新。下面显示的是上次成功生成的版本："
                "其中的内容和核验结果（如“核验通过”）都是修改之前的，不反映本次修改。请按以下提示改正后保存：")
    else:
        head = f"检查发现 {len(errors)} 个错误，网站尚未生成（还没有成功生成过的版本）。请按以下提示改正后保存："
    return f'<pre id="nianbao-errors" role="alert" style="{BANNER_STYLE}">{head}\n{items}</pre>'


def inject(page: str, state: dict) -> str:
    """The banner first in the body (above the page, in its flow), the reload script last."""
    if state["errors"]:
        start = page.find("<body")
        at = page.find(">", start) + 1 if start >= 0 else 0
        page = page[:at] + banner(state["errors"], state.get("built", True)) + page[at:]
    script = RELOAD_SCRIPT % (state["version"], VERSION_PATH)
    at = page.rfind("</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def malformed(path: str) -> bool:
    """A request path that names no file of the site: bad percent-encoding (not UTF-8), control
    characters (NUL included) once decoded, or no leading slash."""
    try:
        decoded = unquote(path.split("?", 1)[0].split("#", 1)[0], errors="strict")
    except UnicodeDecodeError:
        return True
    return not decoded.startswith("/") or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in decoded)


class _Handler(SimpleHTTPRequestHandler):
    site: LiveSite

    def do_HEAD(self):
        if malformed(self.path):
            return self._send(400, "text/plain; charset=utf-8", "400 请求路径无效\n")
        return super().do_HEAD()

    def do_GET(self):
        if malformed(self.path):
            return self._send(400, "text/plain; charset=utf-8", "400 请求路径无效\n")
        path, _, query = self.path.partition("?")
        if path == VERSION_PATH:
            since = parse_qs(query).get("since", [""])[0]
            state = self.site.wait(int(since)) if since.lstrip("-").isdigit() else self.site.state()
            return self._send(200, "application/json", json.dumps(state, ensure_ascii=False))
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" or not self.site.out.exists():
            return self._page(file)
        return super().do_GET()

    def _page(self, file: Path):
        code, page, state = self.site.page(file)  # 503: no good build yet, a page that shows the errors
        self._send(code, "text/html; charset=utf-8", inject(page, state))

    def _send(self, code: int, kind: str, text: str):
        body = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # keep the terminal for rebuilds and errors
        pass


class _HTTPServer(ThreadingHTTPServer):
    log = print

    def handle_error(self, request, client_address):
        """One line in the terminal, never a traceback (a browser that hung up, a request cut short)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            self.log(f"nianbao: 请求处理失败：{type(exc).__name__}: {exc}")


class Server:
    """The live site, its HTTP server, its watcher, the thread that rebuilds on each change and the
    one that brings the downloads up to date after it; `start` returns once the first build is done."""

    def __init__(self, content: Path, port: int = 8000, log=print):
        self.site = LiveSite(content, log)
        handler = type("Handler", (_Handler,), {"site": self.site})
        try:
            self.httpd = _HTTPServer(("127.0.0.1", port), partial(handler, directory=str(self.site.out)))
        except OSError:
            self.site.close()  # no temporary folder left behind
            raise
        self.httpd.log = log
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.changes: queue.Queue[set[str]] = queue.Queue()  # from the watcher to the rebuilding thread
        self.stale = threading.Event()  # set after each rebuild: the downloads may be behind

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> None:
        self._thread(self._watch)  # before the first build: a file saved while it runs is rebuilt after it
        self.site.rebuild()
        for target in (self.httpd.serve_forever, self._rebuild, self._downloads):
            self._thread(target)

    def _thread(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _watch(self) -> None:
        for changes in watchfiles.watch(self.site.content, stop_event=self.stop_event, debounce=200, step=50):
            self.changes.put({path for _, path in changes})

    def _rebuild(self) -> None:
        """Each batch of changes (those that came during a rebuild together) is one rebuild."""
        while not self.stop_event.is_set():
            try:
                paths = self.changes.get(timeout=0.2)
            except queue.Empty:
                continue
            while not self.changes.empty():
                paths |= self.changes.get_nowait()
            self.site.rebuild(paths)
            self.stale.set()

    def _downloads(self) -> None:
        """After each rebuild, the downloads; given up (and started again) when a change comes meanwhile."""
        while not self.stop_event.is_set():
            if self.stale.wait(timeout=0.2):
                self.stale.clear()
                self.site.refresh_downloads(lambda: self.stop_event.is_set() or not self.changes.empty())

    def stop(self) -> None:
        self.stop_event.set()
        with self.site.lock:  # long polls answer now
            self.site.changed.notify_all()
        if len(self.threads) > 1:  # (shutdown waits for serve_forever, which a stop during the first build never ran)
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.site.close()


class _Stop(BaseException):
    """SIGTERM: stop like Ctrl+C (SIGINT) does, removing the temporary folder."""


def _terminate(signum, frame):
    raise _Stop()


def serve(content: Path, port: int) -> int:
    try:
        server = Server(content, port, log=lambda line: print(line, file=sys.stderr, flush=True))
    except OSError as exc:
        print(f"nianbao: 无法在 127.0.0.1:{port} 上启动服务（{exc.strerror}），请用 --port 换一个端口", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        server.start()
        print(f"nianbao: 预览地址 {server.url}（修改 {content} 中的文件后自动重新生成；按 Ctrl+C 退出）",
              file=sys.stderr)
        threading.Event().wait()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    print("nianbao: 已停止，临时文件已删除", file=sys.stderr)
    return 0
