"""A moved folder's old URL in Chromium: the redirect page keeps the row anchor a citation points to."""
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
        tab.wait_for("location.pathname === '/heilongjiang/jixi/hulin/baodong/2024/'"
                     " && document.readyState === 'complete'")
        assert tab.evaluate("location.hash") == "#applications-new"
        assert tab.evaluate("!!document.getElementById('applications-new')")
    finally:
        tab.close()
        served.stop()
