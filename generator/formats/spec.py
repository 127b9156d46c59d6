"""Load the format spec files (f*.yaml beside this module) into a small object model.

A spec is trees of labelled groups (for rendering merged header cells and indented row groups)
whose leaves are the columns and rows that hold numbers. Everything else in the program asks
this model: which rows a report must have, how long each row is, what kind each cell is, which
sums must hold, and how the printed form is laid out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, wraps
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

from ..diagnostics import CATALOGUE
from ..source.tree import LEVELS
from . import validate
from .validate import SpecError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the spec is read at every start
HERE = Path(__file__).parent

KINDS = set(validate.KINDS)



Node = dict[str, Any]  # a mapping of the spec files as written: a table, block, row or column

@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str
    unit: str | None
    groups: tuple[str, ...]  # labels of the header groups above it, outermost first
    aliases: tuple[str, ...] = ()  # other printed wordings (damaged templates), for the importer

    @property
    def full_label(self) -> str:
        """Label that names the column unambiguously, e.g. 行政诉讼·复议后起诉·总计."""
        return "·".join(self.groups[-2:] + (self.label,)) if self.groups else self.label


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    short: str
    groups: tuple[str, ...]  # labels of the row groups it sits in, outermost first
    optional: bool = False  # a subtotal row that only some local templates print
    subtotal: bool = False
    aliases: tuple[str, ...] = ()  # other printed wordings, for the importer

    @property
    def full_label(self) -> str:
        """A numbered sub-item with its group, e.g. （三）不予公开·1.属于国家秘密."""
        return f"{self.groups[-1]}·{self.label}" if len(self.groups) >= 2 else self.label


@dataclass(frozen=True)
class Block:
    id: str
    label: str | None
    stub: str | None  # the printed text of the top-left header cell
    column_tree: list[Node]  # the header tree as written, for layouts that draw it
    row_tree: list[Node]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def column_index(self, column_id: str) -> int:
        return self.column_indexes[column_id]

    @cached_property
    def column_indexes(self) -> dict[str, int]:
        # the checks look cells up millions of times at scale: the lookups are dicts, built once
        return {c.id: i for i, c in enumerate(self.columns)}


@dataclass(frozen=True)
class Table:
    id: str
    number: str
    title: str
    blocks: tuple[Block, ...]

    def block_of(self, row_id: str) -> Block | None:
        return self._blocks_by_row.get(row_id)

    def row(self, row_id: str) -> Row | None:
        return self._rows_by_id.get(row_id)

    @cached_property
    def _blocks_by_row(self) -> dict[str, Block]:
        return {r.id: b for b in self.blocks for r in b.rows}

    @cached_property
    def _rows_by_id(self) -> dict[str, Row]:
        return {r.id: r for b in self.blocks for r in b.rows}

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.rows)


@dataclass(frozen=True)
class Term:
    id: str
    sign: int = 1
    last_year: bool = False

    @classmethod
    def parse(cls, text: str) -> "Term":
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("-")
        last_year = text.startswith("last_year.")
        return cls(text.removeprefix("last_year."), sign, last_year)


@dataclass(frozen=True)
class Rule:
    """left = right, once per column (terms are rows) or once per row (terms are columns)."""

    rule: str
    table: str
    for_each: str  # "column" | "row"
    left: tuple[Term, ...]
    right: tuple[Term, ...]

    @property
    def cross_year(self) -> bool:
        return any(t.last_year for t in self.left + self.right)


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    document: str
    first_year: int | None
    last_year: int | None
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]
    expected_zero: tuple[dict, ...] = field(default=())
    key_figures: tuple[dict, ...] = field(default=())

    def table(self, table_id: str) -> Table | None:
        return self._tables_by_id.get(table_id)

    @cached_property
    def _tables_by_id(self) -> dict[str, Table]:
        return {t.id: t for t in self.tables}

    def __reduce__(self):
        # pickled by name: report metadata crosses between processes without copying the spec
        return get_format, (self.id,)

    def usual_for(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year)


def _columns(tree: list, groups: tuple = ()) -> list[Column]:
    out = []
    for node in tree:
        if "columns" in node:
            out += _columns(node["columns"], groups + (node["label"],))
        else:
            out.append(Column(node["id"], node["label"], node["kind"], node.get("unit"), groups,
                              _aliases(node)))
    return out


def _rows(tree: list, groups: tuple = ()) -> list[Row]:
    out = []
    for node in tree:
        if "rows" in node:
            inner = groups + (node["label"],)
            if "subtotal" in node:
                sub = node["subtotal"]
                out.append(Row(sub["id"], node["label"], sub.get("short", node["label"]), groups,
                               optional=True, subtotal=True))
            out += _rows(node["rows"], inner)
        else:
            out.append(Row(node["id"], node["label"], node.get("short", node["label"]), groups,
                           aliases=_aliases(node)))
    return out


def _aliases(node: Node) -> tuple[str, ...]:
    return tuple(node.get("aliases", ()))


def _block(raw: Node) -> Block:
    return Block(raw["id"], raw.get("label"), raw.get("stub"), raw["columns"], raw["rows"],
                 tuple(_columns(raw["columns"])), tuple(_rows(raw["rows"])))


def _rule(raw: Node) -> Rule:
    return Rule(raw["rule"], raw["table"], raw["for_each"],
                tuple(map(Term.parse, raw["left"])), tuple(map(Term.parse, raw["right"])))


def _read(path: Path) -> tuple[str, object]:
    text = path.read_text(encoding="utf-8")
    return text, yaml.load(text, Loader=_LOADER)


def _shown(path: Path) -> str:
    """The spec file as messages name it: from the folder holding the package."""
    return str(path.relative_to(HERE.parents[1])) if path.is_relative_to(HERE.parents[1]) else str(path)


def load_format(path: Path) -> Format:
    """One format file; SpecError if any key is unknown or any reference does not resolve."""
    return load_formats([path])[0]


def load_formats(paths: list[Path]) -> list[Format]:
    """Format files, each read once and checked before use: SpecError names the file, line and key of
    every mistake (an unknown key, a rule missing from the catalogue, a sum naming no cell …)."""
    read = {path: _read(path) for path in paths}
    for path, (text, raw) in read.items():
        validate.raise_problems(_shown(path), text, validate.check_format(raw, frozenset(CATALOGUE), LEVELS))
    for path, problem in validate.check_key_figures_agree({p: raw for p, (_, raw) in read.items()}):
        validate.raise_problems(_shown(path), read[path][0], [problem])
    return [_format(raw) for _, raw in read.values()]


def _format(raw: Node) -> Format:
    tables = tuple(Table(t["id"], t["number"], t["title"], tuple(map(_block, t["blocks"])))
                   for t in raw["tables"])
    years = raw.get("years", {})
    return Format(str(raw["id"]), raw["name"], raw["document"], years.get("first"), years.get("last"),
                  tables, tuple(map(_rule, raw["rules"])), tuple(raw.get("expected_zero", ())),
                  tuple(raw.get("key_figures", ())))


def _load_all() -> dict[str, Format]:
    try:
        return {f.id: f for f in load_formats(sorted(HERE.glob("f*.yaml")))}
    except SpecError as exc:  # a broken spec stops every command, with the file and line at fault
        raise SystemExit(str(exc)) from None


FORMATS: dict[str, Format] = _load_all()


@dataclass(frozen=True)
class Section:
    """One of the six numbered sections every report has, in every format (formats.md §3)."""

    numeral: str
    heading: str
    keywords: tuple[str, ...]  # a variant heading names at least one of these
    table: bool  # the section holds a table of the format (二, 三, 四)


def _load_sections(path: Path = HERE / "sections.yaml") -> tuple[Section, ...]:
    text, raw = _read(path)
    try:
        validate.raise_problems(_shown(path), text, validate.check_sections(raw))
    except SpecError as exc:
        raise SystemExit(str(exc)) from None
    return tuple(Section(s["heading"].split("、")[0], s["heading"], tuple(s["keywords"]), s.get("table", False))
                 for s in raw["sections"])


SECTIONS: tuple[Section, ...] = _load_sections()


def get_format(format_id: str) -> Format | None:
    return FORMATS.get(str(format_id))


def usual_format(year: int) -> Format | None:
    """The format a report of this year usually follows (None: before any national format). Where the
    years of two formats overlap, the newer one: it replaced the other. `check` warns about a report in
    another format and `new` writes this one, so both ask here."""
    usual = [f for f in FORMATS.values() if f.usual_for(year)]
    return max(usual, key=lambda f: (f.first_year or 0, f.id)) if usual else None


T = TypeVar("T")


def per_format(make: Callable[[Format], T]) -> Callable[[Format], T]:
    """`make(fmt)` worked out once per format and remembered by the format's id (what other layers
    derive from a spec: hashing a Format itself would walk all of it on every call)."""
    made: dict[str, T] = {}

    @wraps(make)
    def get(fmt: Format) -> T:
        if fmt.id not in made:
            made[fmt.id] = make(fmt)
        return made[fmt.id]
    return get
