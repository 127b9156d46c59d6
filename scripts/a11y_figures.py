"""Print the figures issue 17 asks about for a built site, measured in headless Chromium:
axe-core violations per page kind at 375 and 1280 px, the title column's width in report lists at
375 px, the search page's cumulative layout shift, and the tab stops before the first search result.

    .venv/bin/python scripts/a11y_figures.py --site site
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from a11y import (PAGE_KINDS, WIDTHS, Browser, axe_violations, search_layout_shift, serious,  # noqa: E402
                  tab_stops_before_first_result, title_column_widths)
from browser import Site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    site = Site(args.site)
    try:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
            for width in WIDTHS:
                browser = Browser(Path(scratch) / f"profile-{width}", width)
                try:
                    figures(site.url, browser)
                finally:
                    browser.close()
    finally:
        site.stop()


def figures(base: str, browser: Browser) -> None:
    width = browser.width
    for kind, path in PAGE_KINDS.items():
        if not _exists(base, path):
            print(f"{width} px  {kind:12} (no such page)")
            continue
        browser.goto(base + path)
        found = axe_violations(browser)
        bad = serious(found)
        listing = ", ".join(f"{v['id']} ({v['impact']}, {v['nodes']})" for v in found) or "none"
        print(f"{width} px  {kind:12} serious/critical: {len(bad)}  all: {len(found)}  [{listing}]")
        if kind in ("year", "home", "body"):
            widths = title_column_widths(browser)
            if widths:
                print(f"{width} px  {kind:12} title column width: {min(widths)}–{max(widths)} px")
    search = base + PAGE_KINDS["search"]
    print(f"{width} px  search CLS: {search_layout_shift(browser, search)}")
    print(f"{width} px  tab stops before the first search result: {tab_stops_before_first_result(browser, search)}")


def _exists(base: str, path: str) -> bool:
    import urllib.error
    import urllib.request
    try:
        urllib.request.urlopen(base + path.split("?")[0]).close()
        return True
    except urllib.error.HTTPError:
        return False


if __name__ == "__main__":
    main()
