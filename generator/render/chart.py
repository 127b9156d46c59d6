"""A small bar chart of applications per year, as inline SVG geometry (no JavaScript to view it)."""
from __future__ import annotations

from dataclasses import dataclass

HEIGHT, BAR, GAP, TOP, BOTTOM = 160, 36, 18, 20, 24


@dataclass
class Bar:
    x: int
    y: float
    height: float
    year: int
    value: int | None  # None: blank in the source, drawn as a marked gap
    width: int = BAR

    @property
    def center(self) -> int:
        return self.x + self.width // 2


def bars(points: list[tuple[int, int | None]]) -> tuple[list[Bar], int, int]:
    """(bars, svg width, svg height) for (year, value) points in year order."""
    top = max([v for _, v in points if v] or [1])
    usable = HEIGHT - TOP - BOTTOM
    out = []
    for i, (year, value) in enumerate(points):
        h = usable * (value or 0) / top
        out.append(Bar(GAP + i * (BAR + GAP), TOP + usable - h, h, year, value))
    return out, GAP + len(points) * (BAR + GAP), HEIGHT
