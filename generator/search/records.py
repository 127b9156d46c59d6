"""What the search index holds for each report: one index document per report.

The index documents are never published; Pagefind reads them in place of the visible pages (see
index.py). They hold only what tells reports apart: the title, body and region names, the
narrative, and the table labels of rows and columns that have a non-zero number, so that 重复申请
finds the reports that had repeat applications and not every report printing that row. The
headings carry the ids of the visible page (sec-N for narrative sections, t-<table> and
<table>-<row> for tables) so that results link to the matching section.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..archive import Archive
from ..model import Report
from ..pages import urls
from ..render.markdown import render_markdown
from .segment import ZWSP, segment

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


def _words(text: str) -> str:
    """Words of one text run; the edges are breaks too, since markup between runs is not one."""
    return f"{ZWSP}{segment(text)}{ZWSP}"


_label_words = lru_cache(maxsize=1 << 14)(_words)  # table labels and names recur in every report


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


_MARKUP = str.maketrans("<>&", "＜＞＆")
FILTERS = ("年度", "省份", "市县", "层级", "表格格式", "核验")  # the search page lists them in this order


def filters(archive: Archive, summary: dict) -> dict[str, list[str]]:
    """Each filter's values, with < > & made full-width: Pagefind's UI shows a filter value as HTML
    (innerHTML), and Pagefind decodes entities in the value it indexes, so an escaped value would come
    back as markup. The search page maps a value from the URL the same way (templates/static/search.js)."""
    report = summary["report"]
    above = [archive.folders[report.folder[:i]] for i in range(1, len(report.folder))]
    values = (
        [str(report.year)],
        [f.name for f in above if f.level in PROVINCE_LEVELS],
        [f.name for f in above if f.level in LOCAL_LEVELS],
        [archive.folders[report.folder].level],
        [f"{report.format.id} 年格式" if report.format else "无统一表格"],
        [summary["quality"].label],
    )
    return {name: [v.translate(_MARKUP) for v in vs] for name, vs in zip(FILTERS, values)}


def record(archive: Archive, summary: dict) -> dict:
    """The context of one index document (templates/search/record.html)."""
    report = summary["report"]
    return {
        "title": report.title,
        "body": archive.folders[report.folder].name,
        "region": " › ".join(name for name, _ in summary["crumbs"][:-1]),
        "filters": filters(archive, summary),
        "year": report.year,
        "words": _label_words,
        "narrative": render_markdown(report.narrative, words=_words),
        "tables": labelled_tables(report),
    }


def index_documents(archive: Archive, summaries: list[dict], env) -> dict[str, str]:
    """{site path: HTML} of every report's index document, at its page's path (Pagefind's URL)."""
    template = env.get_template("search/record.html")
    return {urls.output_path(urls.report_url(s["report"])): template.render(record(archive, s)) for s in summaries}
