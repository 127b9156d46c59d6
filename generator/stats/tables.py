"""Statistics tables: groups of reports (per year, per level, per province) with their totals and
rates, and rankings of bodies by a rate. Each table is both a page table (text, a sort key and a
note on blanks per cell) and a CSV download (the raw numbers), made from the same groups.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..formats.rates import RATES, Rate
from ..points import _percent
from ..source.tree import LEVELS
from .figures import SHOWN, Group, RateTotal, Total, group, labels

if TYPE_CHECKING:  # summaries.py imports figures.py: the type only, no cycle
    from ..summaries import Summary

LABELS = labels()
MIN_APPLICATIONS = 10  # a body is ranked by a rate over applications only with at least this many handled
RANK_RATES = tuple(r for r in RATES.rates if r.denominator == ("handled",))  # rates over applications


@dataclass(frozen=True)
class Cell:
    text: str
    sort: str = ""  # the number a script sorts by ("" for none: sorted last)
    note: str = ""  # shown under the value, e.g. how many reports had a blank
    title: str = ""  # the tooltip
    href: str = ""


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    head: tuple[tuple[str, bool], ...]  # (label, numeric?) of each column
    rows: tuple[tuple[Cell, ...], ...]  # the first cell of a row is its header
    foot: tuple[Cell, ...] | None  # a totals row
    csv_url: str
    csv_head: tuple[str, ...]
    csv_rows: tuple[tuple, ...]
    note: str = ""
    sorted_by: tuple[int, str] | None = None  # (column, "ascending"/"descending") as first shown
    header: int = 0  # the column that heads each row


def formula(rate: Rate) -> str:
    return rate.formula(LABELS)


def _group_head() -> tuple[tuple[str, bool], ...]:
    return (("报告数", True), *((LABELS[i], True) for i in SHOWN), *((r.label, True) for r in RATES.rates))


def _group_csv_head() -> tuple[str, ...]:
    head = ["报告数", "无统一表格的报告数"]
    for i in SHOWN:
        head += [LABELS[i], f"{LABELS[i]}·缺数报告数"]
    for r in RATES.rates:
        head += [f"{r.label}（%）", *(f"{r.label}·{part}" for part in ("分子", "分母", "计入报告数", "缺数报告数"))]
    return tuple(head)


def _number(value) -> str:
    return str(value)


def _total_cell(total: Total) -> Cell:
    note = f"{total.blanks} 份缺数" if total.blanks else ""
    title = f"{total.blanks} 份报告原文缺失此项所需的数，未计入合计" if total.blanks else ""
    if not total.added:
        return Cell("—", "", note, title or "无可计入的报告")
    return Cell(_number(total.value), _number(total.value), note, title)


def _rate_cell(rate: RateTotal) -> Cell:
    words = f"{formula(rate.rate)}，按 {rate.added} 份报告的分子之和除以分母之和"
    if rate.blanks:
        words += f"；{rate.blanks} 份报告缺数，未计入"
    note = f"{rate.blanks} 份缺数" if rate.blanks else ""
    if rate.value is None:
        return Cell("—", "", note, f"{words}（{rate.reason}）")
    return Cell(_percent(rate.value), f"{rate.value:.6f}", note, words)


def group_cells(g: Group) -> tuple[Cell, ...]:
    count = Cell(str(g.reports), str(g.reports), f"{g.no_format} 份无表格" if g.no_format else "",
                 f"{g.no_format} 份报告不按统一格式，无数字" if g.no_format else "")
    return (count, *(_total_cell(g.figures[i]) for i in SHOWN), *(_rate_cell(r) for r in g.rates))


def group_csv(g: Group) -> tuple:
    out: list = [g.reports, g.no_format]
    for i in SHOWN:
        t = g.figures[i]
        out += [t.value if t.added else None, t.blanks]
    for r in g.rates:
        out += [None if r.value is None else round(r.value * 100, 2), r.numerator, r.denominator, r.added, r.blanks]
    return tuple(out)


def grouped_table(table_id: str, caption: str, keys: tuple[str, ...], summaries: list[Summary],
                  key: Callable[[Summary], tuple], csv_url: str, note: str = "", total_row: bool = False,
                  key_text: Callable[[tuple], tuple[str, ...]] = lambda k: tuple(map(str, k))) -> Table:
    """One row per value of `key` over the summaries (sorted by it), with the group's totals and rates;
    `total_row`: a last row of everything (a table of years)."""
    groups: dict[tuple, list] = {}
    for s in summaries:
        groups.setdefault(key(s), []).append(s.stats)
    rows, csv_rows = [], []
    for k in sorted(groups):
        g = group(groups[k])
        texts = key_text(k)
        rows.append((*(Cell(t, t) for t in texts), *group_cells(g)))
        csv_rows.append((*texts, *group_csv(g)))
    foot = None
    if total_row and summaries:
        g = group([s.stats for s in summaries])
        foot = (Cell("全部年度"), *(Cell("") for _ in keys[1:]), *group_cells(g))
        csv_rows.append(("全部年度", *("" for _ in keys[1:]), *group_csv(g)))
    return Table(table_id, caption, (*((k, False) for k in keys), *_group_head()), tuple(rows), foot,
                 csv_url, (*keys, *_group_csv_head()), tuple(csv_rows), note)


def rank_caption(rate: Rate) -> str:
    return f"各机关{rate.label}排名"


def level_order(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def ranking(rate: Rate, bodies: list[tuple[str, str, str, str, Group]], csv_url: str, shown: int) -> Table:
    """Bodies by a rate over all their reports, those with at least MIN_APPLICATIONS handled; the page
    shows the first `shown`, the CSV all. `bodies`: (name, url, region path, years, group of its reports)."""
    entries = []
    for name, url, region, span, g in bodies:
        r = next(x for x in g.rates if x.rate.id == rate.id)
        if r.value is not None and r.denominator >= MIN_APPLICATIONS:
            entries.append((-r.value, url, name, region, span, g.reports, r))
    entries.sort(key=lambda e: (e[0], e[1]))
    rows, csv_rows, place = [], [], 0
    for n, (negative, url, name, region, span, count, r) in enumerate(entries):
        if n == 0 or negative != entries[n - 1][0]:
            place = n + 1  # equal rates share a place
        csv_rows.append((place, name, region, span, count, r.denominator, r.numerator,
                         round(r.value * 100, 2), r.blanks))
        if n < shown:
            cells = _rate_cell(r)
            rows.append((Cell(str(place), str(place)), Cell(name, name, href=url), Cell(region, region),
                         Cell(span, span), Cell(str(count), str(count)),
                         Cell(_number(r.denominator), _number(r.denominator)),
                         Cell(_number(r.numerator), _number(r.numerator)), cells))
    bottom = " + ".join(LABELS[i] for i in rate.denominator)
    top = " + ".join(LABELS[i] for i in rate.numerator)
    note = (f"{rate.label} = {formula(rate)}。只排{bottom}申请合计不少于 {MIN_APPLICATIONS} 件的机关（共 "
            f"{len(entries)} 个），按各机关全部年度报告的分子之和除以分母之和计算，缺数的报告不计入。")
    if len(entries) > shown:
        note += f"本页列出前 {shown} 名，全部见 CSV。"
    head = (("名次", True), ("机关", False), ("所属地区", False), ("年度", False), ("报告数", True),
            (bottom, True), (top, True), (rate.label, True))
    csv_head = ("名次", "机关", "所属地区", "年度", "报告数", bottom, top, f"{rate.label}（%）", "缺数未计入的报告数")
    return Table(f"rank-{rate.id}", rank_caption(rate), head, tuple(rows), None, csv_url, csv_head,
                 tuple(csv_rows), note, (7, "descending"), header=1)
