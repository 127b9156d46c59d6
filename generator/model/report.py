"""A report after parsing against its format spec."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import NamedTuple

from ..formats import Format
from ..source.positioned import Pos

Number = int | Decimal


class Cell(NamedTuple):  # a tuple: one is made per cell
    value: Number | None  # None: blank or unreadable in the source
    pos: Pos


@dataclass(frozen=True)
class KnownIssue:
    """A fault of the original, acknowledged by the editor: `cell` may use * (any part)."""

    rule: str
    cell: str
    note: str
    pos: Pos

    def covers(self, rule: str, cell: str | None) -> bool:
        return rule == self.rule and cell is not None and fnmatchcase(cell, self.cell)


@dataclass
class ReportMeta:
    """What lists of reports need: a report without its cells, known issues or narrative."""
    path: str
    folder: tuple[str, ...]  # the body's folder slugs
    year: int
    format: Format | None  # None: a report in no national table format (narrative only)
    meta: dict[str, object]  # the front matter's metadata keys (model/fields.py)
    # "table.row.column" -> (rule, Pos): blanks the rules force; the downloads carry the mark too
    deduced: dict[str, tuple[str, Pos]] = field(default_factory=dict, kw_only=True)

    @property
    def title(self) -> str:
        return self.meta["title"]


@dataclass
class Report(ReportMeta):
    tables: dict[str, dict[str, list[Cell]]] = field(default_factory=dict)
    known_issues: list[KnownIssue] = field(default_factory=list)
    narrative: str = ""
    narrative_line: int = 1
    key_pos: dict[tuple[str | int, ...], Pos] = field(default_factory=dict)  # front-matter path -> Pos of its key

    def metadata(self) -> ReportMeta:
        return ReportMeta(self.path, self.folder, self.year, self.format, self.meta, deduced=self.deduced)

    def row(self, table: str, row: str) -> list[Cell] | None:
        return self.tables.get(table, {}).get(row)

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        """The cell at table.row.column, or None where the report or its format has no such cell."""
        cells = self.row(table, row)
        if cells is None:
            return None
        index = self.format.table(table).block_of(row).column_indexes.get(column)
        return None if index is None else cells[index]
