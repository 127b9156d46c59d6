"""`nianbao import`: a published report (web page, PDF, Word, text) → a report file for content/.

documents (the kind, the encoding; HTML, Word and PDF become lines, table rows as TAB-separated
grids) → normalize (one form of the text) → sections (title, preface, six sections) → detect (format from
the labels) → layout + tables (cells, per table) → narrative (markdown) → issues (a known_issues
entry for every cell left blank). A cell is read from the text or it is null; never made up, except
a blank that the format's sum rules leave exactly one possible value (generator.deduce), which is
filled and listed under `deduced`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.deduce import cell_name, deduce
from ..formats import get_format
from ..reportfile import ReportFile
from . import layout, metadata, narrative
from .detect import Detection, detect
from .documents import KINDS, DocumentError, read
from .issues import known_issues
from .normalize import clean, key
from .sections import split
from .tables import read_table

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# a page number on a line of its own; a bare digit is not one (the one-cell-per-line layout prints cells so)
_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-—–]+[ \t]*\d+[ \t]*[-—–]+|第[ \t]*\d+[ \t]*页(?:[ \t]*[，,]?[ \t]*共[ \t]*\d+[ \t]*页)?)"
                          r"[ \t]*$", re.M)


class UnreadableText(Exception):
    """The text cannot become a report file (no year); the message says what to do."""


@dataclass
class Imported:
    report: ReportFile
    detection: Detection
    traditional: bool
    unread: int = 0  # cells left null
    remarks: list[str] = field(default_factory=list)
    kind: str = "text"
    body_name: str | None = None
    published_from: str | None = None  # where the publication date was read
    read: int = 0  # cells read from the document

    @property
    def missing(self) -> list[str]:
        """What the document did not say, for the summary."""
        return [what for what, found in (("发布日期", self.report.published), ("机关名称", self.body_name),
                                         ("表格格式", self.report.format)) if not found]


def import_file(path: Path, year: int | None = None, format_id: str | None = None,
                source: str | None = None) -> Imported:
    """Import any document; DocumentError or UnreadableText (a Chinese message) when it cannot be."""
    document = read(path)
    return import_text(document.text, path.name, year, format_id, source=source, kind=document.kind)


def import_text(text: str, source_name: str, year: int | None = None, format_id: str | None = None,
                source: str | None = None, kind: str = "text") -> Imported:
    text, traditional = clean(text)
    text = _PAGE_NUMBER.sub("", text)  # "— 3 —" / "第 3 页" copied from a PDF's footer
    parts = split(text)
    year = year or _year(parts.title)
    if year is None:
        raise UnreadableText(f"无法从标题“{parts.title}”中读出年度，请用 --year 指定")
    table_parts = [p for p in parts.parts if p.section.table]
    detection = detect(key("".join(line for p in table_parts for _, line in p.lines)))
    fmt = get_format(format_id or detection.format_id or "")
    if fmt is None and not parts.parts and kind != "text":
        raise UnreadableText("没有找到年度报告的表格或章节标题（一、总体情况……），不像政府信息公开工作年度报告")
    provenance = f"据原文{KINDS[kind]}导入（{source_name}），请逐格核对。"
    report = ReportFile(parts.title, year, fmt, "", provenance=provenance)
    report.source = source
    imported = Imported(report, detection, traditional, kind=kind, body_name=metadata.body_name(parts.title, year))
    _meta(imported, parts, text)
    if fmt:
        _tables(imported, fmt, parts)
    report.narrative = _narrative(parts, keep_tables=fmt is None)
    return imported


def _tables(imported: Imported, fmt, parts) -> None:
    """Read every table; fill the blanks the sum rules force (marked deduced); explain the rest."""
    report, notes = imported.report, {}
    for table in fmt.tables:
        part = parts.part(table.number)
        read = read_table(table, layout.rows(part.lines if part else []))
        report.tables[table.id] = read.rows
        report.remarks.update({(table.id, r): f"原文: {p}" for r, p in read.printed.items()})
        notes[table.id] = read.notes
        imported.read += sum(v is not None for cells in read.rows.values() for v in cells)
        imported.remarks += read.remarks
    for forced in deduce(fmt, report.tables):
        table, row, index = forced.cell
        report.tables[table][row][index] = forced.value
        report.deduced.append({"cell": cell_name(fmt, forced.cell), "rule": forced.rule})
        notes[table].pop((row, fmt.table(table).block_of(row).columns[index].id), None)
    for table in fmt.tables:
        report.known_issues += known_issues(table, notes[table.id])
        imported.unread += len(notes[table.id])


def _meta(imported: Imported, parts, text: str) -> None:
    """The publication date; the lines of page furniture under the title left out of the narrative."""
    head = [line for _, line in parts.preface[:8]]
    tail = [line for line in text.rstrip().split("\n")[-6:]]
    imported.report.published, imported.published_from = metadata.published(head, tail)
    parts.preface[:] = [(n, line) for i, (n, line) in enumerate(parts.preface)
                        if not (i < 8 and metadata.is_meta(line))]


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


__all__ = ["DocumentError", "Imported", "UnreadableText", "import_file", "import_text"]
