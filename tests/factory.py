"""Reports valid by construction, drawn from the format spec.

Free cells get random numbers; every cell that a sum rule determines (the left-hand anchor of a
rule) is then solved from the spec's own rules, so the tables are consistent with whatever rules
the spec holds, including the cross-year ones when last year's tables are given.
"""
from __future__ import annotations

import random
from decimal import Decimal

from generator.formats import SECTIONS, Format, get_format

Cell = tuple  # (table, row, column)


def _cells(fmt: Format):
    for table in fmt.tables:
        for block in table.blocks:
            for row in block.rows:
                if not row.optional:
                    for column in block.columns:
                        yield (table.id, row.id, column.id), column.kind


def _instances(fmt: Format):
    """Every rule instance as (left terms, right terms); a term is (sign, last_year, cell)."""
    for rule in fmt.rules:
        table = fmt.table(rule.table)
        for block in table.blocks:
            ids = [c.id for c in block.columns]
            if rule.for_each == "column":
                if table.block_of(rule.left[0].id) is not block:
                    continue
                places = [lambda t, c=c: (t.id, c) for c in ids]
            else:
                if rule.left[0].id not in ids:
                    continue
                places = [lambda t, r=r.id: (r, t.id) for r in block.rows if not r.optional]
            for place in places:
                yield tuple([(t.sign, t.last_year, (table.id, *place(t))) for t in side]
                            for side in (rule.left, rule.right))


def consistent_tables(format_id: str, rng: random.Random, last_year: dict | None = None,
                      high: int = 9) -> dict:
    """{table: {row: [values]}} satisfying every rule of the format (and last year's, if given)."""
    fmt = get_format(format_id)
    last_year = last_year or {}
    # a cross-year rule binds only when last year's report has the cells it reads
    instances = [(left, right) for left, right in _instances(fmt)
                 if all(t[2] in last_year for t in left + right if t[1])]
    kinds = dict(_cells(fmt))
    derived = {left[0][2] for left, _ in instances if not left[0][1]}
    for _ in range(200):
        values = {cell: _draw(kind, rng, high) for cell, kind in kinds.items() if cell not in derived}
        _solve(instances, values, last_year)
        if all(cell in values and (kinds[cell] == "change" or values[cell] >= 0) for cell in kinds):
            return _as_tables(fmt, values)
    raise RuntimeError("could not draw consistent tables")


def consistent_years(format_id: str, rng: random.Random, years: int = 2, high: int = 9) -> list[dict]:
    """Tables for consecutive years of one body, consistent within and across the years."""
    while True:
        chain: list[dict] = []
        try:
            for _ in range(years):
                last = flat(chain[-1], format_id) if chain else None
                chain.append(consistent_tables(format_id, rng, last_year=last, high=high))
            return chain
        except RuntimeError:  # last year's signed changes left no valid draw: start again
            continue


def _draw(kind: str, rng: random.Random, high: int):
    if kind == "change":
        return rng.randint(-high, high)
    if kind == "money":
        return Decimal(rng.randint(0, high * 100)) / 100
    return rng.choice([0, 0, rng.randint(0, high)])


def _lookup(term, values, last_year):
    sign, last, (table, row, column) = term
    if last:
        return last_year.get((table, row, column))
    return values.get((table, row, column))


def _solve(instances, values, last_year) -> None:
    progress = True
    while progress:
        progress = False
        for left, right in instances:
            target = left[0]
            if target[1] or target[2] in values:
                continue
            others = [(t, _lookup(t, values, last_year)) for t in left[1:] + right]
            if any(v is None for _, v in others):
                continue
            rest = sum(t[0] * v for t, v in others[len(left) - 1:]) - sum(t[0] * v for t, v in others[: len(left) - 1])
            values[target[2]] = rest * target[0]
            progress = True


def _as_tables(fmt: Format, values: dict) -> dict:
    out = {}
    for table in fmt.tables:
        out[table.id] = {row.id: [values[(table.id, row.id, c.id)] for c in block.columns]
                         for block in table.blocks for row in block.rows if not row.optional}
    return out


def flat(tables: dict, format_id: str) -> dict:
    """{(table, row, column): value}: the shape last_year= expects."""
    fmt = get_format(format_id)
    return {(t, r, fmt.table(t).block_of(r).columns[i].id): v
            for t, rows in tables.items() for r, vs in rows.items() for i, v in enumerate(vs)}


def _yaml_value(v) -> str:
    return "null" if v is None else str(v)


# every section the format requires (checks/sections.py), as `nianbao new` writes them
DEFAULT_NARRATIVE = "\n## 一、总体情况\n\n本年度工作情况良好。\n" + "".join(
    f"\n## {s.heading}\n" for s in SECTIONS[1:])


def report_text(format_id: str, year: int, title: str, tables: dict | None = None,
                meta: str = "", narrative: str | None = None) -> str:
    lines = ["---", f"title: {title}", f"year: {year}", f'format: "{format_id}"']
    lines += [line for line in meta.strip("\n").splitlines()] if meta.strip() else []
    for table, rows in (tables or {}).items():
        lines.append(f"{table}:")
        width = max(len(r) for r in rows) + 1
        lines += [f"  {(row + ':').ljust(width)} [{', '.join(map(_yaml_value, vs))}]" for row, vs in rows.items()]
    lines.append("---")
    body = narrative if narrative is not None else DEFAULT_NARRATIVE
    return "\n".join(lines) + "\n" + body
