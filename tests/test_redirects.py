"""A moved folder's old URL in Chromium: the redirect page keeps the row anchor a citation points to."""
import time

import pytest

from a11y import Browser
from browser import Site
from test_divisions import build_moved

pytestmark = pytest.mark.browser


def test_an_old_url_with_a_row_anchor_lands_on_the_new_page_at_that_row(tmp_path):
    served = Site(build_moved(tmp_path))
    tab = Browser(tmp_path / "profile", 1280)
    try:
        tab._send("Page.navigate", url=f"{served.url}/hulin/baodong/2024/#applications-new")
        assert _lands(tab, "/heilongjiang/jixi/hulin/baodong/2024/")
        assert tab.evaluate("location.hash") == "#applications-new"
        assert tab.evaluate("!!document.getElementById('applications-new')")
    finally:
        tab.close()
        served.stop()


def _lands(tab, path: str, timeout: float = 30) -> bool:
    """Wait for the page at `path`; a question asked while the redirect navigates is asked again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if tab.evaluate(f"location.pathname === '{path}' && document.readyState === 'complete'"):
                return True
        except AssertionError:  # "Inspected target navigated or closed": the redirect is under way
            pass
        time.sleep(0.1)
    return False
