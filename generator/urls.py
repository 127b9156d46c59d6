"""Every URL of the site, made in one place. URLs are root-relative and end in / for pages.
Absolute URLs (feed, sitemap, robots.txt) are these joined to the configured base URL.

Folder slugs are validated as ASCII slugs when read and years are integers, so no URL made
from content can climb out of the site.
"""
from __future__ import annotations

import re

from .model import Report

# Where the site is served from: pages link root-relatively, so a base URL is an origin, no path.
DEFAULT_BASE_URL = "http://localhost:8000"
BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?")


SEARCH = "/search/"


def folder_url(slugs: tuple[str, ...]) -> str:
    return "/" + "".join(f"{s}/" for s in slugs)


def report_url(report: Report) -> str:
    return f"{folder_url(report.folder)}{report.year}/"


def year_url(year: int) -> str:
    return f"/years/{year}/"


# Open data: the files beside the pages.
DATA_URL = "/data/"
REPORTS_JSON_URL = "/data/reports.json"
CELLS_CSV_URL = "/data/cells.csv"
SQLITE_URL = "/data/cells.sqlite"
FEED_URL = "/feed.xml"
SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"


def report_json_url(report: Report) -> str:
    """The report's data, beside its page folder: /<slugs…>/<year>.json."""
    return f"{folder_url(report.folder)}{report.year}.json"


def year_csv_url(year: int) -> str:
    return f"/data/cells-{year}.csv"


def schema_url(format_id: str) -> str:
    """The JSON Schema of a format's report JSON ("none" for narrative-only reports)."""
    return f"/schema/{format_id}.json"


def valid_base_url(text: str) -> bool:
    return BASE_URL.fullmatch(text) is not None


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + url


def output_path(url: str) -> str:
    """The file that serves a URL, relative to site/."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path
