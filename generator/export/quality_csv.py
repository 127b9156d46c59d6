"""/quality/quality.csv: the data-quality statistics of the archive and of each region, one row each
(pages/quality_stats.py), as the /quality/ page shows them. UTF-8 with a byte-order mark, CRLF."""
from __future__ import annotations

import csv
import io

from ..archive import Archive
from .csvfile import neutralise
from .. import urls
from ..pages.quality_stats import STATUSES, WARNING_RULES, statistics

BOM = "\ufeff"
COLUMNS = ("region_id", "region", "reports", *(s.replace("-", "_") for s in STATUSES), "prose_disagreements",
           "late", "missing_years", "missing_sections", *(f"warnings:{r}" for r in WARNING_RULES))


def csv_file(archive: Archive) -> tuple[str, bytes, str]:
    total, regions, _ = statistics(archive)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in [total, *regions]:
        writer.writerow([neutralise("/".join(row.slugs)), neutralise(row.name), row.reports,
                         *(row.statuses[s] for s in STATUSES), row.prose, row.late, row.missing_years,
                         row.missing_sections, *(row.warnings[r] for r in WARNING_RULES)])
    return urls.output_path(urls.QUALITY_CSV_URL), (BOM + out.getvalue()).encode("utf-8"), "quality.csv"
