"""Text normalisation before anything is matched: one form for every copy of a report.

Real extractions differ in ways that carry no meaning (formats.md §10): traditional-character
mirrors, full-width vs ASCII punctuation and digits, stray spaces inside words, zero-width
characters. `clean` fixes the text itself (traditional → simplified only when the copy is
traditional); `key` reduces a label to its letters and digits, so that labels compare equal
whatever punctuation or spacing the copy used.
"""
from __future__ import annotations

import re
import unicodedata

from opencc import OpenCC

_T2S = OpenCC("t2s")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# PDF fonts often map common characters to radical code points (⼈ U+2F08 for 人, ⺠ U+2EA0 for 民):
# the Kangxi radicals have a compatibility form; the supplement's few frequent ones are listed
_RADICALS = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
_RADICALS.update({ord(a): b for a, b in zip("⺠⻓⻔⻢⻛⻜⻋⻅⻆⻚⻉⻊⻄⺟⻈⻝⻥⻦",
                                             "民长门马风飞车见角页贝赤西母讠食鱼鸟")})
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_SPACE_IN_WORD = re.compile(rf"(?<={_CJK})[ \u3000\u00a0]+(?={_CJK})")
# a traditional copy changes on conversion in many places; a simplified one in none or very few
_TRADITIONAL_SHARE = 0.02


def is_traditional(text: str) -> bool:
    cjk = re.findall(_CJK, text)
    changed = sum(a != b for a, b in zip(text, _T2S.convert(text)))
    return bool(cjk) and changed / len(cjk) >= _TRADITIONAL_SHARE


def clean(text: str) -> tuple[str, bool]:
    """(normalised text, whether it was converted from traditional characters)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE).translate(_RADICALS)
    text = unicodedata.normalize("NFC", text)
    traditional = is_traditional(text)
    return (_T2S.convert(text) if traditional else text), traditional


def join_words(line: str) -> str:
    """Drop spaces an extraction put between two Chinese characters ("影 响" → "影响")."""
    return _SPACE_IN_WORD.sub("", line)


def key(label: str) -> str:
    """A label reduced to letters and digits: （一）予以公开 and (一) 予以公开 both give 一予以公开."""
    text = unicodedata.normalize("NFKC", label)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
