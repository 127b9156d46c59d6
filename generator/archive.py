"""The archive: its folders, its reports and every diagnostic about them (model/archive.py).

`load_archive` reads and checks everything in this process, body by body (see bodies.py): the
checker and the tests use it. The build runs the same per-body work in parallel and with a cache
(see build.py), and keeps only the reports' metadata in memory.
"""
from __future__ import annotations

from pathlib import Path

from .bodies import bodies, load_body
from .checks.run import check_codes, check_folder_names, check_moves
from .diagnostics import Diagnostic
from .model.archive import Archive
from .source.tree import Folder, read_tree

__all__ = ["Archive", "combine", "load_archive"]


def combine(folders: dict[tuple[str, ...], Folder], parts: list[Archive], found: list[Diagnostic]) -> Archive:
    """One archive from the bodies' archives, the tree's own diagnostics and the archive-wide checks."""
    reports = [r for part in parts for r in part.reports]
    reports.sort(key=lambda r: (r.folder, r.year))
    found = (found + [d for part in parts for d in part.diagnostics]
             + list(check_codes(folders)) + list(check_folder_names(folders))
             + list(check_moves(folders)))
    return Archive(folders, reports, sorted(found))


def load_archive(root: Path) -> Archive:
    tree = read_tree(root)
    return combine(tree.folders, [load_body(b)[0] for b in bodies(tree)], tree.diagnostics)
