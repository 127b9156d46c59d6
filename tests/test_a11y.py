"""Phone and accessibility, in the real Chromium on the real content/ (with its search index):
axe-core finds no serious or critical violation on any page kind at 375 and 1280 px, nothing scrolls
sideways, report lists stay readable on a phone, the search page does not shift as results arrive,
an opened row anchor is marked with its column headers in view, citing links copy their URL,
printouts carry the page URL and date, and the skip link leads to the content.

Full-page screenshots of every page kind at both widths are left in tests/artifacts/ to look at.
"""
import base64
import json

import pytest

from a11y import (PAGE_KINDS, REPORT, axe_violations, search_layout_shift, serious,
                  title_column_widths)
from browser import Site
from conftest import ROOT
from generator.build import build

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

ARTIFACTS = ROOT / "tests" / "artifacts"
TARGET_ROW = "applications-unavailable_not_held"  # deep in table 三: below the fold on any screen


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y") / "site"
    assert not build(ROOT / "content", out).errors
    served = Site(out)
    yield served
    served.stop()


def test_no_serious_violation_and_no_sideways_scroll_on_any_page_kind(site, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    problems = {}
    for kind, path in PAGE_KINDS.items():
        browser.goto(site.url + path)
        found = serious(axe_violations(browser))
        if found:
            problems[kind] = found
        page = browser.evaluate("({scroll: document.documentElement.scrollWidth,"
                                " client: document.documentElement.clientWidth,"
                                " description: (document.querySelector('meta[name=description]') || {}).content || '',"
                                " icon: !!document.querySelector('link[rel=icon][href=\"/assets/favicon.svg\"]')})")
        assert page["scroll"] <= page["client"], f"{kind} scrolls sideways at {browser.width}px: {page}"
        assert len(page["description"]) >= 15 and page["icon"], (kind, page)
        shot = browser._send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        (ARTIFACTS / f"a11y-{kind}-{browser.width}.png").write_bytes(base64.b64decode(shot))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_favicon_is_served(site, browser):
    browser.goto(site.url + "/")
    status = browser.run_async("fetch('/assets/favicon.svg').then(r => r.status + ' ' + r.headers.get('content-type'))")
    assert status.startswith("200 image/svg")


def test_report_lists_keep_titles_readable_on_a_phone(site, browser):
    for kind in ("year", "home", "body"):
        browser.goto(site.url + PAGE_KINDS[kind])
        widths = title_column_widths(browser)
        assert widths and min(widths) >= 120, (kind, widths)  # was 49 px, one character a line
        tallest = browser.evaluate("Math.max(...[...document.querySelectorAll('table.reports tbody tr')]"
                                   ".map(r => r.getBoundingClientRect().height))")
        assert tallest <= 160, (kind, tallest)  # was about 300 px


def test_the_search_page_does_not_shift_as_results_arrive(site, browser):
    shift = search_layout_shift(browser, site.url + PAGE_KINDS["search"])
    assert shift < 0.1, shift  # Lighthouse's "good"; it was 0.46 at 1280 px


def test_an_opened_row_anchor_is_marked_with_its_column_headers_in_view(site, browser):
    browser.goto(f"{site.url}{REPORT}#{TARGET_ROW}")
    seen = browser.evaluate(f"""(() => {{
      const row = document.getElementById({json.dumps(TARGET_ROW)});
      const head = row.closest('table').querySelector('thead');
      const r = row.getBoundingClientRect(), h = head.getBoundingClientRect();
      const th = head.querySelector('th:last-child').getBoundingClientRect();
      const hit = document.elementFromPoint(th.left + th.width / 2, th.top + th.height / 2);
      return {{target: row.matches(':target'), mark: getComputedStyle(row.querySelector('td')).backgroundColor,
               rowTop: r.top, rowBottom: r.bottom, headTop: h.top, headBottom: h.bottom,
               headSeen: head.contains(hit), height: innerHeight}};
    }})()""")
    assert seen["target"] and seen["mark"] == "rgb(255, 241, 168)", seen
    assert 0 <= seen["rowTop"] and seen["rowBottom"] <= seen["height"], seen
    assert -1 <= seen["headTop"] and seen["headBottom"] <= seen["rowTop"] + 1 and seen["headSeen"], seen


def test_a_citing_link_copies_its_rows_url_and_still_leads_there(site, browser):
    browser.goto(site.url + REPORT)
    copied = browser.run_async(f"""new Promise(done => {{
      navigator.clipboard.writeText = text => {{ done(text); return Promise.resolve(); }};
      document.querySelector('#{TARGET_ROW} a.cite').click();
    }})""")
    assert copied == f"{site.url}{REPORT}#{TARGET_ROW}"
    browser.wait_for("!!document.querySelector('.cite-done')")
    assert browser.evaluate("location.hash") == f"#{TARGET_ROW}"
    table = browser.evaluate("document.querySelector('#t-applications a.cite').getAttribute('href')")
    assert table == "#t-applications"  # without JavaScript: a plain anchor link


def test_a_printout_carries_the_page_url_and_date(site, browser):
    browser.goto(site.url + REPORT)
    browser._send("Emulation.setEmulatedMedia", media="print")
    try:
        browser.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        shown = browser.evaluate("(e => ({display: getComputedStyle(e).display, text: e.textContent}))"
                                 "(document.querySelector('.print-source'))")
        nav = browser.evaluate("getComputedStyle(document.querySelector('.site-footer')).display")
    finally:
        browser._send("Emulation.setEmulatedMedia", media="")
    assert shown["display"] == "block" and nav == "none"
    assert f"{site.url}{REPORT}" in shown["text"] and "打印日期" in shown["text"]
    assert browser.evaluate("getComputedStyle(document.querySelector('.print-source')).display") == "none"


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_content(site, browser):
    browser.goto(site.url + REPORT)
    browser.press_tab()
    assert browser.evaluate("document.activeElement.className") == "skip-link"
    browser.evaluate("document.activeElement.click()")
    browser.wait_for("document.activeElement && document.activeElement.id === 'main'")


def test_a_statistics_table_sorts_by_a_header_button(site, browser):
    browser.goto(site.url + PAGE_KINDS["stats"])
    column = ("[...document.querySelectorAll('#stats-by-year thead th')]"
              ".findIndex(th => th.textContent.includes('新收'))")
    values = (f"[...document.querySelectorAll('#stats-by-year tbody tr')]"
              f".map(r => r.cells[{column}].dataset.sort || '')")
    state = f"document.querySelectorAll('#stats-by-year thead th')[{column}].getAttribute('aria-sort')"
    before = browser.evaluate(values)
    browser.evaluate(f"document.querySelectorAll('#stats-by-year thead th')[{column}].querySelector('button').click()")
    ascending = browser.evaluate(values)
    assert browser.evaluate(state) == "ascending"
    known = [float(v) for v in ascending if v]
    assert known == sorted(known) and ascending[len(known):] == [""] * (len(ascending) - len(known))
    browser.evaluate(f"document.querySelectorAll('#stats-by-year thead th')[{column}].querySelector('button').click()")
    assert browser.evaluate(state) == "descending"
    assert [float(v) for v in browser.evaluate(values) if v] == sorted(known, reverse=True)
    assert sorted(before) == sorted(ascending)
    assert browser.evaluate("document.querySelector('#stats-by-year tfoot th').textContent") == "全部年度"
