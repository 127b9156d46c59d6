"""The page models of the site: which pages exist, at which URL, with what context.

Rendering is elsewhere; this module only decides what each page says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ..archive import Archive
from ..model import Report, ReportMeta
from .. import points, urls
from ..checks import timeliness
from ..render import charts
from ..render.layout import tables_html
from ..render.order import arrange
from ..stats.lists import list_totals, report_rows
from ..stats.pages import stats_tables, table_downloads
from ..summaries import KEY_LABELS, Summary, breadcrumbs
from . import coverage, prose, trends
from .compare import compare_context
from .glossary import glossary_context
from .page import Page
from .quality_page import quality_page
from .redirects import redirect_pages


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


def compare_page(archive: Archive, earlier: Report, later: Report) -> Page:
    """Year over year: `later` beside the body's previous report (see compare.py)."""
    return Page(urls.compare_url(later), "compare.html",
                compare_context(archive, earlier, later) | {"crumbs": breadcrumbs(archive, later.folder)}, later.path)


def folder_page(archive: Archive, tree: "Beneath", slugs: tuple[str, ...], latest: int | None = None) -> Page:
    """A body (its reports by year) and/or a region (what lies beneath, with yearly totals)."""
    beneath = tree.summaries.get(slugs, [])
    own = [s for s in beneath if s.report.folder == slugs]
    children = tree.children.get(slugs, [])
    counts = {f.slugs: len(tree.summaries.get(f.slugs, ())) for f in children}
    bodies = sorted({s.report.folder for s in beneath})
    stats = stats_tables(archive, slugs, beneath, bodies, tree.memo) if children and beneath else []
    return Page(urls.folder_url(slugs), "folder.html", {
        "folder": archive.folders[slugs], "crumbs": breadcrumbs(archive, slugs)[:-1], "own": own,
        "children": children, "counts": counts, "charts": charts.charts(trends.years(own), "own"),
        "totals_charts": charts.charts(trends.years(beneath), "totals") if children else [],
        "labels": KEY_LABELS, "stats": stats,
        "own_totals": list_totals(own, len(KEY_LABELS)) if len(own) > 1 else None,
        "csv_url": urls.figures_csv_url(slugs), **coverage.folder_context(beneath, slugs, archive.folders, latest)},
        f"{archive.folders[slugs].path}/_index.yaml",
        downloads=((urls.figures_csv_url(slugs), *report_rows(beneath, KEY_LABELS, tree.memo)),
                   *table_downloads(stats)))


def year_page(summaries: list[Summary], year: int, memo: dict | None = None) -> Page:
    entries = [s for s in summaries if s.report.year == year]
    return Page(urls.year_url(year), "year.html", {
        "year": year, "entries": entries, "labels": KEY_LABELS, "totals": list_totals(entries, len(KEY_LABELS)),
        "csv_url": urls.year_figures_csv_url(year)}, f"year {year}",
        downloads=((urls.year_figures_csv_url(year), *report_rows(entries, KEY_LABELS, {} if memo is None else memo)),))


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
        "count": len(archive.reports), "tops": tops, "years": archive.years[::-1], "labels": KEY_LABELS,
        "bodies": len(bodies), "regions": sum(1 for s in archive.folders if s not in bodies)}, "home")


@dataclass
class Beneath:
    """What lies beneath each folder, gathered in one pass (a national archive has thousands of folders)."""
    summaries: dict[tuple, list[Summary]]  # folder -> summaries of every report at or below it
    children: dict[tuple, list]  # folder -> its sub-folders, in order
    memo: dict = field(default_factory=dict)  # what the statistics make once per report or body

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
    """Every page but the report pages (made per body, see bodypages.py), the search page (search/) and
    /stats/ (stats_page, an output of its own: see outputs.py)."""
    yield home_page(archive, summaries)
    yield Page("/404.html", "404.html", {}, "404")
    yield Page(urls.GLOSSARY, "terms.html", glossary_context(), "glossary")
    tree = Beneath.of(archive, summaries)
    latest = max(archive.years, default=None)  # missing years run up to the archive's latest year
    yield from (folder_page(archive, tree, slugs, latest) for slugs in sorted(archive.folders))
    yield quality_page(archive, latest, tree.memo)
    yield from (year_page(summaries, year, tree.memo) for year in archive.years[::-1])
    yield from redirect_pages(archive)  # old URLs of moved folders


def stats_page(archive: Archive, summaries: list[Summary]) -> Page:
    """/stats/: the statistics of the whole archive (its tables' CSV files are the page's downloads)."""
    bodies = sorted({s.report.folder for s in summaries})
    tables = stats_tables(archive, (), summaries, bodies, {})
    return Page(urls.STATS, "stats.html", {"stats": tables, "count": len(summaries), "bodies": len(bodies)},
                "stats", downloads=tuple(table_downloads(tables)))
