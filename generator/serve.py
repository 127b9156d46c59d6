"""`nianbao serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The served pages (never a `make site` build) get a tiny script that polls a version endpoint and
reloads the page after each rebuild. When a rebuild finds errors, the last good site stays
served with the errors shown in a banner on every page, and printed in the terminal; nothing a
content file holds can stop the server.
"""
from __future__ import annotations

import html
import json
import shutil
import signal
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import watchfiles

from . import diagnostics as dg
from .build import build

VERSION_PATH = "/__nianbao__/version"
RELOAD_SCRIPT = f"""<script>(function(){{var v=null;setInterval(function(){{fetch("{VERSION_PATH}")
.then(function(r){{return r.json()}}).then(function(d){{if(v!==null&&d.version!==v)location.reload();v=d.version}})
.catch(function(){{}})}},1000)}})();</script>"""
BANNER_STYLE = ("position:fixed;top:0;left:0;right:0;z-index:9999;max-height:50vh;overflow:auto;margin:0;"
                "padding:1em;background:#fff0f0;color:#900;border-bottom:3px solid #c00;font:14px/1.5 monospace;"
                "white-space:pre-wrap")


class LiveSite:
    """The temporary site, its version and the errors of the last rebuild."""

    def __init__(self, content: Path, log=print):
        self.content = Path(content)
        self.root = Path(tempfile.mkdtemp(prefix="nianbao-serve-"))
        self.out = self.root / "site"
        self.version, self.errors, self.log = 0, [], log
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        try:
            archive = build(self.content, self.out, cache_dir=self.root / "cache")  # rebuilds only what changed
            errors = [dg.format_text(d) for d in archive.errors]
        except Exception as exc:  # a build must never stop the server: show what went wrong
            errors = [f"nianbao: 生成失败：{type(exc).__name__}: {exc}"]
        with self.lock:
            self.errors, self.version = errors, self.version + 1
        for line in errors:
            self.log(line)
        self.log(f"nianbao: 发现 {len(errors)} 个错误，页面仍为上次成功生成的版本" if errors
                 else f"nianbao: 已重新生成（第 {self.version} 版）")

    def state(self) -> dict:
        with self.lock:
            return {"version": self.version, "errors": list(self.errors)}

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def banner(errors: list[str]) -> str:
    items = "\n".join(html.escape(e) for e in errors)
    return f'<pre id="nianbao-errors" role="alert" style="{BANNER_STYLE}">检查发现错误：\n{items}</pre>'


def inject(page: str, state: dict) -> str:
    extra = (banner(state["errors"]) if state["errors"] else "") + RELOAD_SCRIPT
    at = page.rfind("</body>")
    return page[:at] + extra + page[at:] if at >= 0 else page + extra


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
        path = self.path.split("?", 1)[0]
        if path == VERSION_PATH:
            return self._send(200, "application/json", json.dumps(self.site.state(), ensure_ascii=False))
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" or not self.site.out.exists():
            return self._page(file)
        return super().do_GET()

    def _page(self, file: Path):
        state = self.site.state()
        if file.is_file():
            code, page = 200, file.read_text(encoding="utf-8")
        elif (self.site.out / "404.html").is_file():
            code, page = 404, (self.site.out / "404.html").read_text(encoding="utf-8")
        else:  # no good build yet: a page that shows the errors
            code, page = 503, '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body></body></html>'
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
    """The live site, its HTTP server and its watcher; `start` returns once the first build is done."""

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

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> None:
        self.site.rebuild()
        for target in (self.httpd.serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def _watch(self) -> None:
        for _ in watchfiles.watch(self.site.content, stop_event=self.stop_event, debounce=200, step=50):
            self.site.rebuild()

    def stop(self) -> None:
        self.stop_event.set()
        if self.threads:  # (shutdown waits for serve_forever, which a stop during the first build never ran)
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
        print(f"nianbao: 预览地址 {server.url}（修改 {content} 中的文件后自动重新生成；按 Ctrl+C 退出）", file=sys.stderr)
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
