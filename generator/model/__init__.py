"""The parsed archive: reports with cells that remember where they came from."""
from .report import Cell, KnownIssue, Report, ReportMeta

__all__ = ["Cell", "KnownIssue", "Report", "ReportMeta"]
