"""Load claims.yaml: the phrasings a narrative uses to state a figure, mapped to cells of the formats.

Validated when loaded, like the format files: an unknown key, an unknown cell, a regular expression
that does not compile or a unit that does not fit the cells is a programming error, reported at import
with the entry's id, not on some report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from .spec import FORMATS

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PATH = Path(__file__).parent / "claims.yaml"
_ENTRY_KEYS = {"id", "label", "sum", "phrases", "none", "exclude", "allow", "sentence_has", "sentence_lacks"}


class ClaimsSpecError(ValueError):
    pass


@dataclass(frozen=True)
class Phrase:
    lead: re.Pattern  # searched at the end of the lead
    after: re.Pattern | None  # matched at the start of the tail


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    label: str
    cells: tuple[tuple[str, str, str], ...]  # (table, row, column), summed
    phrases: tuple[Phrase, ...]  # a figure stated in the prose
    none: tuple[re.Pattern, ...]  # a clause saying there was nothing: the sum is 0
    exclude: re.Pattern | None  # the lead must not contain any of these
    sentence_has: tuple[str, ...]
    sentence_lacks: tuple[str, ...]
    money: bool  # the cells are money (万元), the figure must be in a money unit

    @property
    def table(self) -> str:
        return self.cells[0][0]


@dataclass(frozen=True)
class ClaimsSpec:
    count_units: tuple[str, ...]
    money_units: dict[str, Decimal]  # unit -> its value in 万元
    approximate: tuple[str, ...]
    approximate_after: tuple[str, ...]
    claims: tuple[ClaimSpec, ...]


def _fail(where: str, problem: str):
    raise ClaimsSpecError(f"{PATH.name}: {where}: {problem}")


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def macro(match):
        if match.group(1) not in macros:
            _fail(where, f"unknown macro ${{{match.group(1)}}}")
        return macros[match.group(1)]
    return re.sub(r"\$\{([a-z_]+)\}", macro, pattern)


def _compile(pattern, macros: dict[str, str], where: str, suffix: str = "", prefix: str = "") -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        _fail(where, f"a pattern must be a non-empty string, not {pattern!r}")
    try:
        return re.compile(prefix + "(?:" + _expand(pattern, macros, where) + ")" + suffix)
    except re.error as exc:
        _fail(where, f"pattern {pattern!r} does not compile: {exc}")


def _cell(path, where: str) -> tuple[str, str, str]:
    parts = tuple(path.split(".")) if isinstance(path, str) else ()
    if len(parts) != 3:
        _fail(where, f"a cell is table.row.column, not {path!r}")
    return parts


def _kinds(cells, where: str) -> set[str]:
    """The kinds of the cells, where a format has them all; fails if no format has them all."""
    kinds = set()
    for fmt in FORMATS.values():
        table = fmt.table(cells[0][0])
        found = []
        for table_id, row_id, column_id in cells:
            block = table.block_of(row_id) if table and table_id == table.id else None
            column = next((c for c in block.columns if c.id == column_id), None) if block else None
            found.append(column)
        if all(found):
            kinds |= {c.kind for c in found}
    if not kinds:
        _fail(where, "no format has every cell of `sum` in one table")
    return kinds


def _words(raw, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        _fail(where, f"`{key}` must be a list of words")
    return tuple(value)


def _entry(raw, macros: dict, exclude: tuple[str, ...], seen: set) -> ClaimSpec:
    where = f"claim {raw.get('id') if isinstance(raw, dict) else raw!r}"
    if not isinstance(raw, dict) or set(raw) - _ENTRY_KEYS or not {"id", "label", "sum"} <= set(raw):
        _fail(where, f"an entry has id, label, sum and phrases or none (allowed keys: {sorted(_ENTRY_KEYS)})")
    if not re.fullmatch(r"[a-z0-9_]+", str(raw["id"])) or raw["id"] in seen:
        _fail(where, "ids are unique, in lower case letters, digits and _ (they name known_issues cells)")
    seen.add(raw["id"])
    if ("phrases" in raw) == ("none" in raw):
        _fail(where, "an entry has either `phrases` (a stated figure) or `none` (a statement of nothing)")
    cells = tuple(_cell(c, where) for c in raw["sum"]) if isinstance(raw["sum"], list) and raw["sum"] else ()
    if not cells:
        _fail(where, "`sum` must list at least one cell")
    kinds = _kinds(cells, where)
    if len(kinds) > 1:
        _fail(where, f"cells of one claim must be of one kind, not {sorted(kinds)}")
    phrases = []
    for item in raw.get("phrases", []):
        item = {"lead": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or set(item) - {"lead", "after"} or "lead" not in item:
            _fail(where, "a phrase is a lead pattern, or {lead, after}")
        after = _compile(item["after"], macros, where) if "after" in item else None
        phrases.append(Phrase(_compile(item["lead"], macros, where, suffix="$"), after))
    allow = set(_words(raw, "allow", where))
    if allow - set(exclude):
        _fail(where, f"`allow` names words not in the global `exclude`: {sorted(allow - set(exclude))}")
    words = [w for w in exclude if w not in allow] + list(_words(raw, "exclude", where))
    return ClaimSpec(raw["id"], str(raw["label"]), cells, tuple(phrases),
                     tuple(_compile(p, macros, where) for p in raw.get("none", [])),
                     _compile("|".join(_expand(w, macros, where) for w in words), {}, where) if words else None,
                     _words(raw, "sentence_has", where), _words(raw, "sentence_lacks", where), kinds == {"money"})


def load_claims(path: Path = PATH) -> ClaimsSpec:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(raw, dict) or set(raw) != {"units", "exclude", "approximate", "approximate_after", "macros",
                                                 "claims"}:
        _fail("top level", "keys are units, exclude, approximate, approximate_after, macros, claims")
    units = raw["units"]
    if not isinstance(units, dict) or set(units) != {"count", "money"}:
        _fail("units", "units has count (a list) and money (unit: value in 万元)")
    macros = {str(k): str(v) for k, v in (raw["macros"] or {}).items()}
    exclude = _words(raw, "exclude", "top level")
    seen: set = set()
    claims = tuple(_entry(entry, macros, exclude, seen) for entry in raw["claims"])
    money = {str(k): Decimal(str(v)) for k, v in units["money"].items()}
    return ClaimsSpec(_words(units, "count", "units"), money, _words(raw, "approximate", "top level"),
                      _words(raw, "approximate_after", "top level"), claims)


CLAIMS: ClaimsSpec = load_claims()
