"""Read one table of the format from the rows of its section. It never invents a number.

A row is found by its label (labels.py). Its numbers fill its cells when their count is the
count of columns. Otherwise a cell is read only when nothing else is possible:
- more numbers than cells, all equal: whichever are extra, every cell has that value;
- fewer numbers than cells, each standing exactly under a column's header cell (TAB layouts), with
  the label left of them, in a table whose complete rows also stand under their headers.
Every other cell is None, with a note saying what the original shows and why it was not read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import Block, Table
from . import labels
from .layout import Line
from .normalize import key
from .values import Value, parse, unit_problem


@dataclass
class TableRead:
    rows: dict[str, list] = field(default_factory=dict)  # row id -> values (None: not read)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)  # (row, column) -> why it is None
    printed: dict[str, str] = field(default_factory=dict)  # row id -> the numbers as printed
    remarks: list[str] = field(default_factory=list)  # for the editor's summary


@dataclass
class _Found:
    line: Line
    values: list[tuple[int, Value]]  # (cell index, value)
    texts: list[tuple[int, str]]
    context: list[Line]  # the text-only lines just before it (headers)


def read_table(table: Table, lines: list[Line]) -> TableRead:
    out = TableRead()
    found = _find_rows(table, lines, out)
    positions = {b.id: _positions(b, [f for r, f in found.items() if table.block_of(r.id) is b]) for b in table.blocks}
    for row in table.rows:
        block = table.block_of(row.id)
        if row in found:
            _fill(out, table, row, found[row], positions[block.id])
        elif not row.optional:
            _blank(out, row, block, f"原文中找不到此行（{row.full_label}）")
    return out


def _classify(line: Line) -> tuple[list, list]:
    values, texts = [], []
    for i, cell in enumerate(line.cells):
        value = parse(cell) if cell else None
        if value is not None:
            values.append((i, value))
        elif cell:
            texts.append((i, cell))
    return values, texts


def _find_rows(table: Table, lines: list[Line], out: TableRead) -> dict:
    candidates = labels.row_keys(table)
    found, context = {}, []
    for line in lines:
        values, texts = _classify(line)
        if not values:
            context.append(line)
            continue
        row = _which_row(table, candidates, texts, context)
        item = _Found(line, values, texts, context)
        context = []
        if row is None:
            out.remarks.append(f"第 {line.number} 行有数字，但认不出属于表{table.number}的哪一行：{' '.join(line.cells)}")
        elif row in found:
            out.remarks.append(f"第 {line.number} 行与第 {found[row].line.number} 行都是“{row.full_label}”，只读第一行")
        else:
            found[row] = item
    return found


def _which_row(table: Table, candidates: dict, texts: list, context: list[Line]):
    if not texts:  # a row of bare numbers: only a one-row table (表四) can say which row it is
        return table.rows[0] if len(table.rows) == 1 else None
    last = key(texts[-1][1])
    whole = key("".join(t for _, t in texts))
    wrapped = key(context[-1].text) + whole if context else ""
    tries = [labels.best(text, candidates) for text in (last, whole, wrapped)]
    return max(tries, key=lambda t: t[1])[0]  # on a tie the earlier, narrower reading wins


def _positions(block: Block, rows: list[_Found]) -> dict[str, int] | None:
    """Column id -> the cell index of its header, if the header and complete rows agree on it."""
    if len(block.columns) < 2 or not rows:
        return None
    header = min(rows, key=lambda f: f.line.number).context
    at: dict[int, str] = {}
    used: set[str] = set()
    for line in header:  # a lower header line wins: merged cells above are printed out of place
        for i, cell in enumerate(line.cells):
            column = _header_column(block, key(cell), used)
            if column:
                at[i] = column.id
                used.add(column.id)
    pos = {c: i for i, c in at.items()}
    order = [pos[c.id] for c in block.columns if c.id in pos]
    if len(pos) < 2 or order != sorted(order):
        return None
    for f in rows:  # complete rows must stand under their headers too
        if len(f.values) == len(block.columns):
            if any(f.values[block.column_index(c)][0] != i for c, i in pos.items()):
                return None
    return pos


def _header_column(block: Block, text: str, used: set[str]):
    if not text:
        return None
    exact = [c for c in block.columns if text in labels.column_keys(c) and c.id not in used]
    if exact:
        return exact[0]  # repeated labels (结果维持 ×3) are taken in printed order
    prefixed = {c.label for c in block.columns if any(k.startswith(text) for k in labels.column_keys(c))}
    if len(text) >= 2 and len(prefixed) == 1:  # a header cell wrapped over lines: 商业 / 企业
        return next((c for c in block.columns if c.label in prefixed and c.id not in used), None)
    return None


def _fill(out: TableRead, table: Table, row, f: _Found, positions) -> None:
    block = table.block_of(row.id)
    columns, numbers = block.columns, [v for _, v in f.values]
    printed = " ".join(v.printed for v in numbers)
    n, k = len(columns), len(numbers)
    if k == n:
        values = numbers
    elif k > n and len({v.number for v in numbers}) == 1:
        values = numbers[:n]
        out.remarks.append(f"表{table.number}“{row.full_label}”：原文有 {k} 个数字，多于 {n} 格，但全部为 "
                           f"{numbers[0].printed}，无论哪几格多余，各格都是 {numbers[0].printed}")
    elif k < n and _under_headers(f, positions):
        at = {i: v for i, v in f.values}
        values = [at.get(positions.get(c.id)) for c in columns]
    else:
        why = "没有数字" if k == 0 else (f"有 {k} 个数字（{printed}），多于 {n} 格，无法确定哪几格多余" if k > n
                                       else f"只有 {k} 个数字（{printed}），少于 {n} 格，无法确定缺的是哪一格")
        _blank(out, row, block, f"原文此行{why}，整行记为空。", printed)
        return
    cells = []
    for column, value in zip(columns, values):
        problem = unit_problem(value, column) if value is not None else None
        if value is None:
            out.notes[(row.id, column.id)] = (f"原文此格空白：此行只有 {k} 个数字（{printed}），"
                                              f"按表头位置对应到各列后，此列下没有数字。")
        elif problem:
            out.notes[(row.id, column.id)] = problem
        elif value.unit and not column.unit:
            out.remarks.append(f"表{table.number}“{row.full_label}”：原文此格为“{value.printed}”，本栏未规定单位，"
                               f"已记为 {value.number}，单位（{value.unit}）见原文")
        cells.append(None if value is None or problem else value.number)
    out.rows[row.id] = cells
    if None in cells:
        out.printed[row.id] = printed


def _under_headers(f: _Found, positions) -> bool:
    if not positions:
        return False
    first = min(positions.values())
    return (all(i in positions.values() for i, _ in f.values)
            and all(i < first for i, _ in f.texts))


def _blank(out: TableRead, row, block: Block, note: str, printed: str | None = None) -> None:
    out.rows[row.id] = [None] * len(block.columns)
    for column in block.columns:
        out.notes[(row.id, column.id)] = note
    if printed is not None:
        out.printed[row.id] = printed or "（无数字）"

