"""The archive: its folders, its reports and every diagnostic about them.

`load_archive` reads and checks everything in this process, body by body (see bodies.py): the
checker and the tests use it. The build runs the same per-body work in parallel and with a cache
(see build.py), and keeps only the reports' metadata in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .checks.run import check_codes, check_folder_names
from .diagnostics import Diagnostic
from .model import Report
from .source.tree import Folder, read_tree


@dataclass
class Archive:
    folders: dict[tuple[str, ...], Folder]
    reports: list[Report]
    diagnostics: list[Diagnostic]
    _by_path: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def diagnostics_for(self, report: Report) -> list[Diagnostic]:
        if self._by_path is None or self._by_path[0] is not self.diagnostics:  # indexed once per list
            index: dict[str, list[Diagnostic]] = {}
            for d in self.diagnostics:
                index.setdefault(d.path, []).append(d)
            self._by_path = (self.diagnostics, index)
        return self._by_path[1].get(report.path, [])


def combine(folders: dict, parts: list[Archive], found: list[Diagnostic]) -> Archive:
    """One archive from the bodies' archives, the tree's own diagnostics and the archive-wide checks."""
    reports = [r for part in parts for r in part.reports]
    reports.sort(key=lambda r: (r.folder, r.year))
    found = found + [d for part in parts for d in part.diagnostics] + list(check_codes(folders)) + list(check_folder_names(folders))
    return Archive(folders, reports, sorted(found))


def load_archive(root: Path) -> Archive:
    from .bodies import bodies, load_body  # bodies.py builds on Archive
    tree = read_tree(root)
    return combine(tree.folders, [load_body(b)[0] for b in bodies(tree)], tree.diagnostics)
