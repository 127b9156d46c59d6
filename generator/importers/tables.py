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
    in_block = {b.id: [f for r, f in found.items() if table.block_of(r.id) is b] for b in table.blocks}
    positions = {b.id: _positions(b, in_block[b.id]) for b in table.blocks}
    tails = {b.id: _tail(b, in_block[b.id]) for b in table.blocks}
    for row in table.rows:
        block = table.block_of(row.id)
        if row in found:
            _fill(out, table, row, found[row], positions[block.id], tails[block.id])
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
    for i, line in enumerate(lines):
        values, texts = _classify(line)
        if not values:
            context.append(line)
            continue
        following = lines[i + 1] if i + 1 < len(lines) and not _classify(lines[i + 1])[0] else None
        row = _which_row(table, candidates, texts, context, following)
        item = _Found(line, values, texts, context)
        context = []
        if row is None:
            out.remarks.append(f"第 {line.number} 行有数字，但认不出属于表{table.number}的哪一行："
                               f"{' '.join(line.cells)}")
        elif row in found:
            out.remarks.append(f"第 {line.number} 行与第 {found[row].line.number} 行都是“{row.full_label}”，只读第一行")
        else:
            found[row] = item
    return found


def _which_row(table: Table, candidates: dict, texts: list, context: list[Line], following: Line | None = None):
    if not texts:  # a row of bare numbers: a one-row table (表四), or a label printed above and below it
        if len(table.rows) == 1:
            return table.rows[0]
        around = key(context[-1].text) if context else ""
        around += key(following.text) if following is not None else ""
        return labels.best(around, candidates)[0] if around else None
    last = key(texts[-1][1])
    whole = key("".join(t for _, t in texts))
    wrapped = key(context[-1].text) + whole if context else ""
    tries = [labels.best(text, candidates) for text in (last, whole, wrapped)]
    best = max(tries, key=lambda t: t[1])  # on a tie the earlier, narrower reading wins
    if best[0] is None and following is not None:  # the label's end printed on the next line (PDF text)
        best = labels.best(last + key(following.text), candidates)
    return best[0]


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


def _fill(out: TableRead, table: Table, row, f: _Found, positions, tail: int | None = None) -> None:
    block = table.block_of(row.id)
    columns, numbers = block.columns, [v for _, v in f.values]
    printed = " ".join(v.printed for v in numbers)
    n, k = len(columns), len(numbers)
    aligned = _aligned(f, n, tail)
    if k == n:
        values = numbers
    elif aligned is not None:  # a grid (TAB, web page, Word, PDF): blanks at their positions
        values = aligned
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
        if value is None and aligned is not None:
            out.notes[(row.id, column.id)] = (f"原文此格空白（此行 {n} 格中有 {k} 个数字：{printed}，"
                                              "按各格位置对应到列）。")
        elif value is None:
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


def _tail(block: Block, rows: list[_Found]) -> int | None:
    """How many fields follow the last value in the block's complete rows, if they all agree."""
    tails = {len(f.line.cells) - 1 - f.values[-1][0] for f in rows if len(f.values) == len(block.columns)}
    return tails.pop() if len(tails) == 1 else None


def _aligned(f: _Found, n: int, tail: int | None) -> list[Value | None] | None:
    """The row's values by position, an empty field being a blank cell where it stands; None when
    the positions are not certain. The values are the n fields before `tail` trailing ones (as in
    the block's complete rows), or, without such evidence, exactly the n fields after the label
    when the first is printed (an empty field next to the label may be a merged label cell)."""
    last_label = max((i for i, _ in f.texts), default=-1)
    fields = f.line.cells[last_label + 1:]
    if any(c and parse(c) is None for c in fields):
        return None
    if tail is not None and len(fields) >= n + tail:
        chosen, rest = fields[len(fields) - tail - n: len(fields) - tail], fields[: len(fields) - tail - n]
        chosen_ok = not any(rest) and not any(fields[len(fields) - tail:])
    else:
        chosen, chosen_ok = fields, len(fields) == n and (last_label < 0 or bool(fields[0]))
    if not chosen_ok or not any(chosen):
        return None
    return [parse(c) if c else None for c in chosen]


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

