"""Numbers as a narrative writes them: 258, 1,234, ２５８, 9.63211, 一百二十三, 两, 十五, 一千零五.

Reports state figures in Arabic digits (half- or full-width, with or without thousands separators)
or in Chinese numerals; both read to the same value here, so the prose can be compared with a cell.
"""
from __future__ import annotations

from decimal import Decimal

ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万]+"
NUMBER = f"(?:{ARABIC}|{CHINESE})"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_WIDE = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_number(text: str) -> int | Decimal | None:
    """The value of `text`, or None if it is not a well-formed number (e.g. 十十, 三二)."""
    if text and text[0] in _DIGITS or text[:1] in _SMALL or text[:1] == "万":
        return parse_chinese(text)
    plain = text.translate(_WIDE).replace(",", "").replace("，", "")
    try:
        value = Decimal(plain)
    except ArithmeticError:
        return None
    return int(value) if "." not in plain else value


def parse_chinese(text: str) -> int | None:
    """一百二十三 → 123, 十五 → 15, 两 → 2, 一千零五 → 1005, 三万二千 → 32000; a bare run of digits
    (二〇二三) reads digit by digit. None for what is not a numeral (十十, 三二)."""
    if text and all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    total, section, digit, last_unit = 0, 0, None, 10**9
    for char in text:
        if char in _DIGITS:
            if digit is not None and _DIGITS[char] != 0:
                return None  # two digits in a row (三二) inside a numeral with units
            digit = _DIGITS[char] or None  # 零 only marks a skipped place (一千零五)
        elif char in _SMALL:
            unit = _SMALL[char]
            if unit >= last_unit:
                return None  # places must fall: 十十, 十百
            section += (1 if digit is None else digit) * unit  # 十五: 十 alone is 一十
            digit, last_unit = None, unit
        elif char == "万":
            if total:
                return None
            section += digit or 0
            if not section:
                return None
            total, section, digit, last_unit = section * 10000, 0, None, 10**9
        else:
            return None
    return total + section + (digit or 0)
