"""The search page from the keyboard, in headless Chromium on the frozen real reports: the filters fold
into one control, so few tab stops lie before the first result (15 before), and nothing is lost: the
control shows every filter group, a chosen filter narrows the results, and a shared URL with a filter
shows its panel without being asked."""
import pytest

from a11y import tab_stops_before_first_result
from browser import Site
from conftest import SEED_CONTENT
from generator.build import build

pytestmark = pytest.mark.browser

SHOWN = "(s => s && getComputedStyle(s).display !== 'none')(document.querySelector('.search-filters'))"
RESULTS = "document.querySelectorAll('.search-result').length"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("keyboard") / "site"
    assert not build(SEED_CONTENT, out).errors
    served = Site(out)
    yield served
    served.stop()


def test_few_tab_stops_before_the_first_result(site, browser):
    # skip link, four site links, sort, the filters' control, the search box
    assert tab_stops_before_first_result(browser, site.url + "/search/?q=政务公开") == 8


def test_the_filters_control_shows_every_group_and_a_filter_still_narrows(site, browser):
    browser.goto(site.url + "/search/?q=政务公开")
    browser.wait_for("document.querySelectorAll('.search-filter').length > 0")
    assert not browser.evaluate(SHOWN)
    everything = browser.evaluate(RESULTS)
    browser.evaluate("document.querySelector('label[for=filters-shown]').click()")
    assert browser.evaluate(SHOWN) and browser.evaluate("document.getElementById('filters-shown').checked")
    groups = browser.evaluate("[...document.querySelectorAll('.search-filter summary')].map(s => s.textContent)")
    assert groups[:2] == ["年度", "省份"] and len(groups) >= 4
    browser.evaluate("document.querySelectorAll('.search-filter').forEach(d => d.open = true)")
    browser.evaluate("[...document.querySelectorAll('.search-filter-value')].find(l => l.textContent.includes('2025'))"
                     ".querySelector('input').click()")
    browser.wait_for(f"{RESULTS} < {everything}")
    assert "2025" in browser.evaluate("location.search") or "%E5%B9%B4%E5%BA%A6=2025" in browser.evaluate(
        "location.search")


def test_a_shared_url_with_a_filter_shows_its_panel(site, browser):
    browser.goto(site.url + "/search/?q=政务公开&年度=2025")
    browser.wait_for("document.querySelectorAll('.search-filter input:checked').length > 0")
    assert browser.evaluate(SHOWN) and not browser.evaluate("document.getElementById('filters-shown').checked")
