"""Load the whole archive: read every file, parse it against its format, check everything.

Nothing is written here; `build` decides from the diagnostics whether to write a site.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks.run import acknowledge, check_duplicates, check_reports
from .diagnostics import Diagnostic
from .model import Report
from .model.parse import parse
from .source.tree import Folder, read_tree


@dataclass
class Archive:
    root: Path
    folders: dict[tuple[str, ...], Folder]
    reports: list[Report]
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def diagnostics_for(self, report: Report) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == report.path]


def load_archive(root: Path) -> Archive:
    tree = read_tree(root)
    found = list(tree.diagnostics)
    reports = []
    for src in tree.files:
        report, problems = parse(src)
        found += problems
        if report is not None:
            reports.append(report)
    reports.sort(key=lambda r: (r.folder, r.year))
    found += check_duplicates(reports, tree.folders)
    found += check_reports(reports, tree.folders)
    return Archive(tree.root, tree.folders, reports, sorted(acknowledge(found, reports)))
