"""The search page shows names, titles and text as text: markup in a region's or body's name, a title or
the narrative never runs as script (a dialog opening in headless Chromium is the failure)."""
import shutil
import time

import pytest

from browser import Site, Tab
from conftest import FIXTURES
from generator.build import build

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

PAYLOADS = {  # where -> a value that runs alert() if it reaches the page as HTML
    "region": "<img src=x onerror=alert('region')>省",
    "body": "\"><svg onload=alert('body')>镇",
    "title": "<svg onload=alert('title')>甲镇 2022 年报告",
    "narrative": "<img src=x onerror=alert('narrative')>正文里的标记",
}


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    work = tmp_path_factory.mktemp("escaping")
    content = work / "content"
    shutil.copytree(FIXTURES / "valid" / "content", content)
    province, town = content / "sample-province", content / "sample-province" / "sample-city" / "jia-town"
    for folder, key in ((province, "region"), (town, "body")):
        index = folder / "_index.yaml"
        lines = index.read_text(encoding="utf-8").splitlines()
        index.write_text("\n".join([f"name: {_quoted(PAYLOADS[key])}", *lines[1:]]) + "\n", encoding="utf-8")
    report = town / "2022.md"
    text = report.read_text(encoding="utf-8")
    text = text.replace("title: 甲镇 2022 年政府信息公开工作年度报告", f"title: {_quoted(PAYLOADS['title'])}", 1)
    report.write_text(text.rstrip() + "\n\n" + PAYLOADS["narrative"] + "\n", encoding="utf-8")
    assert PAYLOADS["title"] in report.read_text(encoding="utf-8")
    assert not build(content, work / "site").errors
    site = Site(work / "site")
    yield site, work
    site.stop()


@pytest.mark.parametrize("query", ["alert", "镇", "正文里的标记", "报告"])
def test_markup_in_names_titles_and_text_is_shown_not_run(hostile_site, query):
    site, work = hostile_site
    tab = Tab(f"{site.url}/search/?q={query}", work / f"profile-{len(query)}-{ord(query[0])}", 1280, 1400)
    try:
        tab.wait_for("document.querySelectorAll('.search-result-link').length >= 1")
        tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the filters, shown
        time.sleep(1.5)  # results' excerpts and the filters fill in after the first results
        shown = tab.evaluate("document.body.innerText")
        assert tab.dialogs == [], f"script ran from indexed values: {tab.dialogs}"
        assert not tab.evaluate("document.querySelector('#search img, #search svg')")
        if query == "alert":  # shown as the text it is
            assert all(PAYLOADS[k] in shown for k in ("region", "body", "title")), shown[:2000]
            assert "onerror=alert('narrative')" in shown
    finally:
        tab.close()
