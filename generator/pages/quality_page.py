"""The data-quality page (/quality/): the statistics of pages/quality_stats.py for the archive and per
region, the warnings by rule with links to the reports, and the CSV of the same table."""
from __future__ import annotations

from ..archive import Archive
from ..diagnostics import CATALOGUE
from .. import urls
from ..quality import LABELS
from .quality_stats import STATUSES, WARNING_RULES, statistics
from .page import Page

LINKED = 50  # reports linked per rule; the rest are counted


def quality_page(archive: Archive, latest: int | None, memo: dict | None = None) -> Page:
    total, regions, facts = statistics(archive, memo)
    by_rule = []
    for rule in WARNING_RULES:
        hit = [f for f in facts if f.warnings[rule]]
        if hit:
            reports = [(f.report, _crumbs(archive, f.report)) for f in hit]
            by_rule.append((rule, CATALOGUE[rule]["title"], total.warnings[rule], reports[:LINKED],
                            len(reports) - LINKED if len(reports) > LINKED else 0))
    late = [(f.report, _crumbs(archive, f.report), f.late) for f in facts if f.late]
    return Page(urls.QUALITY_URL, "quality.html", {
        "total": total, "regions": regions, "statuses": [(s, LABELS[s]) for s in STATUSES],
        "by_rule": by_rule, "late": late[:LINKED], "late_more": max(0, len(late) - LINKED), "latest": latest,
        "csv_url": urls.QUALITY_CSV_URL,
    }, "quality page")


def _crumbs(archive: Archive, report) -> str:
    return " › ".join(archive.folders[report.folder[:i]].name for i in range(1, len(report.folder) + 1))
