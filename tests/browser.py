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


class Tab:
    """Chromium driven over --remote-debugging-pipe (the DevTools protocol, JSON messages ending in NUL),
    for what a harness page cannot do itself, such as a screenshot once a search has shown results."""

    def __init__(self, url: str, profile: Path, width: int, height: int):
        import os
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
               f"--window-size={width},{height}", "about:blank"]
        # Chromium reads commands on fd 3 and writes replies on fd 4
        self.browser = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(3, 4),
                                        preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer, self._id = b"", 0
        self.dialogs: list[str] = []  # messages of alert/confirm/prompt dialogs the page opened (each dismissed)
        self.events: list[dict] = []  # every other event the browser sent (only those of enabled domains come)
        page = next(t for t in self._send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self._session = self._send("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        # headless windows have a minimum width, so a phone's viewport is emulated
        self._send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                   mobile=width < 600)
        self._send("Page.enable")  # to hear of dialogs (Page.javascriptDialogOpening)
        self._send("Page.navigate", url=url)

    def _send(self, method: str, **params) -> dict:
        import os
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if method != "Target.getTargets" and method != "Target.attachToTarget":
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                self._buffer += os.read(self._from_browser, 1 << 16)
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("method") == "Page.javascriptDialogOpening":  # a dialog blocks the page: note and close it
                self.dialogs.append(reply["params"]["message"])
                dismiss = {"id": -len(self.dialogs), "method": "Page.handleJavaScriptDialog",
                           "params": {"accept": False}, "sessionId": self._session}
                os.write(self._to_browser, json.dumps(dismiss).encode() + b"\0")
            elif "method" in reply:
                self.events.append(reply)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply["result"]

    def evaluate(self, expression: str):
        return self._send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> None:
        import time
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            assert time.monotonic() < deadline, f"timed out waiting for {expression}"
            time.sleep(0.1)

    def screenshot(self, target: Path) -> None:
        import base64
        target.write_bytes(base64.b64decode(self._send("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        self.browser.kill()
        self.browser.wait()
