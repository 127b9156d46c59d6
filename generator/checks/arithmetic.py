"""The sum rules (勾稽关系), interpreted from the format spec: one engine for every rule.

A rule is `left = right`, checked in each column (terms name rows) or in each row (terms name
columns). A term may read last year's report of the same body, which makes the cross-year rules
the same machinery. A rule with any cell missing or blank is not assessed: blanks are reported
by the parser, and a sum over an unknown is no evidence either way.
"""
from __future__ import annotations

from typing import Callable, Iterator, NamedTuple

from ..diagnostics import Diagnostic, diag
from ..formats import Rule, Term, per_format
from ..model import Report
from .context import Context

MAX_TERMS_SHOWN = 6


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    if report.format is None:
        return
    last_year = context.last_year
    last_format = last_year.format.id if last_year and last_year.format else None
    for case in _cases(report.format):
        if case.cross_year and last_format is None:
            continue
        if case.cross_year and last_format != report.format.id:  # last year's cells sit elsewhere
            yield from _equation(case.rule, report, last_year, *case.where)
            continue
        total = 0
        for from_last_year, table, row, index, sign in case.cells:
            cells = (last_year if from_last_year else report).tables.get(table, {}).get(row)
            if cells is None:
                break  # the report has no such cell (an optional row): nothing to assess
            if cells[index].value is None:
                yield from _equation(case.rule, report, last_year, *case.where)  # a blank: weigh what is known
                break
            total += sign * cells[index].value
        else:
            if total:
                yield from _equation(case.rule, report, last_year, *case.where)  # it explains the failure


class Where(NamedTuple):
    """What _equation needs to explain a failure of one equation."""
    locate: Callable[[Term], tuple[str, str]]  # a term's (row id, column id) in this equation
    place: str  # “自然人”列, “一、本年新收政府信息公开申请数量”行
    label: Callable[[Term], str]  # a term's printed label
    anchor: tuple[str, str]  # (row id, column id) of the cell a failure is reported at


class Case(NamedTuple):
    """One equation of a rule: in one column, or one row."""
    rule: Rule
    cross_year: bool
    cells: list[tuple[bool, str, str, int, int]]  # (last year?, table, row, column index, +1 left / −1 right)
    where: Where


@per_format
def _cases(fmt) -> list[Case]:
    """The format's rules as equations on cell positions, worked out once per format: checking a
    report is then only adding up its cells."""
    cases = (_case(fmt, rule, where) for rule in fmt.rules for where in _equations(fmt, rule))
    return [case for case in cases if case]


def _case(fmt, rule: Rule, where: Where) -> Case | None:
    """None for an equation naming a cell the format does not have: it is never assessed."""
    table, locate = fmt.table(rule.table), where[0]
    cells = []
    for terms, side in ((rule.left, 1), (rule.right, -1)):
        for term in terms:
            row, column = locate(term)
            index = table.block_of(row).column_indexes.get(column) if table.block_of(row) else None
            if index is None:
                return None
            cells.append((term.last_year, rule.table, row, index, side * term.sign))
    return Case(rule, rule.cross_year, cells, where)


def _equations(fmt, rule: Rule) -> Iterator[Where]:
    """Each equation of the rule: one per column, or one per row."""
    table = fmt.table(rule.table)
    anchor = rule.left[0].id
    if rule.for_each == "column":
        block = table.block_of(anchor)
        for column in block.columns:
            place = f"“{column.label}”列"
            yield Where(lambda t, c=column: (t.id, c.id), place, lambda t: _row_label(table, t), (anchor, column.id))
    else:
        for block in table.blocks:
            columns = {c.id: c for c in block.columns}
            if anchor not in columns:
                continue
            # name the header group where the anchor's label alone is ambiguous (three 总计 in 四)
            same_label = [c for c in block.columns if c.label == columns[anchor].label]
            group = f"（{columns[anchor].groups[-1]}）" if len(same_label) > 1 else ""
            for row in block.rows:
                place = f"“{row.full_label}”行{group}"
                yield Where(lambda t, r=row: (r.id, t.id), place, lambda t, cs=columns: cs[t.id].label,
                            (row.id, anchor))


def _row_label(table, term: Term) -> str:
    """一, （二）部分公开; a numbered sub-item with its group, as （三）不予公开 4.保护第三方合法权益:
    its short form （三）4 alone reads as a garbled number in a message."""
    row = table.row(term.id)
    if row is None:
        return term.id
    return f"{row.groups[-1]} {row.label}" if len(row.groups) >= 2 and not row.subtotal else row.short


def _equation(rule, report, last_year, locate, place, label, anchor) -> Iterator[Diagnostic]:
    sides = []
    for terms in (rule.left, rule.right):
        values = []
        for term in terms:
            source = last_year if term.last_year else report
            cell = source.cell(rule.table, *locate(term)) if source else None
            if cell is None:
                return  # the report has no such cell (an optional row): nothing to assess
            values.append((term, None, cell.value))
        sides.append(values)
    if not _violated(rule, report, locate, *sides):
        return
    sides = [[(t, label(t), v) for t, _, v in side] for side in sides]  # labels only for the message
    cell = report.cell(rule.table, *anchor)
    yield diag(rule.rule, report.path, cell.pos, f"{rule.table}.{anchor[0]}.{anchor[1]}",
               table=report.format.table(rule.table).number, where=place,
               left=_expression(sides[0]), right=_expression(sides[1]))


def _violated(rule, report, locate, left, right) -> bool:
    """Equal when every cell is known. With blanks on one side only, and the blanks unable to be
    negative, the rule is still broken when the known cells of that side already exceed the other."""
    unknown = [[t for t, _, v in side if v is None] for side in (left, right)]
    known = [sum(t.sign * v for t, _, v in side if v is not None) for side in (left, right)]
    if not unknown[0] and not unknown[1]:
        return known[0] != known[1]
    blank_side = 0 if unknown[0] else 1
    if unknown[1 - blank_side] or not all(_non_negative(rule, report, locate, t) for t in unknown[blank_side]):
        return False  # blanks on both sides, or a blank that may be negative: not assessable
    return known[blank_side] > known[1 - blank_side]


def _non_negative(rule, report, locate, term: Term) -> bool:
    row_id, column_id = locate(term)
    table = report.format.table(rule.table)
    column = next(c for c in table.block_of(row_id).columns if c.id == column_id)
    return term.sign > 0 and column.kind != "change"


def _expression(values) -> str:
    """一(2)+二(0)=2; long sums show only their non-zero terms; blanks make the sum a lower bound."""
    long = len(values) > MAX_TERMS_SHOWN
    shown = [v for v in values if v[2]] if long else values
    parts = []
    for term, text, value in shown:
        sign = "−" if term.sign < 0 else ("+" if parts else "")
        parts.append(f"{sign}{'上年' if term.last_year else ''}{text}({'空' if value is None else value})")
    zeros = sum(v[2] == 0 for v in values) if long else 0
    blanks = sum(v[2] is None for v in values) if long else 0
    if zeros:
        parts.append(f"{'+' if parts else ''}其余{zeros}项(0)")
    if blanks:
        parts.append(f"{'+' if parts else ''}{blanks}格空白")
    total = sum(t.sign * v for t, _, v in values if v is not None)
    if len(values) == 1:
        return "".join(parts)
    return "".join(parts) + (f"≥{total}" if any(v[2] is None for v in values) else f"={total}")
