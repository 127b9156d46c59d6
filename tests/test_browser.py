"""Real Chromium against the built site served on 127.0.0.1: nothing scrolls sideways on a phone.

A harness page on the same origin loads each page in iframes of phone and desktop width and writes
what the browser measured into its own DOM, which `chromium --dump-dom` prints. Screenshots of a
report page at both widths are kept in tests/artifacts/ for a person to look at.
"""
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading

import pytest

from conftest import ROOT, SEED_CONTENT
from generator.build import build

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync"]
PAGES = ["/heilongjiang/shuangyashan/baoqing/xiaochengzi/2025/", "/heilongjiang/shuangyashan/baoqing/xiaochengzi/2020/",
         "/heilongjiang/shuangyashan/baoqing/xiaochengzi/", "/heilongjiang/", "/years/2025/", "/",
         "/search/?q=小城子镇", "/data/", "/quality/"]
WIDTHS = [375, 1280]

HARNESS = """<!doctype html><meta charset="utf-8"><body><pre id="out"></pre><script>
const pages = %s, widths = %s, results = [];
let pending = pages.length * widths.length;
for (const p of pages) for (const w of widths) {
  const f = document.createElement('iframe');
  f.style.width = w + 'px'; f.style.height = '800px'; f.style.border = '0';
  f.onload = () => {
    const d = f.contentDocument.documentElement;
    results.push({page: p, width: w, scroll: d.scrollWidth, client: d.clientWidth,
                  lang: d.lang, css: getComputedStyle(f.contentDocument.body).marginTop});
    if (--pending === 0) document.getElementById('out').textContent = JSON.stringify(results);
  };
  f.src = p; document.body.appendChild(f);
}
</script>"""


STICKY_HARNESS = """<!doctype html><meta charset="utf-8"><body><pre id="out"></pre><script>
const f = document.createElement('iframe');
f.style.width = '375px'; f.style.height = '9000px'; f.style.border = '0';
f.onload = () => {
  const doc = f.contentDocument, out = {scrolled: 0, labels: 0, hidden: []};
  for (const box of doc.querySelectorAll('.table-scroll')) {
    if (box.scrollWidth <= box.clientWidth) continue;
    box.scrollLeft = box.scrollWidth;
    if (box.scrollLeft > 0) out.scrolled++;
    for (const th of box.querySelectorAll('tbody th.label')) {
      const r = th.getBoundingClientRect();
      const hit = doc.elementFromPoint(r.left + 3, r.top + r.height / 2);
      out.labels++;
      if (!th.contains(hit)) out.hidden.push(th.textContent);
    }
  }
  document.getElementById('out').textContent = JSON.stringify(out);
};
f.src = %s; document.body.appendChild(f);
</script>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert CHROMIUM, "Debian's chromium is needed (.ci/run installs it)"
    out = tmp_path_factory.mktemp("browser") / "site"
    assert not build(SEED_CONTENT, out).errors
    (out / "harness.html").write_text(HARNESS % (json.dumps(PAGES), json.dumps(WIDTHS)), encoding="utf-8")
    (out / "sticky.html").write_text(STICKY_HARNESS % json.dumps(PAGES[0]), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def chromium(*args, tmp_path):
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def measured(server, harness, tmp_path):
    """What a harness page wrote into its <pre id="out"> once Chromium had run it."""
    run = chromium("--virtual-time-budget=15000", "--dump-dom", f"{server}/{harness}", tmp_path=tmp_path)
    found = re.search(r'<pre id="out">(.*?)</pre>', run.stdout, re.S)
    return json.loads(found.group(1))


def test_no_page_is_wider_than_a_phone_or_desktop_viewport(server, tmp_path):
    results = measured(server, "harness.html", tmp_path)
    assert len(results) == len(PAGES) * len(WIDTHS)
    for r in results:
        assert r["lang"] == "zh-CN"
        assert r["css"] == "0px", "the stylesheet from /assets/ was not applied"
        assert r["scroll"] <= r["client"], f"{r['page']} scrolls sideways at {r['width']}px: {r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_of_a_report_page(server, tmp_path, width):
    shots = ROOT / "tests" / "artifacts"
    shots.mkdir(exist_ok=True)
    target = shots / f"report-{width}.png"
    target.unlink(missing_ok=True)
    chromium(f"--window-size={width},2400", f"--screenshot={target}", f"{server}{PAGES[0]}", tmp_path=tmp_path)
    assert target.stat().st_size > 20_000  # a rendered page, not a blank image


def test_row_labels_stay_in_view_while_a_wide_table_scrolls_on_a_phone(server, tmp_path):
    """Scrolled fully right, every row label of every wide table is still the topmost element."""
    found = measured(server, "sticky.html", tmp_path)
    assert found["scrolled"] >= 2 and found["labels"] >= 20, found
    assert found["hidden"] == [], f"labels scrolled out of view or covered: {found['hidden']}"
