"""The statistics of the archive (/stats/) and of a region's subtree (on its folder page), and the
CSV download of each table (written by outputs.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..archive import Archive
from .. import urls
from ..source.tree import LEVELS
from .figures import group
from .tables import RANK_RATES, Table, grouped_table, level_order, rank_caption, ranking

if TYPE_CHECKING:  # summaries.py imports figures.py: the type only, no cycle
    from ..summaries import Summary

RANK_SHOWN = {(): 100}  # rows of a ranking shown on the page (the CSV has all): 100 on /stats/, else 20
RANK_SHOWN_REGION = 20
CAPTIONS = {"by-year": "{where}：逐年合计与比率", "by-level": "{where}：按机关层级逐年合计",
            "by-province": "{where}：按省份（最上一级地区）逐年合计"}
ARCHIVE = "全部报告"
# (id, caption) of the tables of /stats/, which the data page lists without making them
ARCHIVE_TABLES = (*((i, c.format(where=ARCHIVE)) for i, c in CAPTIONS.items()),
                  *((f"rank-{r.id}", rank_caption(r)) for r in RANK_RATES))
BLANKS_NOTE = ("合计只加原文有此数的报告，并注明有几份报告因原文缺失所需的数而未计入；"
               "比率按计入的报告的分子之和除以分母之和计算（不是各报告比率的平均数），分母为 0 时不计算。")


def _province(archive: Archive, s: Summary) -> tuple[str]:
    return (archive.folders[s.report.folder[:1]].name,)


def stats_tables(archive: Archive, slugs: tuple[str, ...], summaries: list[Summary],
                 bodies: list[tuple[str, ...]], memo: dict) -> list[Table]:
    """The tables of the reports at or below `slugs` (() for the archive): per year, per year and level,
    per year and province (the archive only), and a ranking per rate over applications. `bodies`:
    the body folders among them; `memo`: each body's ranking entry, made once per build."""
    def url(table_id: str) -> str:
        return urls.stats_csv_url(slugs, table_id)

    where = ARCHIVE if not slugs else f"{archive.folders[slugs].name}及下辖机关的报告"
    tables = [grouped_table("by-year", CAPTIONS["by-year"].format(where=where), ("年度",), summaries,
                            lambda s: (s.report.year,), url("by-year"), BLANKS_NOTE, total_row=True)]
    levels = {archive.folders[s.report.folder].level for s in summaries}
    if len(levels) > 1 or not slugs:
        tables.append(grouped_table(
            "by-level", CAPTIONS["by-level"].format(where=where), ("年度", "层级"), summaries,
            lambda s: (s.report.year, level_order(archive.folders[s.report.folder].level)), url("by-level"),
            key_text=lambda k: (str(k[0]), LEVELS[k[1]] if k[1] < len(LEVELS) else "其他")))
    if not slugs:
        tables.append(grouped_table(
            "by-province", CAPTIONS["by-province"].format(where=where), ("年度", "省份"), summaries,
            lambda s: (s.report.year, *_province(archive, s)), url("by-province")))
    by_body: dict[tuple, list[Summary]] = {}
    for s in summaries:
        by_body.setdefault(s.report.folder, []).append(s)
    entries = [memo.get(b) or memo.setdefault(b, _body_entry(archive, b, by_body[b])) for b in bodies]
    shown = RANK_SHOWN.get(slugs, RANK_SHOWN_REGION)
    tables += [ranking(rate, entries, url(f"rank-{rate.id}"), shown) for rate in RANK_RATES]
    return tables


def _body_entry(archive: Archive, body: tuple[str, ...], summaries: list[Summary]) -> tuple:
    """(name, url, region path, years, group) of a body for the rankings."""
    years = sorted({s.report.year for s in summaries})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return (archive.folders[body].name, urls.folder_url(body),
            "/".join(archive.folders[body[:i]].name for i in range(1, len(body))), span,
            group([s.stats for s in summaries]))


def table_downloads(tables: list[Table]) -> Iterator[tuple[str, tuple, tuple]]:
    """(url, header, rows) of each table's CSV (see Page.downloads)."""
    for t in tables:
        yield t.csv_url, t.csv_head, t.csv_rows
