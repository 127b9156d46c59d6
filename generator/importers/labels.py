"""Match printed labels to the format spec's rows and columns.

Every label comes from the spec (`label` and `aliases`); matching compares `normalize.key`s, so
punctuation, spacing and full-width forms never matter. A printed label may carry its group in
front ("（三）不予公开 1.属于国家秘密"), be cut by a line wrap ("…需要另行制" / "作"), or be
damaged ("本年发件"); a match must be unambiguous.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from ..formats import Format, Table
from .normalize import key

_MIN_WRAPPED = 4  # a wrapped label keeps at least this many characters on its first line
_FUZZY = 0.8


def score(text: str, label: str) -> float:
    """How well printed text (a key) names a label (a key): 1 exact, 0 not at all."""
    if not text or not label:
        return 0.0
    if text == label:
        return 1.0
    if len(label) >= 2 and text.endswith(label):
        return 0.95  # the group label printed in front of the item
    if label.startswith(text) and len(text) >= max(_MIN_WRAPPED, 0.6 * len(label)):
        return 0.9  # cut by a line wrap
    ratio = SequenceMatcher(None, text, label).ratio()
    return 0.85 * ratio if ratio >= _FUZZY else 0.0


def best(text: str, candidates: dict) -> tuple[object | None, float]:
    """The one candidate (of {item: [label keys]}) that `text` names best, if unambiguous."""
    scored = sorted(((max(score(text, k) for k in keys), i) for i, (item, keys) in enumerate(candidates.items())),
                    reverse=True)
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None, 0.0
    items = list(candidates)
    return items[scored[0][1]], scored[0][0]


def row_keys(table: Table) -> dict:
    """{row: [keys of its printed label and aliases]} for every row of a table."""
    return {row: [key(row.label), *map(key, row.aliases)] for row in table.rows}


def column_keys(column) -> list[str]:
    return [key(column.label), *map(key, column.aliases)]


def all_labels(fmt: Format) -> set[str]:
    """Keys of every label printed on the format's tables: rows, groups, columns, blocks."""
    out = set()
    for table in fmt.tables:
        for block in table.blocks:
            out |= {key(block.label or ""), key(block.stub or "")}
            for column in block.columns:
                out |= {*column_keys(column), *map(key, column.groups)}
            for row in block.rows:
                out |= {key(row.label), *map(key, row.aliases), *map(key, row.groups)}
    return out - {""}
