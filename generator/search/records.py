"""What the search index holds for each report: one index document per report.

The index documents are never published; the indexer (index.py) reads them. They hold only what
tells reports apart, as parts of plain text, each with the id of the visible page's section it
comes from (sec-N for narrative sections, t-<table> and <table>-<row> for tables) so that results
link to the matching section: the title, the body's and its regions' names, the narrative, and the
table labels of rows and columns that have a non-zero number, so that 重复申请 finds the reports
that had repeat applications and not every report printing that row.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from ..archive import Archive
from ..model import Report
from .. import urls
from ..pages.page import Page
from ..summaries import Summary
from ..render.markdown import render_markdown

# Which folder levels fill which region filter
PROVINCE_LEVELS, LOCAL_LEVELS = {"省"}, {"市", "县"}


@dataclass
class LabelledRow:
    anchor: str
    label: str
    context: str  # group and column labels of its non-zero cells


@dataclass
class LabelledTable:
    anchor: str
    title: str
    rows: list[LabelledRow]


def labelled_tables(report: Report) -> list[LabelledTable]:
    """The tables' labels that carry a non-zero number: rows, their groups, and their columns."""
    out = []
    for table in report.format.tables if report.format else ():
        rows = []
        for block in table.blocks:
            for row in block.rows:
                cells = report.row(table.id, row.id) or []
                columns = [c for c, cell in zip(block.columns, cells) if cell.value]  # None and 0 say nothing
                if columns:
                    labels = dict.fromkeys(row.groups + tuple(g for c in columns for g in c.groups + (c.label,)))
                    rows.append(LabelledRow(f"{table.id}-{row.id}", row.label, " ".join(labels)))
        if rows:
            out.append(LabelledTable(f"t-{table.id}", f"{table.number}、{table.title}", rows))
    return out


FILTERS = ("年度", "省份", "市县", "层级", "表格格式", "核验")  # the search page lists them in this order


def search_page() -> Page:
    return Page(urls.SEARCH, "search.html", {"filter_names": FILTERS}, "search")


def filters(archive: Archive, summary: Summary) -> dict[str, list[str]]:
    report = summary.report
    above = [archive.folders[report.folder[:i]] for i in range(1, len(report.folder))]
    values = (
        [str(report.year)],
        [f.name for f in above if f.level in PROVINCE_LEVELS],
        [f.name for f in above if f.level in LOCAL_LEVELS],
        [archive.folders[report.folder].level],
        [f"{report.format.id} 年格式" if report.format else "无统一表格"],
        [summary.quality.label],
    )
    return dict(zip(FILTERS, values))


_HEADING = re.compile(r'<h[1-6] id="(sec-\d+)">')
_TAG = re.compile(r"<[^>]+>")


def narrative_parts(narrative: str) -> list[list[str]]:
    """[[section id ("" before the first heading), plain text], …] of the rendered narrative."""
    pieces = _HEADING.split(render_markdown(narrative))
    parts = [["", pieces[0]]] + [[pieces[i], pieces[i + 1]] for i in range(1, len(pieces), 2)]
    return [[anchor, html.unescape(_TAG.sub("", text)).strip()] for anchor, text in parts
            if _TAG.sub("", text).strip()]


def record(archive: Archive, report: Report, summary: Summary) -> dict:
    """One report's index document: what shows in a result, its filters, and its searchable parts."""
    body, regions = archive.folders[report.folder].name, [name for name, _ in summary.crumbs[:-1]]
    parts = [["", report.title], ["", body], ["", " ".join(regions)], *narrative_parts(report.narrative)]
    for table in labelled_tables(report):
        parts.append([table.anchor, table.title])
        parts += [[row.anchor, f"{row.label} {row.context}"] for row in table.rows]
    return {"url": urls.report_url(report), "title": report.title, "body": body, "region": " › ".join(regions),
            "year": report.year, "filters": filters(archive, summary), "parts": [p for p in parts if p[1]]}


def index_documents(archive: Archive, summaries: list[Summary]) -> dict[str, str]:
    """{site path of the report's page: its index document as JSON} (the path places it in a shard).
    `summaries`: of the archive's reports, in its order."""
    return {urls.output_path(urls.report_url(r)): json.dumps(record(archive, r, s), ensure_ascii=False)
            for r, s in zip(archive.reports, summaries)}
