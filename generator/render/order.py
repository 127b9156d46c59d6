"""The report page in the report's own order: each table under its section heading of the narrative.

The narrative carries the six numbered headings (一、总体情况 … 六、其他需要报告的事项) and sections
二, 三 and 四 hold the format's tables of the same number (formats/sections.yaml). A table goes at the
end of its section, after any prose the section has; a table whose heading the narrative lacks stays
before the narrative, as the form prints it.
"""
from __future__ import annotations

import re

from markupsafe import Markup

from ..formats import SECTIONS, Format

_TABLE_START = '<section class="report-table" id="t-'
_HEADING = re.compile(r'<h([1-3]) id="sec-\d+">(.*?)</h\1>', re.S)
_TABLE_HEADING = re.compile(r"<h2>.*?</h2>\s*", re.S)
_TABLE_SECTIONS = {s.numeral: s for s in SECTIONS if s.table}
_TAG = re.compile(r"<[^>]+>")
_NUMBERED = re.compile(r"\s*([一二三四五六])\s*[、.．]")


def split_tables(tables: str) -> dict[str, str]:
    """The tables' markup (render/layout.py) cut into one piece per table, by table id."""
    pieces = str(tables).split(_TABLE_START)[1:]  # as text: a Markup would escape the joined start
    return {piece.split('"', 1)[0]: _TABLE_START + piece for piece in pieces}


def _section_of(heading_html: str) -> str | None:
    """The numeral of a table-holding section the heading opens, e.g. 二 for 二、主动公开政府信息情况."""
    text = _TAG.sub("", heading_html)
    found = _NUMBERED.match(text)
    section = _TABLE_SECTIONS.get(found.group(1)) if found else None
    return section.numeral if section and any(k in text for k in section.keywords) else None


def arrange(fmt: Format | None, tables: str, narrative: str) -> tuple[Markup, Markup]:
    """(the tables to show before the narrative, the narrative with the other tables in it)."""
    if fmt is None or not tables:
        return Markup(tables), Markup(narrative)
    by_number = {t.number: t.id for t in fmt.tables}
    pieces = split_tables(tables)
    narrative = str(narrative)
    headings = list(_HEADING.finditer(narrative))
    out, at, placed = [], 0, set()
    for i, heading in enumerate(headings):
        numeral = _section_of(heading.group(2))
        table_id = by_number.get(numeral) if numeral else None
        if table_id not in pieces or table_id in placed:
            continue
        end = _section_end(narrative, headings, i)
        out += [narrative[at:end], _TABLE_HEADING.sub("", pieces[table_id], count=1)]
        at = end
        placed.add(table_id)
    out.append(narrative[at:])
    before = "".join(piece for table_id, piece in pieces.items() if table_id not in placed)
    return Markup(before), Markup("".join(out))


def _section_end(narrative: str, headings: list[re.Match], i: int) -> int:
    """Where the section opened by headings[i] ends: at the next heading of its level or above."""
    level = headings[i].group(1)
    for later in headings[i + 1:]:
        if later.group(1) <= level:
            return later.start()
    return len(narrative)
