"""The page models of the site: which pages exist, at which URL, with what context.

Rendering is elsewhere; this module only decides what each page says.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..archive import Archive
from ..model import Report, ReportMeta
from .. import points, urls
from ..checks import timeliness
from ..render import charts
from ..render.layout import tables_html
from ..render.order import arrange
from ..summaries import KEY_FIGURES, KEY_LABELS, Summary, breadcrumbs
from . import coverage, prose, trends
from .glossary import glossary_context
from .page import Page
from .quality_page import quality_page


def _totals(summaries: list[Summary]) -> list[tuple[int, list[int | None]]]:
    """Key figures summed per year over the given reports; a blank anywhere leaves that sum blank."""
    years: dict[int, list[int | None]] = {}
    for s in summaries:
        row = years.setdefault(s.report.year, [0] * len(KEY_FIGURES))
        years[s.report.year] = [None if a is None or b is None else a + b for a, b in zip(row, s.figures)]
    return sorted(years.items())


def report_page(archive: Archive, report: Report, summary: Summary) -> Page:
    found = archive.diagnostics_for(report)
    body = archive.folders[report.folder]
    marked, marks = prose.narrative(report, found)  # sentences that disagree with the tables, marked
    years = [r for r in archive.reports if r.folder == report.folder]  # sorted by year when loaded
    at = years.index(report)
    tables, narrative = arrange(report.format, tables_html(report, found), marked)
    return Page(urls.report_url(report), "report.html", {
        "report": report,
        "body": body,
        "crumbs": summary.crumbs,
        "quality": summary.quality,
        "problems": [d for d in found if d.severity != "acknowledged"],
        "faults": acknowledged_faults(found),
        "tables": tables,  # those the narrative has no section heading for
        "narrative": narrative,  # with the other tables under their headings (render/order.py)
        "summary": points.summary(report),  # 要点
        "marks": marks,
        "late": timeliness.days_late(report, body.level),
        "years": years,
        "prev": years[at - 1] if at > 0 else None,
        "next": years[at + 1] if at + 1 < len(years) else None,
    }, report.path)


def folder_page(archive: Archive, tree: "Beneath", slugs: tuple[str, ...], latest: int | None = None) -> Page:
    """A body (its reports by year) and/or a region (what lies beneath, with yearly totals)."""
    beneath = tree.summaries.get(slugs, [])
    own = [s for s in beneath if s.report.folder == slugs]
    children = tree.children.get(slugs, [])
    counts = {f.slugs: len(tree.summaries.get(f.slugs, ())) for f in children}
    totals = _totals(beneath) if children else []
    return Page(urls.folder_url(slugs), "folder.html", {
        "folder": archive.folders[slugs], "crumbs": breadcrumbs(archive, slugs)[:-1], "own": own,
        "children": children, "counts": counts, "charts": charts.charts(trends.years(own), "own"),
        "totals": totals, "totals_charts": charts.charts(trends.years(beneath), "totals") if children else [],
        "labels": KEY_LABELS, **coverage.folder_context(beneath, slugs, archive.folders, latest)},
        f"{archive.folders[slugs].path}/_index.yaml")


def year_page(summaries: list[Summary], year: int) -> Page:
    entries = [s for s in summaries if s.report.year == year]
    return Page(urls.year_url(year), "year.html", {"year": year, "entries": entries, "labels": KEY_LABELS},
                f"year {year}")


def acknowledged_faults(found) -> list[tuple[str, str, int, str]]:
    """Faults of the original, once per editor's note: (rule title, note, how many, of what: cells,
    or places for the narrative's and the metadata's faults)."""
    groups: dict[tuple[str, str, str], int] = {}
    for d in found:
        if d.severity == "acknowledged":
            unit = "处" if (d.cell or "").startswith(("narrative.", "meta.")) else "格"
            groups[(d.title, d.note, unit)] = groups.get((d.title, d.note, unit), 0) + 1
    return [(title, note, n, unit) for (title, note, unit), n in groups.items()]


NEWEST = 20  # reports listed on the home page


def _newest_first(report: ReportMeta) -> tuple:
    """By publication date where known, else by report year, then by path for stability (reversed)."""
    published = report.meta.get("published")
    return (published.isoformat() if published else f"{report.year + 1}-00", report.year, report.path)


def newest(reports: list[ReportMeta]) -> list[ReportMeta]:
    """Newest first: by publication date where known, else by report year, then by path for stability."""
    return sorted(reports, key=_newest_first, reverse=True)


def home_page(archive: Archive, summaries: list[Summary]) -> Page:
    tops = [f for s, f in sorted(archive.folders.items()) if len(s) == 1]
    bodies = {r.folder for r in archive.reports}
    return Page("/", "home.html", {
        "entries": sorted(summaries, key=lambda s: _newest_first(s.report), reverse=True)[:NEWEST],
        "count": len(archive.reports), "tops": tops, "years": _years(archive), "labels": KEY_LABELS,
        "bodies": len(bodies), "regions": sum(1 for s in archive.folders if s not in bodies)}, "home")


def _years(archive: Archive) -> list[int]:
    return sorted({r.year for r in archive.reports}, reverse=True)


@dataclass
class Beneath:
    """What lies beneath each folder, gathered in one pass (a national archive has thousands of folders)."""
    summaries: dict[tuple, list[Summary]]  # folder -> summaries of every report at or below it
    children: dict[tuple, list]  # folder -> its sub-folders, in order

    @classmethod
    def of(cls, archive: Archive, summaries: list[Summary]) -> "Beneath":
        below: dict[tuple, list[Summary]] = {}
        for s in summaries:
            folder = s.report.folder
            for depth in range(1, len(folder) + 1):
                below.setdefault(folder[:depth], []).append(s)
        children: dict[tuple, list] = {}
        for slugs, folder in sorted(archive.folders.items()):
            children.setdefault(slugs[:-1], []).append(folder)
        return cls(below, children)


def archive_pages(archive: Archive, summaries: list[Summary]) -> Iterator[Page]:
    """Every page but the report pages (made per body, see bodywork.py) and the search page (search/)."""
    yield home_page(archive, summaries)
    yield Page("/404.html", "404.html", {}, "404")
    yield Page(urls.GLOSSARY, "terms.html", glossary_context(), "glossary")
    tree = Beneath.of(archive, summaries)
    latest = max(_years(archive), default=None)  # missing years run up to the archive's latest year
    yield from (folder_page(archive, tree, slugs, latest) for slugs in sorted(archive.folders))
    yield quality_page(archive, latest)
    yield from (year_page(summaries, year) for year in _years(archive))
