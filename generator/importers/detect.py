"""Tell the format of a report from the labels its tables print, never from its year.

The signals are derived from the spec files: a label of one format that neither is nor occurs
inside any label of another format (so 处理决定数量, part of 本年处理决定数量, tells nothing).
A report whose tables show signals of one format only is of that format; none, or both, and the
format is left for the editor to decide (formats.md §9).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..formats import FORMATS
from .labels import all_labels

_MIN_SIGNAL = 4  # shorter labels (规章, 3.其他) occur in ordinary prose


@dataclass(frozen=True)
class Detection:
    format_id: str | None
    found: dict[str, list[str]]  # format id -> its distinctive labels found in the text

    @property
    def conflict(self) -> bool:
        return sum(bool(v) for v in self.found.values()) > 1


def _signals() -> dict[str, set[str]]:
    labels = {fid: all_labels(fmt) for fid, fmt in FORMATS.items()}
    return {fid: {k for k in own if len(k) >= _MIN_SIGNAL
                  and not any(k in other for oid, keys in labels.items() if oid != fid for other in keys)}
            for fid, own in labels.items()}


SIGNALS = _signals()


def detect(table_text_key: str) -> Detection:
    """`table_text_key`: the key (normalize.key) of the text of the table sections."""
    found = {fid: sorted(k for k in keys if k in table_text_key) for fid, keys in SIGNALS.items()}
    present = [fid for fid, hits in found.items() if hits]
    return Detection(present[0] if len(present) == 1 else None, found)
