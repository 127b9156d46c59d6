"""Every URL of the site, made in one place. URLs are root-relative and end in / for pages.

Folder slugs are validated as ASCII slugs when read and years are integers, so no URL made
from content can climb out of the site.
"""
from __future__ import annotations

from ..model import Report


SEARCH = "/search/"


def folder_url(slugs: tuple[str, ...]) -> str:
    return "/" + "".join(f"{s}/" for s in slugs)


def report_url(report: Report) -> str:
    return f"{folder_url(report.folder)}{report.year}/"


def year_url(year: int) -> str:
    return f"/years/{year}/"


def output_path(url: str) -> str:
    """The file that serves a URL, relative to site/."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path
