"""What a reader with a phone, a keyboard or a screen reader meets, measured in the real Chromium.

Shared by tests/test_a11y.py and scripts/a11y_figures.py: axe-core (vendored in tests/vendor/, never
served by the site) run on a page, the width of a report list's title column, the layout shift of the
search page while results arrive, and the tab stops a keyboard user passes before the first result.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from browser import Tab

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
REPORT = "/heilongjiang/shuangyashan/baoqing/xiaochengzi/2025/"
# One page of each kind, on the real content/.
PAGE_KINDS = {
    "report": REPORT,
    "report-2019": "/heilongjiang/shuangyashan/baoqing/xiaochengzi/2020/",
    "body": "/heilongjiang/shuangyashan/baoqing/xiaochengzi/",
    "region": "/heilongjiang/",
    "year": "/years/2025/",
    "home": "/",
    "data": "/data/",
    "search": "/search/?q=小城子镇",
    "glossary": "/terms/",
    "stats": "/stats/",
    "compare": "/heilongjiang/shuangyashan/baoqing/xiaochengzi/2025/compare/",
    "404": "/404.html",
}
WIDTHS = (375, 1280)
RESULTS_SHOWN = "document.querySelectorAll('.search-result').length > 0"
SERIOUS = ("serious", "critical")


class Browser(Tab):
    """One Chromium tab at one viewport width, sent from page to page."""

    def __init__(self, profile: Path, width: int, height: int = 800):
        super().__init__("about:blank", profile, width, height)
        self.width = width
        self._send("Page.enable")  # scripts added for new documents run only with the domain enabled

    def goto(self, url: str) -> None:
        self.evaluate("window.__left = true")  # gone once the new page has replaced this one
        self._send("Page.navigate", url=url)
        self.wait_for("!window.__left && document.readyState === 'complete'")
        if "/search/" in url:
            self.wait_for(RESULTS_SHOWN)

    def run_async(self, expression: str):
        """Evaluate an expression that yields a promise; its resolved value."""
        reply = self._send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    def press_tab(self) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self._send("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)


def axe_violations(browser: Browser) -> list[dict]:
    """axe-core's violations on the open page: rule id, impact, help and the first few targets."""
    if not browser.evaluate("typeof axe !== 'undefined'"):
        browser.evaluate(AXE.read_text(encoding="utf-8"))
    found = browser.run_async("axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify("
                              "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
                              "nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))")
    return json.loads(found)


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in SERIOUS]


def title_column_widths(browser: Browser) -> list[float]:
    """Widths (px) of the title cells of the page's report lists."""
    return browser.evaluate("[...document.querySelectorAll('table.reports tbody th, table.figures tbody th a')]"
                            ".map(e => Math.round((e.closest('th') || e).getBoundingClientRect().width))")


# Installed before the search page's own scripts run, so every shift from the first paint is counted.
CLS_OBSERVER = """window.__shifts = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
})
  .observe({type: 'layout-shift', buffered: true});"""


def search_layout_shift(browser: Browser, url: str, settle: float = 1.5) -> float:
    """Cumulative layout shift of the search page from load until its results have settled."""
    script = browser._send("Page.addScriptToEvaluateOnNewDocument", source=CLS_OBSERVER)["identifier"]
    try:
        browser.goto(url)
        time.sleep(settle)
        return round(browser.evaluate("window.__shifts"), 4)
    finally:
        browser._send("Page.removeScriptToEvaluateOnNewDocument", identifier=script)


def tab_stops_before_first_result(browser: Browser, url: str, limit: int = 80) -> int | None:
    """Tab presses from the top of the search page until the focus is on the first result's link."""
    browser.goto(url)
    browser.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for presses in range(1, limit + 1):
        browser.press_tab()
        if browser.evaluate("!!document.activeElement.closest('.search-result')"):
            return presses - 1
    return None
