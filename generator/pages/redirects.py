"""Redirect pages from a moved folder's old URLs (`moved_from` in its _index.yaml) to the new ones.

A static site cannot answer with an HTTP redirect, so each old page URL gets a small page with a
canonical link and a meta refresh (a line of script first keeps the #anchor a citation points to).
The folder's own page, every folder beneath it, every report page and every year-over-year page move.
The checks (checks/run.py, check_moves) make sure no old path is a folder or a URL of the site.
"""
from __future__ import annotations

from typing import Iterator

from ..archive import Archive
from .. import urls
from .compare import comparable
from .page import Page


def redirect_pages(archive: Archive) -> Iterator[Page]:
    for slugs, folder in sorted(archive.folders.items()):
        for old in folder.moved_from:
            yield from _moved(archive, slugs, old, f"{folder.path}/_index.yaml")


def _moved(archive: Archive, new: tuple[str, ...], old: tuple[str, ...], owner: str) -> Iterator[Page]:
    def page(url: str, target: str, name: str) -> Page:
        return Page(url, "redirect.html", {"target": target, "name": name}, owner)

    for slugs, folder in sorted(archive.folders.items()):
        if slugs[:len(new)] == new:
            moved = old + slugs[len(new):]
            yield page(urls.folder_url(moved), urls.folder_url(slugs), folder.name)
    reports = [r for r in archive.reports if r.folder[:len(new)] == new]
    for at, report in enumerate(reports):
        moved = old + report.folder[len(new):]
        name = f"{archive.folders[report.folder].name} {report.year} 年报告"
        yield page(f"{urls.folder_url(moved)}{report.year}/", urls.report_url(report), name)
        previous = reports[at - 1] if at and reports[at - 1].folder == report.folder else None
        if comparable(previous, report):  # year over year, where bodypages makes it
            yield page(f"{urls.folder_url(moved)}{report.year}/compare/", urls.compare_url(report), name)
