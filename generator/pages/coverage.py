"""Which years the archive lacks: per body, the years between its first report and the archive's
latest year that have no report; per region and year, how many of the bodies beneath have a report.

Cross-report facts, so they are worked out in the archive-wide phase, from the page summaries.
"""
from __future__ import annotations


def missing_years(years: set[int], latest: int) -> list[int]:
    """The years from the first of `years` to `latest` without a report."""
    return [y for y in range(min(years), latest + 1) if y not in years] if years else []


def body_years(summaries: list[dict]) -> dict[tuple, set[int]]:
    """{body folder: its report years} of the given report summaries."""
    out: dict[tuple, set[int]] = {}
    for s in summaries:
        out.setdefault(s.report.folder, set()).add(s.report.year)
    return out


def folder_context(summaries: list[dict], slugs: tuple, folders: dict, latest: int | None) -> dict:
    """What a body or region page says: its own missing years, those of each body beneath, and the
    coverage table (year, bodies with a report, bodies in the archive beneath)."""
    if latest is None:
        return {"missing_own": [], "missing_beneath": [], "coverage": []}
    bodies = body_years(summaries)
    own = missing_years(bodies.get(slugs, set()), latest)
    beneath = [(folders[b], gaps) for b, years in sorted(bodies.items())
               if b != slugs and (gaps := missing_years(years, latest))]
    coverage = []
    if len(bodies) > 1 or (bodies and slugs not in bodies):  # a region: the table says something
        first = min(min(y) for y in bodies.values())
        coverage = [(y, sum(y in years for years in bodies.values()), len(bodies)) for y in range(latest, first - 1, -1)]
    return {"missing_own": own, "missing_beneath": beneath, "coverage": coverage}


def count_missing(summaries: list[dict], latest: int | None) -> int:
    """Missing body-years beneath, for the quality statistics."""
    if latest is None:
        return 0
    return sum(len(missing_years(years, latest)) for years in body_years(summaries).values())
