"""Cut Chinese text into words the way the browser will cut a query.

Pagefind's search script splits a Chinese query with the browser's ICU word segmenter
(`Intl.Segmenter`); its indexer splits page text with a different segmenter, so a word can be
cut one way in the index and another way in the query and never match. We therefore cut the
indexed text ourselves with ICU (icu4py) and mark every word boundary with a zero-width space,
which the extended indexer treats as a break. The visible pages never contain these marks: only
the index documents do (see records.py).
"""
from __future__ import annotations

from icu4py.breakers import WordBreaker

ZWSP = "\u200b"


def segment(text: str) -> str:
    """`text` with a zero-width space at every ICU word boundary that has no whitespace already."""
    out: list[str] = []
    for word in WordBreaker(text, "zh"):
        if out and not word[:1].isspace() and not out[-1][-1:].isspace():
            out.append(ZWSP)
        out.append(word)
    return "".join(out)
