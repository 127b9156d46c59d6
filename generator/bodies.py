"""A body (a folder holding report files) is the unit of work of every build.

Its reports are parsed and checked together: the cross-year rules read only the same body's
other years, so nothing outside the body and the folders above it can change what a body's
check finds or what its pages say. That makes bodies safe to run in parallel, and safe to cache
by a hash of what they read (`Body.key`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .model.archive import Archive
from .checks.run import acknowledge, check_duplicates, check_reports
from .model.parse import parse
from .source.tree import Folder, RawFile, Tree, read_source


@dataclass
class Body:
    slugs: tuple[str, ...]
    files: list[RawFile]
    folders: dict[tuple[str, ...], Folder]  # the body's own folder and every folder above it

    def key(self, code: str) -> str:
        """Changes whenever anything this body's results depend on changes (`code`: the program)."""
        digest = hashlib.sha256(code.encode())
        for _, folder in sorted(self.folders.items()):
            digest.update(repr(folder).encode())
        for raw in self.files:
            digest.update(f"\0{raw.path}\0{raw.digest}".encode())
        return digest.hexdigest()


def bodies(tree: Tree) -> list[Body]:
    """Every folder holding report files, in folder order, with its files in name order."""
    files: dict[tuple, list[RawFile]] = {}
    for raw in tree.files:
        files.setdefault(raw.folder, []).append(raw)
    return [Body(slugs, members, {slugs[:i]: tree.folders[slugs[:i]] for i in range(1, len(slugs) + 1)})
            for slugs, members in sorted(files.items())]


def load_body(body: Body) -> tuple[Archive, bool]:
    """Parse and check one body: an Archive of its reports, with the folders above it, and whether
    its files were still those hashed when the tree was read (else its key does not describe it)."""
    found, reports, same = [], [], True
    for raw in body.files:
        data, unchanged = raw.read()
        same &= unchanged
        src, problems = read_source(raw, data)
        found += problems
        if src is not None:
            report, problems = parse(src)
            found += problems
            if report is not None:
                reports.append(report)
    reports.sort(key=lambda r: r.year)
    found += check_duplicates(reports, body.folders)
    found += check_reports(reports, body.folders)
    return Archive(body.folders, reports, sorted(acknowledge(found, reports))), same
