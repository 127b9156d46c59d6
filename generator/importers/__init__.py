"""`nianbao import`: the plain text of a published report → a report file for content/.

normalize (one form of the text) → sections (title, preface, six sections) → detect (format from
the labels) → layout + tables (cells, per table) → narrative (markdown) → issues (a known_issues
entry for every cell left blank). A cell is read from the text or it is null; never made up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formats import get_format
from ..reportfile import ReportFile
from . import layout, narrative
from .detect import Detection, detect
from .issues import known_issues
from .normalize import clean, key
from .sections import split
from .tables import read_table

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


class UnreadableText(Exception):
    """The text cannot become a report file (no year); the message says what to do."""


@dataclass
class Imported:
    report: ReportFile
    detection: Detection
    traditional: bool
    unread: int = 0  # cells left null
    remarks: list[str] = field(default_factory=list)


def import_text(text: str, source_name: str, year: int | None = None, format_id: str | None = None) -> Imported:
    text, traditional = clean(text)
    parts = split(text)
    year = year or _year(parts.title)
    if year is None:
        raise UnreadableText(f"无法从标题“{parts.title}”中读出年度，请用 --year 指定")
    table_parts = [p for p in parts.parts if p.section.table]
    detection = detect(key("".join(line for p in table_parts for _, line in p.lines)))
    fmt = get_format(format_id or detection.format_id or "")
    report = ReportFile(parts.title, year, fmt, "", provenance=f"据原文纯文本导入（{source_name}），请逐格核对。")
    imported = Imported(report, detection, traditional)
    for table in fmt.tables if fmt else ():
        part = parts.part(table.number)
        read = read_table(table, layout.rows(part.lines if part else []))
        report.tables[table.id] = read.rows
        report.remarks.update({(table.id, r): f"原文: {p}" for r, p in read.printed.items()})
        report.known_issues += known_issues(table, read.notes)
        imported.unread += len(read.notes)
        imported.remarks += read.remarks
    report.narrative = _narrative(parts, keep_tables=fmt is None)
    return imported


def _year(title: str) -> int | None:
    m = _YEAR.search(title)
    return int(m.group(1)) if m else None


def _narrative(parts, keep_tables: bool) -> str:
    blocks = narrative.blocks([line for _, line in parts.preface])
    for part in parts.parts:
        lines = [line for _, line in part.lines]
        if part.section.table and not keep_tables:  # the table is in the front matter; keep its prose
            lines = [line for line in lines if "。" in line and not layout.has_cells(line)]
        blocks += [f"## {part.heading}", *narrative.blocks(lines)]
    return "\n" + "\n\n".join(blocks) + "\n"


__all__ = ["Imported", "UnreadableText", "import_text"]
