"""A report's summary (要点): the figures and rates of formats/rates.yaml worked out for one report.

A figure with a blank cell among its inputs has no value and says how many cells were blank; a rate
is computed only when all its inputs are known and its denominator is not 0, and otherwise says why.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .formats import Format, per_format
from .formats.rates import RATES, Figure, Rate, figures_of
from .formats.terms import BY_LABEL, Term
from .model import Report


@dataclass(frozen=True)
class Amount:
    id: str
    label: str
    value: int | Decimal | None  # None: a cell of the sum is blank (or the report lacks it)
    blank_cells: frozenset  # (table, row, column) of its blank cells
    term: Term | None  # the 术语 entry explaining it

    @property
    def blanks(self) -> int:
        return len(self.blank_cells)

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class RateValue:
    rate: Rate
    formula: str  # e.g. （予以公开 + 部分公开）÷ 办结
    cells: list[str]  # what each figure of the formula adds up, in words
    numerator: Amount
    denominator: Amount
    value: float | None
    reason: str | None  # why there is no value

    @property
    def percent(self) -> str:
        return _percent(self.value)


@dataclass(frozen=True)
class Summary:
    amounts: dict[str, Amount]
    rates: list[RateValue]

    def __getitem__(self, figure_id: str) -> Amount:
        return self.amounts[figure_id]

    def nonzero(self, *ids: str) -> list[Amount]:
        """The named amounts that are not known to be 0 (a breakdown lists only what happened)."""
        return [self.amounts[i] for i in ids if self.amounts[i].value != 0]


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".removesuffix(".0")
    return f"{text}%"


def summary(report: Report) -> Summary | None:
    """The report's summary; None for a report in no national table format."""
    if report.format is None:
        return None
    amounts = {i: amount(report, i) for i in figures_of(report.format)}
    formulas = _formulas(report.format)
    return Summary(amounts, [_rate(report.format, r, formulas[r.id], amounts)
                             for r in RATES.rates])


@per_format
def _places(fmt: Format) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """Each figure's cells as (table, row, index in the row): a summary is made for every report."""
    return {i: tuple((t, r, fmt.table(t).block_of(r).column_index(c)) for t, r, c in f.cells)
            for i, f in figures_of(fmt).items()}


def amount(report: Report, figure_id: str) -> Amount:
    """A figure of the report: the sum of its cells, or None with the blank cells named."""
    figure = figures_of(report.format)[figure_id]
    values, blanks = [], []
    for path, (table, row, index) in zip(figure.cells, _places(report.format)[figure_id]):
        cells = report.tables.get(table, {}).get(row)
        value = cells[index].value if cells and index < len(cells) else None
        if value is None:
            blanks.append(path)
        values.append(value)
    value = None if blanks else sum(values)
    return Amount(figure.id, figure.label, value, frozenset(blanks), term_of(report.format, figure.id))


def _added(ids: tuple[str, ...], amounts: dict[str, Amount]) -> Amount:
    parts = [amounts[i] for i in ids]
    if len(parts) == 1:
        return parts[0]
    blanks = frozenset().union(*(p.blank_cells for p in parts))
    value = None if blanks else sum(p.value for p in parts)
    return Amount("+".join(ids), " + ".join(p.label for p in parts), value, blanks, None)


def rate_value(fmt: Format, rate: Rate, amounts: dict[str, Amount]) -> tuple[Amount, Amount, float | None, str | None]:
    """(numerator, denominator, value, why there is no value) of a rate from the figures it reads."""
    top, bottom = _added(rate.numerator, amounts), _added(rate.denominator, amounts)
    blanks = len(top.blank_cells | bottom.blank_cells)  # a cell in both counts once
    if blanks:
        return top, bottom, None, f"无法计算：原文缺失 {blanks} 格"
    if bottom.value == 0:
        return top, bottom, None, f"不计算：{bottom.label}为 0"
    return top, bottom, float(top.value) / float(bottom.value), None


def _rate(fmt: Format, rate: Rate, formula: str, amounts: dict[str, Amount]) -> RateValue:
    top, bottom, value, reason = rate_value(fmt, rate, amounts)
    return RateValue(rate, formula, cells_in_words(fmt, rate.numerator + rate.denominator), top, bottom, value, reason)


@per_format
def _formulas(fmt: Format) -> dict[str, str]:
    labels = {i: f.label for i, f in figures_of(fmt).items()}
    return {r.id: r.formula(labels) for r in RATES.rates}


@per_format
def _words(fmt: Format) -> dict[str, str]:
    """Each figure as the cells it adds up, e.g. 不予公开：表三（三）1、…（三）8 行 ×“总计”列."""
    out = {}
    for figure_id, figure in figures_of(fmt).items():
        table = fmt.table(figure.cells[0][0])
        rows = list(dict.fromkeys(r for _, r, _ in figure.cells))
        columns = list(dict.fromkeys(c for _, _, c in figure.cells))
        block = table.block_of(rows[0])
        column_labels = [next(c for c in block.columns if c.id == i).full_label for i in columns]
        row_labels = [table.row(r).short for r in rows]
        out[figure_id] = (f"{figure.label}：表{table.number}“{'、'.join(row_labels)}”行 ×"
                          f"“{'、'.join(column_labels)}”列" + ("之和" if len(figure.cells) > 1 else ""))
    return out


def cells_in_words(fmt: Format, ids: tuple[str, ...]) -> list[str]:
    return _cells_in_words(fmt)[ids]


@per_format
def _cells_in_words(fmt: Format) -> dict[tuple[str, ...], list[str]]:
    words = _words(fmt)
    return {r.numerator + r.denominator: [words[i] for i in dict.fromkeys(r.numerator + r.denominator)]
            for r in RATES.rates}


def term_of(fmt: Format, figure_id: str) -> Term | None:
    """The 术语 entry of a figure: the most specific label that all its cells share and that has an
    entry. A figure of the 总计 column is told apart by its rows, any other by its columns."""
    return _terms(fmt).get(figure_id)


@per_format
def _terms(fmt: Format) -> dict[str, Term | None]:
    out = {}
    for figure_id, figure in figures_of(fmt).items():
        by_rows = {c for _, _, c in figure.cells} == {"total"} or len({c for _, _, c in figure.cells}) == 1 \
            and len({r for _, r, _ in figure.cells}) > 1
        choices = [_candidates(fmt, cell, by_rows) for cell in figure.cells]
        shared = [label for label in choices[0] if all(label in other for other in choices[1:])]
        out[figure_id] = next((BY_LABEL[label] for label in shared if label in BY_LABEL), None)
    return out


def _candidates(fmt: Format, cell: tuple[str, str, str], by_rows: bool) -> list[str]:
    """The labels over a cell, most specific first: the row's (and its groups) or the column's."""
    table_id, row_id, column_id = cell
    table = fmt.table(table_id)
    if by_rows:
        row = table.row(row_id)
        return [row.label, *reversed(row.groups)]
    column = next(c for c in table.block_of(row_id).columns if c.id == column_id)
    return [column.label, *reversed(column.groups)]


TREND_RATE = "disclosure"  # the rate the folder pages chart, from formats/rates.yaml


def trend_parts(report: Report) -> dict[str, tuple] | None:
    """The report's chart parts (pages/trends.py): new, the disclosure rate's numerator and denominator,
    复议, 诉讼 (only the figures these read are summed: this runs for every report)."""
    if report.format is None:
        return None
    rate = next(r for r in RATES.rates if r.id == TREND_RATE)
    needed = {"new", "review", "litigation", *rate.numerator, *rate.denominator}
    amounts = {i: amount(report, i) for i in needed}
    top, bottom, _, _ = rate_value(report.format, rate, amounts)
    return {"new": (amounts["new"].value,), TREND_RATE: (top.value, bottom.value),
            "appeals": (amounts["review"].value, amounts["litigation"].value)}
