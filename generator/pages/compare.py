"""Year over year (/<body…>/<year>/compare/): a body's report beside its previous one, with the change
in every figure and rate of the summary and in every row of table 三 the two formats share.

The figures and rates are those of formats/rates.yaml and the formats' key figures, worked out by
points.py for each report in its own format, so a change of format (2019 → 2021) compares like with
like; table 三's rows are matched by id (both formats give their common rows the same ids), and a
row only one format prints is named as such.
"""
from __future__ import annotations

from ..archive import Archive
from ..model import Report
from ..points import summary

TABLE = "applications"  # the table compared row by row (its 总计 column)
COLUMN = "total"


def comparable(earlier: Report | None, later: Report) -> bool:
    return earlier is not None and earlier.format is not None and later.format is not None


def _change(a, b) -> str:
    if a is None or b is None:
        return "—"
    d = b - a
    return f"+{d}" if d > 0 else f"−{-d}" if d < 0 else "0"


def _points(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    d = round((b - a) * 100, 1)
    text = f"{abs(d):.1f}".removesuffix(".0")
    return ("+" if d > 0 else "−" if d < 0 else "") + f"{text} 个百分点"


def _only(report: Report) -> str:
    """The change column of a row only the report's format prints."""
    return f"仅 {report.format.id} 年格式有此行"


def _cell(report: Report, table: str, row: str):
    cell = report.cell(table, row, COLUMN) if report.format.table(table).block_of(row) else None
    return cell.value if cell is not None else None


def compare_context(archive: Archive, earlier: Report, later: Report) -> dict:
    a, b = summary(earlier), summary(later)
    figures = [(b[i].label, b[i].term, a[i], b[i], _change(a[i].value, b[i].value))
               for i in b.amounts if i in a.amounts]
    rates = [(rb.rate.label, rb.formula, ra, rb, _points(ra.value, rb.value)) for ra, rb in zip(a.rates, b.rates)]
    old, new = earlier.format.table(TABLE), later.format.table(TABLE)
    rows, seen = [], set()
    for row in (r for block in new.blocks for r in block.rows):
        seen.add(row.id)
        if earlier.row(TABLE, row.id) is None and later.row(TABLE, row.id) is None:
            continue  # an optional subtotal neither report prints
        if old.block_of(row.id) is None:
            rows.append((row.id, row.full_label, None, _cell(later, TABLE, row.id), _only(later)))
            continue
        x, y = _cell(earlier, TABLE, row.id), _cell(later, TABLE, row.id)
        rows.append((row.id, row.full_label, x, y, _change(x, y)))
    for row in (r for block in old.blocks for r in block.rows if r.id not in seen and earlier.row(TABLE, r.id)):
        rows.append((row.id, row.full_label, _cell(earlier, TABLE, row.id), None, _only(earlier)))
    gap = later.year - earlier.year - 1
    return {"earlier": earlier, "later": later, "body": archive.folders[later.folder],
            "figures": figures, "rates": rates, "rows": rows, "table": new,
            "format_changed": earlier.format.id != later.format.id, "gap": gap}
