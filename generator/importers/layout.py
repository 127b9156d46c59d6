"""Turn the lines of a table section into rows of cells, whatever layout the extraction used.

Three layouts occur (formats.md §10.5), and a fourth from PDF text extractions (a label and its
numbers separated by single spaces): cells separated by TAB; cells separated by " | " on one
line; and one cell per line, each row closed by a line holding only "|". Within a line, runs of
two or more spaces also separate cells (padded columns), and a cell of several space-separated
numbers ("0 0 0") is several cells. A cell keeps its index in the line, which tells its column
when the header's cells line up with it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ROW_END = "|"
_SEPARATOR = re.compile(r"\t|[ \u3000]*\|[ \u3000]*|[ \u3000]{2,}")
_NUMBER_RUN = re.compile(r"^[+\-−－]?\d[\d.,]*(?:\s+[+\-−－]?\d[\d.,]*)+$")
_NUMBER = r"[+\-−－]?\d[\d.,]*(?:万元|元)?"
# a PDF text extraction: a label, then its numbers, all separated by single spaces
_LABEL_NUMBERS = re.compile(
    rf"^(?P<label>.*?[^\d\s.,+\-−－].*?)[ \u3000]+(?P<numbers>{_NUMBER}(?:[ \u3000]+{_NUMBER})*)$")
_MAX_LABEL = 40  # longer text before numbers is prose, not a row label
_BLANK_MARKS = {"—", "——", "-", "－", "–", "/", "／", "\\"}  # a cell printed as a dash is blank
_PROSE_END = ("第", "共", "共计", "累计")  # "全年共计 28 条": a sentence, not a label and its number


@dataclass(frozen=True)
class Line:
    number: int  # line number in the source text, for messages
    cells: tuple[str, ...]  # stripped; "" for an empty cell

    @property
    def text(self) -> str:
        return "".join(self.cells)


def rows(lines: list[tuple[int, str]]) -> list[Line]:
    """Rows of cells from (line number, text) pairs of one section."""
    if any(text.strip() == _ROW_END for _, text in lines):
        return _one_cell_per_line(lines)
    return [Line(n, _split(text)) for n, text in lines if text.strip()]


def has_cells(text: str) -> bool:
    """Whether a line is a row of table cells rather than prose."""
    return len(_split(text)) > 1


def _split(text: str) -> tuple[str, ...]:
    cells = []
    for cell in _SEPARATOR.split(text.rstrip("\n")):
        cell = cell.strip()
        if cell in _BLANK_MARKS:
            cells.append("")
            continue
        labelled = _LABEL_NUMBERS.match(cell)
        if _NUMBER_RUN.match(cell):
            cells += cell.split()
        elif labelled and len(labelled["label"]) <= _MAX_LABEL and not labelled["label"].endswith(_PROSE_END):
            cells += [labelled["label"], *labelled["numbers"].split()]
        else:
            cells.append(cell)
    return tuple(cells)


def _one_cell_per_line(lines: list[tuple[int, str]]) -> list[Line]:
    out, cells, first = [], [], None
    for n, text in lines:
        if text.strip() == _ROW_END:
            if cells:
                out.append(Line(first, tuple(cells)))
            cells, first = [], None
        elif text.strip():
            first = first or n
            cells += _split(text)
    if cells:
        out.append(Line(first, tuple(cells)))
    return out
