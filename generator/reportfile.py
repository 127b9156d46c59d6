"""Write a report file (`<year>.md`) in the layout of content/: front matter, then the narrative.

Shared by `nianbao new` and `nianbao import`. Rows are flow lists in the printed column order;
every table and block carries its Chinese labels as YAML comments so an editor can fill the cells
without the form at hand.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from .formats import Format


@dataclass
class ReportFile:
    title: str
    year: int
    format: Format | None  # None: format none, narrative only
    narrative: str
    provenance: str | None = None
    known_issues: list[dict] = field(default_factory=list)  # {rule, cell, note}
    tables: dict[str, dict[str, list]] = field(default_factory=dict)  # table -> row -> values
    remarks: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row) -> comment
    published: datetime.date | None = None
    source: str | None = None  # the address the document came from
    deduced: list[dict] = field(default_factory=list)  # {cell, rule}: blanks the sum rules force


# Characters a written file must not hold: C0 controls but tab and newline, DEL, C1 controls (NEL
# included: YAML reads it as a line break), and what YAML cannot print (surrogates, U+FFFE, U+FFFF).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """The text without control characters (NUL, ESC …), so that YAML can always read it back."""
    return CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def scalar(value) -> str:
    """A YAML scalar on one line: plain where that reads back the same, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = clean(str(value))
    plain = text and "#" not in text and ": " not in text and text == text.strip() and "\n" not in text
    try:
        if plain and yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def render(report: ReportFile) -> str:
    fmt = f'"{report.format.id}"' if report.format else "none"
    lines = ["---", f"title: {scalar(report.title)}", f"year: {report.year}", f"format: {fmt}"]
    if report.published:
        lines.append(f"published: {report.published.isoformat()}")
    if report.source:
        lines.append(f"source: {scalar(report.source)}")
    if report.provenance:
        lines.append(f"provenance: {scalar(report.provenance)}")
    if report.known_issues:
        lines.append("known_issues:")
        for issue in report.known_issues:
            lines += [f"  - rule: {issue['rule']}", f"    cell: {issue['cell']}", f"    note: {scalar(issue['note'])}"]
    if report.deduced:
        lines.append("deduced:  # 原文空白、据勾稽关系推得的格（唯一可能的值）")
        lines += [f"  - {{cell: {d['cell']}, rule: {d['rule']}}}" for d in report.deduced]
    for table in report.format.tables if report.format else ():
        lines += _table(report, table)
    lines.append("---")
    return "\n".join(lines) + "\n" + clean(report.narrative)


def _table(report: ReportFile, table) -> list[str]:
    rows = report.tables.get(table.id, {})
    width = max(len(r.id) for r in table.rows) + 1
    lines = [f"# 表{table.number} {table.title}", f"{table.id}:"]
    for block in table.blocks:
        lines.append(f"  # {block.label + ' ' if block.label else ''}列：{' | '.join(_column_labels(block))}")
        for row in block.rows:
            if row.id not in rows:
                continue
            values = ", ".join(map(scalar, rows[row.id]))
            remark = report.remarks.get((table.id, row.id))
            comment = clean(row.full_label + (f"；{remark}" if remark else "")).replace("\n", " ")
            lines.append(f"  {(row.id + ':').ljust(width)} [{values}]  # {comment}")
    return lines


def _column_labels(block) -> list[str]:
    """Each column's label, with its groups where the label alone repeats (结果维持 ×3)."""
    plain = [c.label for c in block.columns]
    return [c.label if plain.count(c.label) == 1 else c.full_label for c in block.columns]
