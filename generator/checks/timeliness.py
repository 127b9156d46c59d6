"""Timeliness: a report published after its statutory deadline (formats/deadlines.yaml) is late.

The deadline depends on who reports (《条例》第四十九条: departments by 31 January, governments by
31 March) and on the year (before the 2019 revision, 31 March for all). A report without a
publication date, or of a body whose level is unknown, is not assessed.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

from ..diagnostics import Diagnostic, diag
from ..model import Report
from .context import Context
from ..source.positioned import Pos
from ..source.tree import LEVELS


@dataclass(frozen=True)
class Deadline:
    first_year: int | None
    last_year: int | None
    levels: tuple[str, ...]
    month: int
    day: int
    basis: str

    def fits(self, year: int, level: str) -> bool:
        return (level in self.levels and (self.first_year is None or year >= self.first_year)
                and (self.last_year is None or year <= self.last_year))


def _load(path: Path = Path(__file__).parents[1] / "formats" / "deadlines.yaml") -> tuple[Deadline, ...]:
    """Validated when loaded: a mistake in the file is a programming error, raised at import."""
    out = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["deadlines"]:
        assert set(raw) <= {"first_year", "last_year", "levels", "date", "basis"}, raw
        assert set(raw["levels"]) <= set(LEVELS), f"deadlines.yaml: unknown level in {raw['levels']}"
        month, day = map(int, raw["date"].split("-"))
        datetime.date(2001, month, day)  # a real day of every year
        out.append(Deadline(raw.get("first_year"), raw.get("last_year"), tuple(raw["levels"]), month, day,
                            str(raw["basis"])))
    return tuple(out)


DEADLINES = _load()


def deadline(year: int, level: str) -> Deadline | None:
    return next((d for d in DEADLINES if d.fits(year, level)), None)


def days_late(report: Report, level: str) -> tuple[int, datetime.date, Deadline] | None:
    """(days, due date, rule) if the report was published after its deadline, else None."""
    published = report.meta.get("published")
    rule = deadline(report.year, level)
    if not isinstance(published, datetime.date) or rule is None:
        return None
    due = datetime.date(report.year + 1, rule.month, rule.day)
    days = (published - due).days
    return (days, due, rule) if days > 0 else None


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    body = context.folders.get(report.folder)
    late = days_late(report, body.level if body else "")  # the body's own level: a 部门 reports by 31 January
    if late:
        days, due, rule = late
        yield diag("meta/late", report.path, report.key_pos.get(("published",), Pos(1, 1)), "meta.published.date",
                   published=report.meta["published"].isoformat(), deadline=due.isoformat(), basis=rule.basis,
                   days=days)
