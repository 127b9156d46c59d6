"""One spelling for search: traditional characters become simplified, Latin capitals small letters.

The table comes from OpenCC's character data (TSCharacters.txt, traditional -> simplified), shipped
with the pinned opencc-python-reimplemented package; it is built when the site is, applied to the
indexed text here and served in site/ for the search page to apply to the query, so both sides
spell alike: 重複申請 (or 重复申請) finds 重复申请. Each character maps to one character, so
positions in the text and in its normalised form agree; where OpenCC offers several simplified
forms, its first is taken (於 -> 于, 乾 -> 干) on both sides, so 屬於 finds 属于; the price is that
the few characters written alike in both scripts but simplified in some words (乾隆) are also found
by their simplified form (干).
"""
from __future__ import annotations

import json
import string
from functools import lru_cache
from pathlib import Path

import opencc

TABLE_FILE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Character -> the character it is searched as (only those that change)."""
    out = dict(zip(string.ascii_uppercase, string.ascii_lowercase))
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        choices = targets.split()
        if len(source) == 1 and choices and len(choices[0]) == 1 and choices[0] != source:
            out[source] = choices[0]
    return out


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(k): v for k, v in table().items()}


def normalize(text: str) -> str:
    return text.translate(_translation())


def table_json() -> bytes:
    return json.dumps(table(), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
