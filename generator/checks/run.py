"""Run every check over the parsed archive and apply the editors' acknowledgements."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Diagnostic, diag
from ..model import Report
from ..pages import urls
from ..source.positioned import Pos
from ..source.tree import Folder
from . import arithmetic, claims, deduced, narrative, plausibility, sections, timeliness

_START = Pos(1, 1)


def check_reports(reports: list[Report], folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    by_body_year = {(r.folder, r.year): r for r in reports}
    for report in reports:
        found = list(arithmetic.check(report, by_body_year.get((report.folder, report.year - 1))))
        found += plausibility.check(report, _level(report.folder, folders))
        found += narrative.check(report)
        found += claims.check(report)  # prose against tables
        found += sections.check(report)
        found += timeliness.check(report, folders[report.folder].level if report.folder in folders else "")
        found += deduced.check(report)
        yield from found


def check_duplicates(reports: list[Report], folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    seen: dict = {}
    for report in sorted(reports, key=lambda r: r.path):
        first = seen.setdefault((report.folder, report.year), report)
        if first is not report:
            yield diag("report/duplicate", report.path, report.key_pos.get(("year",), _START),
                       body=folders[report.folder].name, year=report.year, other=first.path)


def check_codes(folders: dict[tuple, Folder]) -> Iterator[Diagnostic]:
    """No two folders may claim one administrative code."""
    codes: dict = {}
    for folder in folders.values():
        if folder.code:
            other = codes.setdefault(folder.code, folder)
            if other is not folder:
                yield diag("index/duplicate-code", f"{folder.path}/_index.yaml", _START,
                           code=folder.code, other=other.path)


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


def _level(slugs: tuple, folders: dict[tuple, Folder]) -> str:
    """A department's plausible powers are those of the government it belongs to."""
    folder = folders.get(slugs)
    if folder and folder.level == "部门" and slugs[:-1] in folders:
        return folders[slugs[:-1]].level
    return folder.level if folder else ""

