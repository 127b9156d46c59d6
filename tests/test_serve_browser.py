"""`nianbao serve` in the real Chromium: the page reloads after a rebuild even when the rebuild ends
before the page's script first asks for the version, and the error banner sits above the page
(not over its title) saying that the page below is the last good version."""
import time

import pytest

from browser import CHROMIUM, Tab
from test_serve import REPORT, WAIT, get, state, wait_for_version

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium")]
PAGE = "dazhai/2025/"
PASSED, PASSED_REPORT = "hongqi/xiaodian/2023/", "content/hongqi/xiaodian/2023.md"  # a report that passes every check


@pytest.fixture
def tab(tmp_path):
    tab = Tab("about:blank", tmp_path / "profile", 1024, 768)
    yield tab
    tab.close()


def edit(tmp_path, old, new, report=REPORT):
    path = tmp_path / report
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def wait_for_event(tab, method):
    deadline = time.monotonic() + WAIT
    while not any(e["method"] == method for e in tab.events):
        assert time.monotonic() < deadline, f"no {method} within {WAIT} s"
        tab.evaluate("1")  # reads what the browser sent meanwhile
        time.sleep(0.05)
    return next(e for e in tab.events if e["method"] == method)


def test_a_rebuild_that_ends_before_the_page_first_asks_still_reloads_it(server, tab, tmp_path):
    # the page's first question for the version is held until the rebuild is over: the race of a save
    # made right after the page loaded, made certain
    tab._send("Fetch.enable", patterns=[{"urlPattern": "*__nianbao__/version*"}])
    tab._send("Page.navigate", url=server.url + PAGE)
    held = wait_for_event(tab, "Fetch.requestPaused")
    assert "大寨镇（已修改）" not in tab.evaluate("document.body.innerText")
    before = state(server)["version"]
    edit(tmp_path, "title: 大寨镇 2025 年", "title: 大寨镇（已修改）2025 年")
    wait_for_version(server, before)
    tab._send("Fetch.disable")  # lets the held question go on, and every later one
    tab.wait_for("document.body && document.body.innerText.includes('大寨镇（已修改）')", timeout=WAIT)
    assert held["params"]["request"]["url"].endswith(f"since={before}")  # it asked with the version it was served at


def test_a_save_right_after_the_page_loaded_reloads_it(server, tab, tmp_path):
    tab._send("Page.navigate", url=server.url + PAGE)
    tab.wait_for("document.readyState === 'complete'")
    edit(tmp_path, "title: 大寨镇 2025 年", "title: 大寨镇（再改）2025 年")
    tab.wait_for("document.body && document.body.innerText.includes('大寨镇（再改）')", timeout=WAIT)


def test_the_error_banner_is_above_the_title_and_says_the_page_is_the_last_good_version(server, tab, tmp_path):
    tab._send("Page.navigate", url=server.url + PASSED)
    tab.wait_for("document.readyState === 'complete'")
    assert "核验通过" in tab.evaluate("document.body.innerText")
    before = state(server)["version"]
    edit(tmp_path, "title: ", "title: [", report=PASSED_REPORT)
    wait_for_version(server, before)
    tab.wait_for("!!document.getElementById('nianbao-errors')", timeout=WAIT)
    banner = tab.evaluate("document.getElementById('nianbao-errors').innerText")
    assert "错误[yaml/syntax]" in banner and "上次成功生成的版本" in banner and "修改之前" in banner
    placed = tab.evaluate("""(() => {
        const b = document.getElementById('nianbao-errors').getBoundingClientRect();
        const h = document.querySelector('h1').getBoundingClientRect();
        return {bannerBottom: b.bottom, titleTop: h.top, titleHeight: h.height,
                hit: document.elementFromPoint(h.left + 5, h.top + h.height / 2).closest('h1') !== null};
    })()""")
    assert placed["bannerBottom"] <= placed["titleTop"] and placed["titleHeight"] > 0, placed
    assert placed["hit"], placed  # nothing lies over the title
    assert "核验通过" in tab.evaluate("document.body.innerText")  # the last good page, as the banner says
    code, page = get(server.url + PASSED)
    assert code == 200 and page.index('id="nianbao-errors"') < page.index("<h1")
