"""Charts of a body's or a region's figures per year, as inline SVG geometry (no JavaScript to view).

Every year from the first to the last has its slot, so a year with no report shows as a marked gap
(never 2020 beside 2025); a figure every report of the year left blank shows "—", one some reports left
blank is the sum of the others, marked "*" with how many were left out (the statistics' rule); a change
of table format between two years is a dashed line with the new format named. Several measures:
applications received, the disclosure rate, and 行政复议 / 行政诉讼 side by side.
"""
from __future__ import annotations

from dataclasses import dataclass, field

HEIGHT, TOP, BOTTOM, GAP, SLOT = 170, 30, 24, 16, 40


@dataclass(frozen=True)
class Measure:
    id: str
    title: str  # what the chart shows, e.g. 新收申请
    series: tuple[str, ...]  # one label per bar of a year
    unit: str  # 件 or %
    percent: bool = False


MEASURES = (
    Measure("new", "新收政府信息公开申请", ("新收",), "件"),
    Measure("disclosure", "公开率（（予以公开 + 部分公开）÷ 办结）", ("公开率",), "%", percent=True),
    Measure("appeals", "行政复议和行政诉讼", ("行政复议", "行政诉讼"), "件"),
)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: float | None  # None: no bar (blank in the source, or not computed: see text)
    text: str
    blanks: int = 0  # reports of the year with this figure blank, not added


@dataclass
class Slot:
    year: int
    x: float  # the slot's centre
    missing: bool  # no report that year
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Break:
    x: float
    label: str  # the format from here on, e.g. 2021 年格式


@dataclass
class Chart:
    id: str
    measure: Measure
    width: int
    height: int
    slots: list[Slot]
    breaks: list[Break]

    @property
    def description(self) -> str:
        """The chart in words, for screen readers: every year's values."""
        parts = []
        for slot in self.slots:
            if slot.missing:
                parts.append(f"{slot.year} 年：无报告")
            else:
                values = "，".join(f"{self.measure.series[b.series]} {b.text.rstrip('*')}"
                                   + (f"（{b.blanks} 份报告缺数，未计入）" if b.blanks and b.value is not None else "")
                                   for b in slot.bars)
                parts.append(f"{slot.year} 年：{values}")
        return "；".join(parts) + "。"


@dataclass(frozen=True)
class Year:
    """What one year contributes to the charts: a value per measure's series (None: blank)."""
    year: int
    values: dict[str, tuple[float | str | None, ...]]  # measure id -> per series: a value, None (blank:
    # "—") or the reason a value is not computed (e.g. 无办结)
    formats: frozenset[str]  # the table formats of that year's reports
    blanks: dict[str, tuple[int, ...]] = field(default_factory=dict)  # measure id -> per series: reports
    # with the figure blank, left out of the value


def charts(years: list[Year], prefix: str) -> list[Chart]:
    """The charts of every measure over the years given (years without data become gaps)."""
    if not years:
        return []
    by_year = {y.year: y for y in years}
    span = list(range(min(by_year), max(by_year) + 1))
    return [_chart(m, span, by_year, f"{prefix}-{m.id}") for m in MEASURES]


def _chart(measure: Measure, span: list[int], by_year: dict[int, Year], chart_id: str) -> Chart:
    known = [v for y in by_year.values() for v in y.values[measure.id] if isinstance(v, (int, float))]
    top = 1.0 if measure.percent else float(max(known + [1]))
    usable = HEIGHT - TOP - BOTTOM
    bar_width = (SLOT - 4) / len(measure.series)
    slots, breaks, previous = [], [], None
    for i, year in enumerate(span):
        left = GAP + i * (SLOT + GAP)
        slot = Slot(year, left + SLOT / 2, year not in by_year)
        if not slot.missing:
            blanks = by_year[year].blanks.get(measure.id, ())
            for s, value in enumerate(by_year[year].values[measure.id]):
                number = value if isinstance(value, (int, float)) else None
                height = 0.0 if number is None else usable * float(number) / top
                left_out = blanks[s] if s < len(blanks) else 0
                text = _text(value, measure) + ("*" if left_out and number is not None else "")
                slot.bars.append(Bar(left + 2 + s * bar_width, TOP + usable - height, bar_width, height, s, number,
                                     text, left_out))
            formats = by_year[year].formats
            if previous is not None and formats and previous != formats:
                breaks.append(Break(left - GAP / 2, "、".join(sorted(formats)) + " 年格式"))
            previous = formats or previous
        slots.append(slot)
    return Chart(chart_id, measure, GAP + len(span) * (SLOT + GAP), HEIGHT, slots, breaks)


def _text(value: float | str | None, measure: Measure) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if measure.percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}"
