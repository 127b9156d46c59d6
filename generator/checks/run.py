"""Run every check over the parsed archive and apply the editors' acknowledgements."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from ..diagnostics import Diagnostic, diag
from ..model import Report
from .. import urls
from ..source.positioned import Pos
from ..source.tree import Folder
from . import arithmetic, claims, deduced, narrative, plausibility, sections, timeliness
from .context import Context

_START = Pos(1, 1)

# Every check of a report, each `check(report, context) -> Iterator[Diagnostic]`: a new check is a
# function of that signature, added here (its rule ids and messages go in rules.yaml).
CHECKS: tuple[Callable[[Report, Context], Iterable[Diagnostic]], ...] = (
    arithmetic.check,
    plausibility.check,
    narrative.check,
    claims.check,  # prose against tables
    sections.check,
    timeliness.check,
    deduced.check,
)


def check_reports(reports: list[Report], folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    by_body_year = {(r.folder, r.year): r for r in reports}
    for report in reports:
        context = Context(by_body_year.get((report.folder, report.year - 1)), _level(report.folder, folders), folders)
        for check in CHECKS:
            yield from check(report, context)


def check_duplicates(reports: list[Report], folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    seen: dict[tuple[tuple[str, ...], int], Report] = {}
    for report in sorted(reports, key=lambda r: r.path):
        first = seen.setdefault((report.folder, report.year), report)
        if first is not report:
            yield diag("report/duplicate", report.path, report.key_pos.get(("year",), _START),
                       body=folders[report.folder].name, year=report.year, other=first.path)


def check_codes(folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    """No two folders may claim one administrative code."""
    codes: dict[str, Folder] = {}
    for folder in folders.values():
        if folder.code:
            other = codes.setdefault(folder.code, folder)
            if other is not folder:
                yield diag("index/duplicate-code", f"{folder.path}/_index.yaml", _START,
                           code=folder.code, other=other.path)


def check_moves(folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    """An old path (moved_from) becomes redirect pages: it may not be a folder of content/ (or lie in
    one: its pages would be overwritten), a path of the site itself, or the old path of two folders."""
    claimed: dict[tuple, Folder] = {}
    for folder in folders.values():
        for old in folder.moved_from:
            clash = next((f"现有目录 {folders[old[:i]].path}" for i in range(len(old), 0, -1) if old[:i] in folders),
                         None)
            clash = clash or (urls.folder_clash(old) and f"网站自身的网址 {urls.folder_clash(old)}")
            first = claimed.setdefault(old, folder)
            clash = clash or (first is not folder and f"{first.path} 的旧目录")
            if clash:
                yield diag("index/moved-from", f"{folder.path}/_index.yaml", _START, old="/".join(old), clash=clash)


def check_folder_names(folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    """No content folder may take a path the site uses itself (urls.SITE_FOLDERS, report pages)."""
    reserved = "、".join(urls.SITE_FOLDERS) + "，以及四位数字的年份"
    for slugs, folder in folders.items():
        clash = urls.folder_clash(slugs)
        if clash:
            yield diag("file/reserved-name", folder.path, _START, name=slugs[-1], url=clash, reserved=reserved)


def acknowledge(diagnostics: Iterable[Diagnostic], reports: list[Report]) -> list[Diagnostic]:
    """Turn problems the editor recorded in known_issues into acknowledged faults of the original;
    a known issue that matches nothing is itself an error (the page would show a fault not there)."""
    issues = {r.path: r.known_issues for r in reports}
    used, out = set(), []
    for d in diagnostics:
        issue = next((i for i in issues.get(d.path, ()) if i.covers(d.rule, d.cell)), None)
        if issue:
            used.add((d.path, issue))
            d = d.acknowledge(issue.note)
        out.append(d)
    for path, known in issues.items():
        out += [diag("known-issues/unmatched", path, i.pos, issue_rule=i.rule, pattern=i.cell)
                for i in known if (path, i) not in used]
    return out


def _level(slugs: tuple[str, ...], folders: dict[tuple, Folder]) -> str:
    """A department's plausible powers are those of the government it belongs to."""
    folder = folders.get(slugs)
    if folder and folder.level == "部门" and slugs[:-1] in folders:
        return folders[slugs[:-1]].level
    return folder.level if folder else ""

