"""The figures and rates of rates.yaml, checked against every format when loaded.

A figure is a sum of cells (table + rows × columns); a rate divides the sum of some figures by the
sum of others. The formats' own key figures (spec `key_figures`) are figures too, by id, since their
rows differ between the formats (（六）其他处理 is one row in 2019, three in 2021).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .spec import FORMATS, Format, Node, per_format

RATES_FILE = Path(__file__).parent / "rates.yaml"

CellPath = tuple[str, str, str]  # table, row, column


class RatesError(ValueError):
    """rates.yaml names something no format has: a programming error, reported at import."""


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    cells: tuple[CellPath, ...]


@dataclass(frozen=True)
class Rate:
    id: str
    label: str
    meaning: str
    numerator: tuple[str, ...]  # figure ids, added
    denominator: tuple[str, ...]

    def formula(self, labels: dict[str, str]) -> str:
        """The short formula readers see, e.g. （予以公开 + 部分公开）÷ 办结."""
        return f"{_side(self.numerator, labels)} ÷ {_side(self.denominator, labels)}"


def _side(ids: tuple[str, ...], labels: dict[str, str]) -> str:
    text = " + ".join(labels[i] for i in ids)
    return f"（{text}）" if len(ids) > 1 else text


@dataclass(frozen=True)
class Rates:
    figures: dict[str, dict]  # id -> the raw figure (label, table, rows, columns)
    rates: tuple[Rate, ...]


def _fail(message: str) -> None:
    raise RatesError(f"{RATES_FILE.name}: {message}")


def _text(raw: Node, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{where}: `{key}` 须为非空文字")
    return value


def _ids(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        _fail(f"{where}: `{key}` 须为非空的标识列表")
    return tuple(value)


def load_rates(path: Path = RATES_FILE, formats: dict[str, Format] = FORMATS) -> Rates:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or set(raw) != {"figures", "rates"}:
        _fail("须有且只有 figures 和 rates 两项")
    figures = {}
    for figure_id, spec in raw["figures"].items():
        where = f"figures.{figure_id}"
        if not isinstance(spec, dict) or set(spec) != {"label", "table", "rows", "columns"}:
            _fail(f"{where}: 须有 label、table、rows、columns 四项")
        _text(spec, "label", where)
        _text(spec, "table", where)
        for fmt in formats.values():
            _check_cells(fmt, spec["table"], _ids(spec, "rows", where), _ids(spec, "columns", where), where)
            if any(k["id"] == figure_id for k in fmt.key_figures):
                _fail(f"{where}: 与 {fmt.id} 年格式的 key_figures 重名")
        figures[figure_id] = spec
    rates, seen = [], set()
    for spec in raw["rates"]:
        where = f"rates.{spec.get('id')}"
        rate = Rate(_text(spec, "id", "rates"), _text(spec, "label", where), _text(spec, "meaning", where),
                    _ids(spec, "numerator", where), _ids(spec, "denominator", where))
        if rate.id in seen or set(spec) != {"id", "label", "meaning", "numerator", "denominator"}:
            _fail(f"{where}: 标识重复或有未知的项")
        seen.add(rate.id)
        for fmt in formats.values():
            known = set(figures) | {k["id"] for k in fmt.key_figures}
            for figure_id in rate.numerator + rate.denominator:
                if figure_id not in known:
                    _fail(f"{where}: 未知的数字 {figure_id}（{fmt.id} 年格式）")
        rates.append(rate)
    return Rates(figures, tuple(rates))


def _check_cells(fmt: Format, table_id: str, rows: tuple[str, ...], columns: tuple[str, ...], where: str) -> None:
    table = fmt.table(table_id)
    if table is None:
        _fail(f"{where}: {fmt.id} 年格式没有表 {table_id}")
    for row_id in rows:
        block = table.block_of(row_id)
        if block is None or table.row(row_id).optional:
            _fail(f"{where}: {fmt.id} 年格式表 {table_id} 没有必有的行 {row_id}")
        for column_id in columns:
            if column_id not in block.column_indexes:
                _fail(f"{where}: {fmt.id} 年格式表 {table_id} 行 {row_id} 没有列 {column_id}")


RATES = load_rates()


@per_format
def figures_of(fmt: Format) -> dict[str, Figure]:
    """Every figure a format can sum: its key figures, then those of rates.yaml, by id."""
    out = {k["id"]: Figure(k["id"], k["label"], tuple(tuple(p.split(".")) for p in k["sum"]))
           for k in fmt.key_figures}
    for figure_id, spec in RATES.figures.items():
        out[figure_id] = Figure(figure_id, spec["label"],
                                tuple((spec["table"], r, c) for r in spec["rows"] for c in spec["columns"]))
    return out
