"""Cut Chinese text into words the way the browser will cut a query.

Pagefind's search script splits a Chinese query with the browser's ICU word segmenter
(`Intl.Segmenter`); its indexer splits page text with a different segmenter, so a word can be
cut one way in the index and another way in the query and never match. We therefore cut the
indexed text ourselves with ICU (icu4py) and mark every word boundary with a zero-width space,
which the extended indexer treats as a break. The visible pages never contain these marks: only
the index documents do (see records.py).
"""
from __future__ import annotations

import re

from icu4py.breakers import WordBreaker

ZWSP = "\u200b"


_BESIDE_SPACE = re.compile(rf"{ZWSP}(?=\s)|(?<=\s){ZWSP}")


def segment(text: str) -> str:
    """`text` with a zero-width space at every ICU word boundary that has no whitespace already."""
    # joined and cleaned in C: a loop over the words in Python cost more than ICU's cutting
    return _BESIDE_SPACE.sub("", ZWSP.join(WordBreaker(text, "zh")))
