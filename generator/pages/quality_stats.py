"""Data-quality statistics of the archive and of each region: how many reports passed, have
acknowledged faults, have warnings (by rule), prose disagreements, late reports, missing years and
missing sections. Made from the archive alone (every report's status and diagnostics), in the
archive-wide phase; the /quality/ page and its CSV both read them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..archive import Archive
from ..checks import timeliness
from ..diagnostics import CATALOGUE
from ..model import Report
from .coverage import missing_years
from ..quality import LABELS, quality

STATUSES = tuple(LABELS)  # passed, acknowledged, warnings, not-assessable, narrative-only
CLAIM, SECTION_MISSING = "narrative/claim", "narrative/section-missing"
WARNING_RULES = tuple(r for r, e in CATALOGUE.items() if e["severity"] == "warning")


@dataclass
class Row:
    """The statistics of one scope: the archive (slugs ()) or a region."""
    slugs: tuple[str, ...]
    name: str
    depth: int
    reports: int = 0
    statuses: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)  # rule -> warnings (not acknowledged)
    prose: int = 0  # prose disagreements (warnings and acknowledged)
    prose_reports: int = 0
    late: int = 0  # late reports
    missing_years: int = 0  # body-years without a report
    missing_sections: int = 0  # sections missing, over all reports


@dataclass
class ReportFacts:
    report: Report
    status: str
    warnings: Counter
    prose: int
    late: int  # days late (0: on time or not known)
    missing_sections: int


def facts(archive: Archive, report: Report) -> ReportFacts:
    found = archive.diagnostics_for(report)
    return ReportFacts(report, quality(report.format is not None, found).status,
                       Counter(d.rule for d in found if d.severity == "warning"),
                       sum(d.rule == CLAIM for d in found), _days_late(archive, report),
                       sum(d.rule == SECTION_MISSING for d in found))


def _days_late(archive: Archive, report: Report) -> int:
    """As the meta/late check counts them (acknowledged or not)."""
    late = timeliness.days_late(report, archive.folders[report.folder].level)
    return late[0] if late else 0


def statistics(archive: Archive, memo: dict | None = None) -> tuple[Row, list[Row], list[ReportFacts]]:
    """(the archive's row, a row per region in folder order, each report's facts). `memo`: each report's
    facts kept by ("quality", its path), for `nianbao serve` (pages.site.Beneath.memo)."""
    if memo is None:
        every = [facts(archive, r) for r in archive.reports]
    else:
        every = [memo.get(("quality", r.path)) or memo.setdefault(("quality", r.path), facts(archive, r))
                 for r in archive.reports]
    latest = max((r.year for r in archive.reports), default=None)
    bodies = {}
    for r in archive.reports:
        bodies.setdefault(r.folder, set()).add(r.year)
    gaps = {b: len(missing_years(years, latest)) for b, years in bodies.items()} if latest else {}
    regions = {s[:-1] for s in archive.folders if len(s) > 1}  # a folder with folders beneath
    total = Row((), "全档案", 0)
    rows = {s: Row(s, archive.folders[s].name, len(s)) for s in sorted(regions)}
    for f in every:
        folder = f.report.folder
        for row in [total] + [rows[folder[:i]] for i in range(1, len(folder) + 1) if folder[:i] in rows]:
            _add(row, f)
    for body, n in gaps.items():
        for row in [total] + [rows[body[:i]] for i in range(1, len(body) + 1) if body[:i] in rows]:
            row.missing_years += n
    return total, list(rows.values()), every


def _add(row: Row, f: ReportFacts) -> None:
    row.reports += 1
    row.statuses[f.status] += 1
    row.warnings.update(f.warnings)
    row.prose += f.prose
    row.prose_reports += f.prose > 0
    row.late += f.late > 0
    row.missing_sections += f.missing_sections
