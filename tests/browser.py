"""Drive the real Chromium against a built site served on 127.0.0.1.

A harness page does its work in the browser and POSTs what it measured to /__result__; the test
waits for that POST (bounded) instead of guessing how long the page needs, then stops Chromium.
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()
        self.server.results.append(json.loads(body))
        self.server.arrived.set()


class Site:
    """`site` served on a free port until stop()."""

    def __init__(self, site: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(_Handler, directory=str(site)))
        self.httpd.results, self.httpd.arrived = [], threading.Event()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def run(self, path: str, profile: Path, timeout: float = 180) -> dict:
        """Open `path` in Chromium and return the JSON its page POSTs to /__result__."""
        assert CHROMIUM, "Debian's chromium is needed (.ci/run installs it)"
        self.httpd.arrived.clear()
        self.httpd.results.clear()
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", self.url + path]
        browser = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert self.httpd.arrived.wait(timeout), f"{path} posted no result within {timeout} s"
            return self.httpd.results[0]
        finally:
            browser.kill()
            browser.wait()

    def stop(self):
        self.httpd.shutdown()
