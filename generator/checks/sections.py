"""The narrative's six statutory sections (一、总体情况 … 六、其他需要报告的事项; formats/sections.yaml):
present, each once, in order, numbered as the format prints them.

A heading is a section heading when its text starts with a Chinese numeral and 、 (or, at the level of
the numbered ones, names a section's keyword without a numeral). A heading that is a label printed on
a table (table 三's own rows 三、本年度办理结果 and 四、结转下年度继续办理) is not one (formats.md §3).
Wording may vary (因政府信息公开工作被申请行政复议…, 其他事项): a heading is matched to a section by
its keywords, preferring the section its numeral names. Only reports in a national format are
checked: older reports follow no national structure.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from ..diagnostics import Diagnostic, diag
from ..formats import FORMATS, SECTIONS, Section
from ..model import Report
from .context import Context
from ..source.positioned import Pos

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(.*)$")
OTHER_NUMBER = re.compile(r"^([0-9０-９]+|第[一二三四五六七八九十]+部分)\s*[、.．:：]?\s*(.*)$")  # 1、… 第一部分 …
_NUMERALS = [s.numeral for s in SECTIONS]


def _table_labels() -> set[str]:
    """Every row and row-group label of the formats' tables, without spaces."""
    out = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            for row in table.rows:
                out |= {row.label, *row.groups}
    return {re.sub(r"\s+", "", label) for label in out}


TABLE_LABELS = _table_labels()


@dataclass(frozen=True)
class Heading:
    line: int
    col: int
    level: int
    text: str
    numeral: str | None  # as printed, e.g. 三; None: not numbered
    section: int | None  # index into SECTIONS; None: names none


def headings(report: Report) -> list[Heading]:
    """The narrative's section headings, in order."""
    found = []
    for number, line in enumerate(report.narrative.splitlines(), start=report.narrative_line):
        match = HEADING.match(line) if line[:1] == "#" else None  # ATX headings, as the editors write them
        if not match:
            continue
        text = match.group(2).strip()
        if re.sub(r"\s+", "", text) in TABLE_LABELS:
            continue  # a row of table 三 pasted as a heading, not a section
        numbered = NUMBERED.match(text) or OTHER_NUMBER.match(text)
        numeral = numbered.group(1) if numbered else None
        found.append(Heading(number, line.index(text) + 1 if text else 1, len(match.group(1)), text, numeral,
                             _section(numbered.group(2) if numbered else text, numeral)))
    levels = Counter(h.level for h in found if h.numeral)
    level = min(levels, key=lambda n: (-levels[n], n)) if levels else 2
    # sections are the headings at the level most numbered ones have (deeper ones are sub-items such
    # as "### 一、主要问题" under 五); an unnumbered one counts if it names a section, but not "（一）…"
    return [h for h in found if h.level == level and (h.numeral or (
        h.section is not None and not h.text.startswith(("（", "("))))]


def _section(title: str, numeral: str | None) -> int | None:
    matches = [i for i, s in enumerate(SECTIONS) if any(k in title for k in s.keywords)]
    if numeral in _NUMERALS and _NUMERALS.index(numeral) in matches:
        return _NUMERALS.index(numeral)
    if matches:
        return matches[0]
    return _NUMERALS.index(numeral) if numeral in _NUMERALS else None


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    if report.format is None:
        return
    found = headings(report)
    seen: dict[int, Heading] = {}
    for heading in found:
        if heading.section is None:
            continue
        section = SECTIONS[heading.section]
        where = Pos(heading.line, heading.col)
        cell = f"narrative.section.{heading.section + 1}"
        if heading.section in seen:
            yield diag("narrative/section-repeated", report.path, where, cell, numeral=section.numeral,
                       heading=section.heading, first=seen[heading.section].line)
            continue
        problem = _problem(heading, section, seen)
        if problem:
            yield diag("narrative/section-number", report.path, where, cell, found=heading.text[:30],
                       problem=problem, expected=section.heading)
        seen[heading.section] = heading
    for index, section in enumerate(SECTIONS):
        if index not in seen:
            after = [h for i, h in sorted(seen.items()) if i > index]
            where = Pos(after[0].line, after[0].col) if after else Pos(report.narrative_line, 1)
            yield diag("narrative/section-missing", report.path, where, f"narrative.section.{index + 1}",
                       numeral=section.numeral, heading=section.heading)


def _problem(heading: Heading, section: Section, seen: dict[int, Heading]) -> str | None:
    if heading.numeral is None:
        return "没有编号"
    if heading.numeral != section.numeral:
        return f"编号为“{heading.numeral}”，内容却是第{section.numeral}部分"
    later = [SECTIONS[i].numeral for i in seen if i > heading.section]
    if later:
        return f"出现在第{later[0]}部分之后，顺序不对"
    return None
