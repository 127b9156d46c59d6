"""What a check may know besides the report itself: the rest of its body, and where the body sits.

Every per-report check has one signature, `check(report, context) -> Iterator[Diagnostic]`, and is
listed in checks/run.py (CHECKS). A body is checked on its own (see bodies.py), so a check sees only
the body's own reports and the folders above it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Report
from ..source.tree import Folder


@dataclass(frozen=True)
class Context:
    last_year: Report | None  # the same body's report of the year before, if any
    level: str  # the level whose powers the body has (a department: its government's), "" if unknown
    folders: dict[tuple[str, ...], Folder]  # the body's folder and those above it
