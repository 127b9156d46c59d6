"""/quality/quality.csv: the data-quality statistics of the archive and of each region, one row each
(pages/quality_stats.py), as the /quality/ page shows them; written like every small table (tabular.py)."""
from __future__ import annotations

from ..archive import Archive
from .. import urls
from ..pages.quality_stats import STATUSES, WARNING_RULES, statistics
from .tabular import csv_text

COLUMNS = ("region_id", "region", "reports", *(s.replace("-", "_") for s in STATUSES), "prose_disagreements",
           "late", "missing_years", "missing_sections", *(f"warnings:{r}" for r in WARNING_RULES))


def csv_file(archive: Archive) -> tuple[str, bytes, str]:
    total, regions, _ = statistics(archive)
    rows = [["/".join(row.slugs), row.name, row.reports, *(row.statuses[s] for s in STATUSES), row.prose, row.late,
             row.missing_years, row.missing_sections, *(row.warnings[r] for r in WARNING_RULES)]
            for row in [total, *regions]]
    return urls.output_path(urls.QUALITY_CSV_URL), csv_text(COLUMNS, rows).encode("utf-8"), "quality.csv"
