"""The metadata keys of a report's front matter: one place that says what each means."""
from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str
    types: tuple[type, ...]
    required: bool = False
    hint: str = ""


FIELDS: dict[str, Field] = {
    "title": Field("报告标题（按原文）", (str,), required=True, hint="应为文字"),
    "year": Field("报告年度", (int,), required=True, hint="应为四位数年份，如 2024"),
    "format": Field("表格格式", (str, int), required=True, hint="应为 \"2019\"、\"2021\" 或 none"),
    "published": Field("发布日期", (datetime.date,), hint="应为日期，如 2025-01-20"),
    "source": Field("原文网址", (str,), hint="应为以 http:// 或 https:// 开头的网址"),
    "provenance": Field("来源说明", (str,), hint="应为文字"),
    "known_issues": Field("原文已知问题", (list,), hint="应为列表，每项含 rule、cell、note"),
    "deduced": Field("据勾稽关系推得的格", (list,), hint="应为列表，每项含 cell、rule"),
}

NO_FORMAT = "none"  # reports before 2019 follow no national table format: narrative only
