"""known_issues entries for the cells the importer left blank: one per row and reason.

A whole row blank for one reason is `table.row.*`; some columns of a row, `table.row.col` each,
or `table.row.prefix_*` when those are exactly the columns sharing a prefix (review_*).
"""
from __future__ import annotations

from ..formats import Table

RULE = "cell/null"


def known_issues(table: Table, notes: dict[tuple[str, str], str]) -> list[dict]:
    out = []
    for row in table.rows:
        columns = [c.id for c in table.block_of(row.id).columns]
        by_note: dict[str, list[str]] = {}
        for column in columns:
            if (row.id, column) in notes:
                by_note.setdefault(notes[(row.id, column)], []).append(column)
        for note, blank in by_note.items():
            out += [{"rule": RULE, "cell": f"{table.id}.{row.id}.{pattern}", "note": note}
                    for pattern in _patterns(blank, columns)]
    return out


def _patterns(blank: list[str], columns: list[str]) -> list[str]:
    if blank == columns:
        return ["*"]
    prefix = blank[0].rsplit("_", 1)[0] + "_" if "_" in blank[0] else None
    if prefix and len(blank) > 1 and blank == [c for c in columns if c.startswith(prefix)]:
        return [prefix + "*"]
    return blank
