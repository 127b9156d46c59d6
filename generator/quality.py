"""A report's data-quality status, as readers see it on every page that lists the report."""
from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Quality:
    status: str  # passed | acknowledged | warnings | not-assessable | narrative-only
    label: str
    errors: int = 0
    warnings: int = 0
    acknowledged: int = 0


LABELS = {
    "passed": "核验通过",
    "acknowledged": "原文有已说明的问题",
    "warnings": "有待核实的警告",
    "not-assessable": "无法核验",
    "narrative-only": "仅有正文（无统一表格）",
}


def quality(has_tables: bool, diagnostics: list[Diagnostic]) -> Quality:
    counts = {s: sum(d.severity == s for d in diagnostics) for s in ("error", "warning", "acknowledged")}
    if not has_tables:
        status = "narrative-only"
    elif any(d.rule == "table/empty" for d in diagnostics):
        status = "not-assessable"
    elif counts["warning"]:
        status = "warnings"
    elif counts["acknowledged"]:
        status = "acknowledged"
    else:
        status = "passed"
    return Quality(status, LABELS[status], counts["error"], counts["warning"], counts["acknowledged"])
