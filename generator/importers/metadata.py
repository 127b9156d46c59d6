"""What a report says about itself besides its tables: title, body, publication date.

The title is the line naming the annual report (年度报告, 年报), not page furniture printed above
it; a short line just above naming a body (…人民政府) belongs to it. The publication date is read
from 发布日期/发布时间 near the title, a date printed alone under the title, or else the signature
date at the end (2024年1月25日, 二〇二四年一月二十五日, 2024-01-25).
"""
from __future__ import annotations

import datetime
import re

_TITLE = re.compile(r"年度报告|年报")
_MAX_TITLE = 80
_BODY_END = re.compile(r"(政府|办公室|办公厅|局|委员会|委|镇|乡|街道|办事处|厅|院|中心|管委会|公司|所|站|队|会)$")
_MAX_BODY_LINE = 30
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_FURNITURE = re.compile(r"[>＞»|｜\t]|当前位置|您的位置|首页")
_CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789"))
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?"
_CN_DATE = r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
_LABELLED = re.compile(rf"(?:发布日期|发布时间|成文日期|印发日期|日期|时间)\s*[:：]\s*{_DATE}")
_ALONE = re.compile(rf"^[（(]?\s*(?:{_DATE}|{_CN_DATE})\s*[)）]?$")
_META_LINE = re.compile(r"(发布日期|发布时间|浏览次数|阅读次数|来源[:：]|字号[:：])")


def title_index(lines: list[str], limit: int) -> int | None:
    """Index of the line naming the report among the first `limit` lines (before any section):
    one naming its year first (a menu or breadcrumb names the column 政府信息公开年报 without one)."""
    candidates = [i for i, line in enumerate(lines[:limit]) if _titleish(line.strip())]
    dated = [i for i in candidates if _YEAR.search(lines[i])]
    return (dated or candidates or [None])[0]


def wrapped_title(lines: list[str], limit: int) -> int | None:
    """Index of a title broken over two lines by a narrow page ("…2020 年政府信息公开工" / "作年度报告")."""
    for i, line in enumerate(lines[:limit - 1]):
        text, rest = line.strip(), lines[i + 1].strip()
        if (_YEAR.search(text) and "信息公开" in text and not _TITLE.search(text) and not _FURNITURE.search(text)
                and 0 < len(rest) <= 12 and _TITLE.search(text[-4:] + rest)):
            return i
    return None


def has_year(text: str) -> bool:
    return bool(_YEAR.search(text))


def _titleish(text: str) -> bool:
    return (bool(_TITLE.search(text)) and len(text) <= _MAX_TITLE and not _META_LINE.search(text)
            and not _FURNITURE.search(text))


def body_line(line: str) -> bool:
    """A short line naming a body, printed above the title (虎林市宝东镇人民政府)."""
    text = line.strip()
    return 0 < len(text) <= _MAX_BODY_LINE and bool(_BODY_END.search(text)) and not re.search(r"[:：>|]", text)


def clean_title(text: str) -> str:
    """A window title's site suffix dropped: "…年度报告_某县人民政府门户网站"."""
    m = re.match(r"^(.*?(?:年度报告|年报))\s*[_|｜—-]+.*$", text)
    return m.group(1) if m else text


def body_name(title: str, year: int | None) -> str | None:
    m = re.match(rf"^(.+?)\s*(?:{year}|\d{{4}})\s*年", title) if year else None
    name = m.group(1).strip(" 关于") if m else None
    return name or None


def is_meta(line: str) -> bool:
    """A line of page furniture under the title: 发布日期：… 来源：… 浏览次数：…"""
    return bool(_META_LINE.search(line)) and len(line.strip()) <= 120


def published(head: list[str], tail: list[str]) -> tuple[datetime.date | None, str | None]:
    """(date, where it was read) from the lines under the title, else the signature at the end."""
    for line in head:
        m = _LABELLED.search(line)
        if m and (d := _date(*m.groups())):
            return d, "发布日期"
    for line in head[:2]:
        if (m := _ALONE.match(line.strip())) and (d := _date(*_parts(m))):
            return d, "标题下的日期"
    for line in reversed(tail):
        if (m := _ALONE.match(line.strip())) and (d := _date(*_parts(m))):
            return d, "落款日期"
    return None, None


def _parts(m) -> tuple:
    if m.group(1):
        return m.group(1), m.group(2), m.group(3)
    return _cn_number(m.group(4), True), _cn_number(m.group(5)), _cn_number(m.group(6))


def _cn_number(text: str, digits: bool = False) -> str:
    if digits:
        return "".join(_CN_DIGITS[c] for c in text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str(int(_CN_DIGITS.get(tens, "1") if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0))
    return _CN_DIGITS[text]


def _date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
