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


# The site's own top-level folders, beside the content's region folders. A content folder may not take
# one of these names (checks/run.py refuses it), and the build writes nothing at the top level outside
# them, the content's folders (and their old paths, `moved_from`: redirect pages) and SITE_FILES
# (tests/test_loader.py). A new top-level output goes here.
YEARS, DATA, SEARCH_FOLDER, ASSETS, SCHEMA = "years", "data", "search", "assets", "schema"
SEARCH_INDEX = "search-index"  # the search index's files (search/index.py)
TERMS, QUALITY, STATS_FOLDER = "terms", "quality", "stats"
SITE_FOLDERS = (YEARS, DATA, SEARCH_FOLDER, SEARCH_INDEX, ASSETS, SCHEMA, TERMS, QUALITY, STATS_FOLDER)
SITE_FILES = ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt")
YEAR_NAME = re.compile(r"[0-9]{4}")  # report pages are /<folders…>/<year>/: a folder may not be named so

SEARCH = f"/{SEARCH_FOLDER}/"
GLOSSARY = f"/{TERMS}/"  # the 术语 page: explanations of the tables' labels and of the rates
STATS = f"/{STATS_FOLDER}/"  # statistics of the whole archive (a region's are on its folder page)


def term_url(term_id: str) -> str:
    return f"{GLOSSARY}#{term_id}"


def folder_url(slugs: tuple[str, ...]) -> str:
    return "/" + "".join(f"{s}/" for s in slugs)


def report_url(report: Report) -> str:
    return f"{folder_url(report.folder)}{report.year}/"


def compare_url(report: Report) -> str:
    """The report beside the body's previous report (year over year), under the report's page."""
    return f"{report_url(report)}compare/"


def year_url(year: int) -> str:
    return f"/{YEARS}/{year}/"


def folder_clash(slugs: tuple[str, ...]) -> str | None:
    """The site's own URL that a content folder of these slugs would take, if any."""
    if len(slugs) == 1 and slugs[0] in SITE_FOLDERS:
        return f"/{slugs[0]}/"
    if YEAR_NAME.fullmatch(slugs[-1]):
        return f"报告网页 {folder_url(slugs)}（/机关/年份/）"
    return None


# Open data: the files beside the pages.
DATA_URL = f"/{DATA}/"
REPORTS_JSON_URL = f"/{DATA}/reports.json"
SQLITE_URL = f"/{DATA}/cells.sqlite"
FEED_URL = "/feed.xml"
SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"


# The data-quality page and its table (pages/quality_page.py).
QUALITY_URL = f"/{QUALITY}/"
QUALITY_CSV_URL = f"{QUALITY_URL}quality.csv"


def report_json_url(report: Report) -> str:
    """The report's data, beside its page folder: /<slugs…>/<year>.json."""
    return f"{folder_url(report.folder)}{report.year}.json"


def year_csv_url(year: int) -> str:
    return f"/{DATA}/cells-{year}.csv"


def cells_url(year: int | None, kind: str) -> str:
    """The long table (one row per cell) in another form: /data/cells[-<year>].<csv.gz|parquet>."""
    return f"/{DATA}/cells{f'-{year}' if year else ''}.{kind}"


def wide_url(year: int | None, kind: str, part: int = 1) -> str:
    """A wide download (one row per report): /data/wide[-<year>][-part<n>].<csv|xlsx>."""
    return f"/{DATA}/wide{f'-{year}' if year else ''}{f'-part{part}' if part > 1 else ''}.{kind}"


def stats_csv_url(slugs: tuple[str, ...], table_id: str) -> str:
    """A statistics table as CSV: /stats/<table>.csv, or beside a region's page."""
    return f"{STATS}{table_id}.csv" if not slugs else f"{folder_url(slugs)}stats-{table_id}.csv"


def figures_csv_url(slugs: tuple[str, ...]) -> str:
    """Every report at or below a folder, one row each with its key figures and rates."""
    return f"{folder_url(slugs)}figures.csv"


def year_figures_csv_url(year: int) -> str:
    return f"{year_url(year)}figures.csv"


def schema_url(format_id: str) -> str:
    """The JSON Schema of a format's report JSON ("none" for narrative-only reports)."""
    return f"/{SCHEMA}/{format_id}.json"


def valid_base_url(text: str) -> bool:
    return BASE_URL.fullmatch(text) is not None


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + url


def output_path(url: str) -> str:
    """The file that serves a URL, relative to site/."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path
