"""The data page (/data/): the downloads with their real sizes, and the data dictionary of every
format (tables, rows, columns, units, kinds, sum rules), all read from the format spec."""
from __future__ import annotations

from typing import Callable

from ..archive import Archive
from ..diagnostics import CATALOGUE, SEVERITY_WORD
from . import columnar, wide
from .csvfile import COLUMNS
from .jsonout import JSONObject
from .records import table_columns
from ..formats import FORMATS, Format, Rule, Table
from ..formats.spec import KINDS
from .. import urls
from ..pages.page import Page

KIND_LABELS = {"count": "件数：不小于 0 的整数", "change": "增减：整数，可为负",
               "money": "金额：不小于 0，可有小数"}
assert set(KIND_LABELS) == KINDS
SCOPE = {"column": "每一列", "row": "每一行"}


def data_page(archive: Archive, size: Callable[[str], int], downloads: list[tuple[str, str]]) -> Page:
    """`size`: the byte size of a file of the site by path, so the page shows what is served;
    `downloads`: (label, URL) of each download (see outputs.py)."""
    return Page(urls.DATA_URL, "data.html", {
        "downloads": [(label, url, human_size(size(urls.output_path(url)))) for label, url in downloads],
        "example": next(((urls.report_url(r), urls.report_json_url(r)) for r in archive.reports), None),
        "csv_columns": COLUMNS, "parquet_types": columnar.types(),
        "wide_lead": wide.LEAD, "wide_example": wide.example(),
        "formats": [format_dictionary(f) for f in FORMATS.values()],
        "kinds": KIND_LABELS,
        "checks": [(rule, SEVERITY_WORD[entry["severity"]], entry["title"]) for rule, entry in CATALOGUE.items()],
    }, "data page")


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} 字节"


def format_dictionary(fmt: Format) -> JSONObject:
    return {"format": fmt, "schema": urls.schema_url(fmt.id),
            "rules": [rule_entry(fmt, r) for r in fmt.rules],
            "expected_zero": [(fmt.table(z["table"]), fmt.table(z["table"]).row(z["row"]), z["unless_level"])
                              for z in fmt.expected_zero]}


def rule_entry(fmt: Format, rule: Rule) -> JSONObject:
    table = fmt.table(rule.table)
    return {"rule": rule.rule, "title": CATALOGUE[rule.rule]["title"], "table": table, "scope": SCOPE[rule.for_each],
            "labels": _equation(rule, lambda t: _label(table, rule, t.id), "上年"),
            "ids": _equation(rule, lambda t: t.id, "last_year.")}


def _label(table: Table, rule: Rule, term_id: str) -> str:
    return table.row(term_id).short if rule.for_each == "column" else table_columns(table)[term_id].full_label


def _equation(rule: Rule, name, last_year: str) -> str:
    def side(terms) -> str:
        parts = [("−" if t.sign < 0 else "+") + " " + (last_year if t.last_year else "") + name(t) for t in terms]
        return " ".join(parts).removeprefix("+ ")
    return f"{side(rule.left)} = {side(rule.right)}"
