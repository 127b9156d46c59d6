"""What every page, download and index document that lists a report says about it, made once per
report beside its checks: its metadata, where it sits (crumbs), its key figures and its quality.

A Summary is small and carries no cells, so it is what crosses from the workers to the main
process for the archive-wide pages and files (see bodywork.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from .archive import Archive
from .formats import FORMATS
from .model import Report, ReportMeta
from .points import trend_parts
from . import urls
from .quality import Quality, quality

# The key figures every page lists, as the format files define them (the spec checks that every format
# has the same ids, in the same order).
KEY_FIGURES = [(k["id"], k["label"]) for k in FORMATS[max(FORMATS)].key_figures]
KEY_LABELS = [label for _, label in KEY_FIGURES]


@dataclass(frozen=True)
class Summary:
    report: ReportMeta  # the report without its cells or narrative
    crumbs: list[tuple[str, str]]  # (name, URL) of each folder from the top down to the body
    figures: list[int | None]  # in KEY_FIGURES order; None where a cell is blank or absent
    quality: Quality
    trend: dict[str, tuple] | None  # what the folder pages chart (points.trend_parts); None: no tables


def breadcrumbs(archive: Archive, slugs: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(archive.folders[slugs[:i]].name, urls.folder_url(slugs[:i])) for i in range(1, len(slugs) + 1)]


def key_figures(report: Report) -> list[int | None]:
    """The report's key figures in KEY_FIGURES order; None where a cell is blank or absent."""
    if report.format is None:
        return [None] * len(KEY_FIGURES)
    by_id = {k["id"]: k for k in report.format.key_figures}
    out = []
    for figure_id, _ in KEY_FIGURES:
        cells = [report.cell(*path.split(".")) for path in by_id[figure_id]["sum"]]
        values = [c.value for c in cells if c is not None]
        out.append(sum(values) if len(values) == len(cells) and None not in values else None)
    return out


def summarise(archive: Archive) -> list[Summary]:
    """Each report's summary, in the archive's order."""
    return [Summary(r.metadata(), breadcrumbs(archive, r.folder), key_figures(r),
                    quality(r.format is not None, archive.diagnostics_for(r)), trend_parts(r)) for r in archive.reports]
