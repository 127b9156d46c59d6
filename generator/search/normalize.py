"""One spelling for search: traditional characters become simplified, Latin capitals small letters.

The table comes from OpenCC's character data (TSCharacters.txt, traditional -> simplified), shipped
with the pinned opencc-python-reimplemented package; it is built when the site is, applied to the
indexed text here and served in site/ for the search page to apply to the query, so both sides
spell alike: 重複申請 (or 重复申請) finds 重复申请. Each character maps to one character, so
positions in the text and in its normalised form agree; several traditional characters may share
one simplified form (發 and 髮 -> 发, 後 -> 后, 幹 -> 干), which is what a reader of either expects.

A few characters are simplified characters in their own right as well as the traditional form of
another (OpenCC lists them among their own simplified forms): 乾 in 乾隆 but 干 in 乾淨, 於 as a
surname but 于 in 關於, 覆, 瞭, 藉 … Mapping them would make 干部 find every text with 乾隆, so the
text keeps them as written (they are `alternatives`, not in `table`), and the search page tries
each reading of a query instead: 乾隆 looks for 乾隆 or 干隆, 關於 for 关於 or 关于, while 干 finds
only 干.
"""
from __future__ import annotations

import json
import string
from functools import lru_cache
from pathlib import Path

import opencc

TABLE_FILE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


def _entries() -> list[tuple[str, list[str]]]:
    """(traditional character, its one-character simplified forms in OpenCC's order), where they differ."""
    out = []
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        choices = [c for c in targets.split() if len(c) == 1]
        if len(source) == 1 and choices and choices != [source]:
            out.append((source, choices))
    return out


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Character -> the character it is searched as (only those that change, always)."""
    out = dict(zip(string.ascii_uppercase, string.ascii_lowercase))
    out.update((source, choices[0]) for source, choices in _entries() if source not in choices)
    return out


@lru_cache(maxsize=1)
def alternatives() -> dict[str, list[str]]:
    """Character kept as written -> the other characters a query holding it may mean (乾 -> [干])."""
    return {source: [c for c in choices if c != source] for source, choices in _entries() if source in choices}


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(k): v for k, v in table().items()}


def normalize(text: str) -> str:
    return text.translate(_translation())


def table_json() -> bytes:
    return json.dumps({"table": table(), "alternatives": alternatives()}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True).encode("utf-8")
