"""Blank cells the sum rules force: one solver over the format's equations, never a guess.

Every rule of the spec (checks.arithmetic's equations: a row total, a column balance…) is a linear
equation over cells. With the printed cells put in, what is left is a small system over the blank
cells, each blank a count (an integer ≥ 0), a signed change (an integer) or money (≥ 0). A blank
is deduced only when every solution of that system gives it the same value. Three steps, repeated
until nothing changes, each sound on its own:
- exact linear algebra (fractions): a blank the equations alone determine (an equation with one
  blank left; two equations sharing two blanks…);
- bounds: a blank's smallest and largest possible value from each equation and the others'
  bounds (counts are never negative, so blanks summing to 0 are all 0); equal bounds force it;
- integrality: a count's bounds are rounded inwards.
Blanks connected by equations form a group; a group whose printed cells contradict the rules (no
solution) gets nothing deduced. Cross-year rules are left out: a report is deduced on its own.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..formats import Format
from ..model.report import Number

Key = tuple[str, str, int]  # (table, row, column index)
Bound = Fraction | None  # None: unbounded
System = list[tuple[str, dict[Key, Fraction], Fraction]]  # (rule, {blank: coefficient}, constant)
_ROUNDS = 200  # the bounds step converges long before; a cap keeps a pathological system finite


@dataclass(frozen=True)
class Equation:
    rule: str
    terms: dict[Key, int]  # coefficient: +1 left, -1 right


@dataclass(frozen=True)
class Forced:
    cell: Key
    value: int | Decimal
    rule: str  # the rule of an equation that pins it, for the reader


def equations(fmt: Format, rows: dict[str, dict[str, list[Number | None]]]) -> list[Equation]:
    """The format's single-year equations over the rows this report has."""
    from .arithmetic import _cases  # the spec's rules as cell equations, worked out once per format
    out = []
    for case in _cases(fmt):
        if case.cross_year:
            continue
        terms: dict[Key, int] = {}
        for _, table, row, index, sign in case.cells:
            if row not in rows.get(table, {}):
                break  # an optional row the report does not have: the rule is not assessed
            terms[(table, row, index)] = terms.get((table, row, index), 0) + sign
        else:
            out.append(Equation(case.rule.rule, terms))
    return out


def deduce(fmt: Format, rows: dict[str, dict[str, list[Number | None]]]) -> list[Forced]:
    """The blank (None) cells of `rows` ({table: {row: [values]}}) that the rules force."""
    values = {(t, r, i): v for t, table in rows.items() for r, cells in table.items() for i, v in enumerate(cells)}
    eqs = [e for e in equations(fmt, rows) if any(values.get(k) is None for k in e.terms)]
    out = []
    for group in _groups(eqs, values):
        out += _solve(fmt, group, values)
    return sorted(out, key=lambda f: f.cell)


def _groups(eqs: list[Equation], values: dict[Key, Number | None]) -> list[list[Equation]]:
    parent: dict[Key, Key] = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k
    for e in eqs:
        blanks = [k for k in e.terms if values.get(k) is None]
        for k in blanks[1:]:
            parent[find(k)] = find(blanks[0])
    groups: dict[Key, list[Equation]] = {}
    for e in eqs:
        first = next(k for k in e.terms if values.get(k) is None)
        groups.setdefault(find(first), []).append(e)
    return list(groups.values())


def _kind(fmt: Format, key: Key) -> str:
    table, row, index = key
    return fmt.table(table).block_of(row).columns[index].kind


def _solve(fmt: Format, eqs: list[Equation], values: dict[Key, Number | None]) -> list[Forced]:
    # each equation as (rule, {blank: coefficient}, constant): sum(coef * blank) = constant
    system: System = []
    for e in eqs:
        known = sum(Fraction(c) * Fraction(values[k]) for k, c in e.terms.items() if values.get(k) is not None)
        system.append((e.rule, {k: Fraction(c) for k, c in e.terms.items() if values.get(k) is None and c}, -known))
    blanks = sorted({k for _, terms, _ in system for k in terms})
    integer = {k: _kind(fmt, k) != "money" for k in blanks}
    low = {k: (None if _kind(fmt, k) == "change" else Fraction(0)) for k in blanks}
    high: dict[Key, Fraction | None] = dict.fromkeys(blanks)
    fixed: dict[Key, Fraction] = {}
    for _ in range(_ROUNDS):
        before = (dict(low), dict(high))
        if not _linear(system, fixed) or not _bounds(system, low, high, integer, fixed):
            return []  # the printed cells contradict the rules: deduce nothing from them
        if (dict(low), dict(high)) == before:
            break
    return [Forced(k, _number(v, integer[k]), _rule(system, k, fixed)) for k, v in sorted(fixed.items())]


def _linear(system: System, fixed: dict[Key, Fraction]) -> bool:
    """Gauss-Jordan elimination over the blanks not yet fixed; a row left with one blank fixes it.
    False when the rows contradict each other."""
    rows = []
    for _, terms, const in system:
        row = {k: c for k, c in terms.items() if k not in fixed}
        rest = const - sum(c * fixed[k] for k, c in terms.items() if k in fixed)
        rows.append((row, rest))
    pivots = []
    for key in sorted({k for row, _ in rows for k in row}):
        at = next((i for i, (row, _) in enumerate(rows) if i not in pivots and row.get(key)), None)
        if at is None:
            continue
        row, rest = rows[at]
        scale = row[key]
        row, rest = {k: c / scale for k, c in row.items()}, rest / scale
        rows[at] = (row, rest)
        for i, (other, other_rest) in enumerate(rows):
            factor = other.get(key)
            if i != at and factor:
                merged = {k: other.get(k, 0) - factor * row.get(k, 0) for k in other.keys() | row.keys()}
                rows[i] = ({k: c for k, c in merged.items() if c}, other_rest - factor * rest)
        pivots.append(at)
    for row, rest in rows:
        if not row and rest:
            return False
        if len(row) == 1:
            (key, c), = row.items()
            fixed[key] = rest / c
    return True


def _bounds(system: System, low: dict[Key, Bound], high: dict[Key, Bound], integer: dict[Key, bool],
            fixed: dict[Key, Fraction]) -> bool:
    """Tighten each blank's bounds from every equation; False when a blank has no possible value."""
    for key, value in fixed.items():
        if (low[key] is not None and value < low[key]) or (high[key] is not None and value > high[key]):
            return False  # the equations pin a count below 0 (or outside what the others allow)
        if integer[key] and value.denominator != 1:
            return False
        low[key] = high[key] = value
    for _, terms, const in system:
        for key, c in terms.items():
            lo_rest, hi_rest = Fraction(0), Fraction(0)
            for other, d in terms.items():
                if other == key:
                    continue
                lo, hi = (low[other], high[other]) if d > 0 else (high[other], low[other])
                lo_rest = None if lo_rest is None or lo is None else lo_rest + d * lo
                hi_rest = None if hi_rest is None or hi is None else hi_rest + d * hi
            # c * x = const - rest, rest in [lo_rest, hi_rest]
            a = None if hi_rest is None else (const - hi_rest) / c
            b = None if lo_rest is None else (const - lo_rest) / c
            new_lo, new_hi = (a, b) if c > 0 else (b, a)
            if new_lo is not None and (low[key] is None or new_lo > low[key]):
                low[key] = Fraction(math.ceil(new_lo)) if integer[key] else new_lo
            if new_hi is not None and (high[key] is None or new_hi < high[key]):
                high[key] = Fraction(math.floor(new_hi)) if integer[key] else new_hi
            if low[key] is not None and high[key] is not None:
                if low[key] > high[key]:
                    return False
                if low[key] == high[key]:
                    fixed[key] = low[key]
    return True


def _number(value: Fraction, integer: bool) -> int | Decimal:
    if integer:
        return int(value)
    return Decimal(value.numerator) / Decimal(value.denominator)


def _rule(system: System, key: Key, fixed: dict[Key, Fraction]) -> str:
    """The rule of an equation holding the cell whose other blanks are all fixed (it pins the value)."""
    holding = [(rule, terms) for rule, terms, _ in system if key in terms]
    return next((rule for rule, terms in holding if all(k in fixed for k in terms)), holding[0][0])


def cell_name(fmt: Format, key: Key) -> str:
    table, row, index = key
    return f"{table}.{row}.{fmt.table(table).block_of(row).columns[index].id}"
