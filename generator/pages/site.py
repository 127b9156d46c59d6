"""The page models of the site: which pages exist, at which URL, with what context.

Rendering is elsewhere; this module only decides what each page says.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..archive import Archive
from ..model import Report
from . import urls
from .quality import quality


@dataclass
class Page:
    url: str
    template: str
    context: dict
    owner: str  # what asked for this page, named when two pages claim one path


def breadcrumbs(archive: Archive, slugs: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(archive.folders[slugs[:i]].name, urls.folder_url(slugs[:i])) for i in range(1, len(slugs) + 1)]


def report_page(archive: Archive, report: Report) -> Page:
    from ..render.layout import layout
    from ..render.markdown import render_markdown

    found = archive.diagnostics_for(report)
    body = archive.folders[report.folder]
    return Page(urls.report_url(report), "report.html", {
        "report": report,
        "body": body,
        "crumbs": breadcrumbs(archive, report.folder),
        "quality": quality(report.format is not None, found),
        "problems": [d for d in found if d.severity != "acknowledged"],
        "faults": acknowledged_faults(found),
        "tables": layout(report, found),
        "narrative": render_markdown(report.narrative),
    }, report.path)


def acknowledged_faults(found) -> list[tuple[str, str, int]]:
    """Faults of the original, once per editor's note: (rule title, note, how many cells)."""
    groups: dict[tuple[str, str], int] = {}
    for d in found:
        if d.severity == "acknowledged":
            groups[(d.title, d.note)] = groups.get((d.title, d.note), 0) + 1
    return [(title, note, n) for (title, note), n in groups.items()]


def home_page(archive: Archive) -> Page:
    entries = [(r, breadcrumbs(archive, r.folder), quality(r.format is not None, archive.diagnostics_for(r)))
               for r in archive.reports]
    return Page("/", "home.html", {"entries": entries, "count": len(archive.reports)}, "home")


def all_pages(archive: Archive) -> list[Page]:
    return [home_page(archive)] + [report_page(archive, r) for r in archive.reports]
