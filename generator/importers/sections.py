"""Split a report's text into its title, the preface and the six numbered sections.

A line is a section heading when it starts with the numeral of a section still to come, names one
of that section's keywords (sections.yaml), is short, holds no table cells and is not a row label
of a table: table 三 has rows headed 三、本年度办理结果 and 四、结转下年度继续办理 (formats.md §3).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formats import FORMATS, SECTIONS, Section
from . import metadata
from .labels import all_labels
from .normalize import join_words, key

_MAX_HEADING = 40
_MAX_TITLE_LINE = 40
_TITLE_WINDOW = 30  # the title is among the first lines of a page
_TABLE_CELLS = re.compile(r"\t|\|")
_ROW_LABELS = set().union(*(all_labels(f) for f in FORMATS.values()))

Numbered = tuple[int, str]  # (line number, text)


@dataclass
class Part:
    section: Section
    heading: str  # as printed
    lines: list[Numbered] = field(default_factory=list)


@dataclass
class Split:
    title: str
    preface: list[Numbered]
    parts: list[Part]

    def part(self, numeral: str) -> Part | None:
        return next((p for p in self.parts if p.section.numeral == numeral), None)


def split(text: str) -> Split:
    lines = list(enumerate(text.split("\n"), start=1))
    title, rest = _title(lines)
    preface, parts, next_section = [], [], 0
    for n, line in rest:
        found = _heading(line, next_section)
        if found is not None:
            parts.append(Part(SECTIONS[found], join_words(line.strip())))
            next_section = found + 1
        else:
            (parts[-1].lines if parts else preface).append((n, line))
    return Split(title, preface, parts)


def _title(lines: list[Numbered]) -> tuple[str, list[Numbered]]:
    """The line naming the report (metadata.title_index), with a body line just above it; lines
    above those are page furniture and dropped. Without such a line: the first lines up to the one
    naming a report (报告), e.g. "虎林市宝东镇人民政府" / "2024 年…报告"."""
    texts = [line for _, line in lines]
    first_heading = next((i for i, t in enumerate(texts) if _heading(t, 0) is not None), len(texts))
    limit = min(first_heading, _TITLE_WINDOW)
    at = metadata.title_index(texts, limit)
    wrapped = metadata.wrapped_title(texts, limit)
    if wrapped is not None and (at is None or wrapped < at or not metadata.has_year(texts[at])):
        return metadata.clean_title(texts[wrapped].strip() + texts[wrapped + 1].strip()), lines[wrapped + 2:]
    if at is not None:
        above = next((i for i in range(at - 1, -1, -1) if texts[i].strip()), None)
        start = above if above is not None and metadata.body_line(texts[above]) else at
        title = " ".join(t.strip() for t in texts[start:at + 1] if t.strip())
        return metadata.clean_title(title), lines[at + 1:]
    taken, i = [], 0
    while i < len(lines):
        n, line = lines[i]
        text = line.strip()
        i += 1
        if not text:
            continue
        if _heading(text, 0) is not None or (taken and len(text) > _MAX_TITLE_LINE):
            i -= 1
            break
        taken.append(text)
        if "报告" in text or len(taken) == 3:
            break
    return " ".join(taken), lines[i:]


def _heading(line: str, next_section: int) -> int | None:
    text = line.strip()
    if len(text) > _MAX_HEADING or _TABLE_CELLS.search(text) or key(text) in _ROW_LABELS:
        return None
    for i in range(next_section, len(SECTIONS)):
        section = SECTIONS[i]
        m = re.match(rf"^{section.numeral}\s*[、.．,，]\s*(\S.*)$", text)
        if m and any(k in m.group(1) for k in section.keywords):
            return i
    return None
