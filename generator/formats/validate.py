"""Check a format spec file before the program trusts it: every key known, every reference resolved.

A spec is data the whole program reads, so a typo in it (a misspelt key, a rule id missing from the
rule catalogue, a key figure or sum naming a row that does not exist) must stop the program with the
file, line and key at fault, not fail silently or on some report. Problems are found on the YAML as
read (paths of keys and indexes); their lines are looked up only when there are any.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterator

from ..source.positioned import load

KINDS = ("count", "change", "money")
KeyPath = tuple[str | int, ...]  # keys and indexes from the top of the YAML document
Problem = tuple[KeyPath, str]  # (path of the value in the YAML, what is wrong)
Raw = dict[str, object]  # a mapping of the YAML as read

# The keys each kind of node may have: (required, optional)
TOP = ({"id", "name", "document", "tables", "rules"}, {"years", "expected_zero", "key_figures"})
YEARS = (set(), {"first", "last"})
TABLE = ({"id", "number", "title", "blocks"}, set())
BLOCK = ({"id", "columns", "rows"}, {"label", "stub"})
COLUMN_GROUP = ({"label", "columns"}, set())
COLUMN = ({"id", "label", "kind"}, {"unit", "aliases"})
ROW_GROUP = ({"label", "rows"}, {"subtotal"})
SUBTOTAL = ({"id"}, {"short"})
ROW = ({"id", "label"}, {"short", "aliases"})
RULE = ({"rule", "table", "for_each", "left", "right"}, set())
EXPECTED_ZERO = ({"table", "row", "unless_level"}, set())
KEY_FIGURE = ({"id", "label", "sum"}, set())
SECTION = ({"heading", "keywords"}, {"table"})


class SpecError(Exception):
    """A mistake in a spec file; the message has one line per problem, `file:line:col: …`."""


def raise_problems(file: Path, text: str, problems: list[Problem]) -> None:
    """Raise a SpecError naming each problem's file, line and column, if there are any."""
    if not problems:
        return
    where = load(text)
    lines = []
    for path, message in problems:
        pos = where.keys.get(path) or where.pos(path)
        lines.append(f"{file}:{pos.line}:{pos.col}: 格式定义错误：{_dotted(path)}：{message}")
    raise SpecError("\n".join(lines))


def _dotted(path: KeyPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "（文件）"


def keys(node, kind: tuple[set, set], path: KeyPath) -> Iterator[Problem]:
    """The node is a mapping with every required key and no unknown one (a typo names its likely key)."""
    if not isinstance(node, dict):
        yield path, "应为“键: 值”的映射"
        return
    required, optional = kind
    for key in sorted(required - node.keys()):
        yield path, f"缺少键“{key}”"
    for key in node:
        if key not in required | optional:
            close = difflib.get_close_matches(str(key), sorted(required | optional), n=1)
            hint = f"，是否应为“{close[0]}”？" if close else f"，可用的键：{'、'.join(sorted(required | optional))}"
            yield path + (key,), f"未知的键“{key}”{hint}"


def usable(node, kind: tuple[set, set]) -> bool:
    """Has the node what is needed to look further (an unknown key beside them is reported, not fatal)."""
    return isinstance(node, dict) and kind[0] <= node.keys()


def _strings(node, path: KeyPath, what: str, empty: bool = True) -> Iterator[Problem]:
    if not isinstance(node, list) or not all(isinstance(a, str) and a.strip() for a in node) or not (node or empty):
        yield path, f"{what}应为{'' if empty else '非空的'}文字列表（每项不能为空）"


def check_format(raw, rule_ids: frozenset[str], levels: tuple[str, ...]) -> list[Problem]:
    """Every problem of one format file's YAML (`rule_ids`: the rule catalogue; `levels`: of folders)."""
    problems = list(keys(raw, TOP, ()))
    if not usable(raw, TOP):
        return problems
    if "years" in raw:
        problems += keys(raw["years"], YEARS, ("years",))
        years = raw["years"] if isinstance(raw["years"], dict) else {}
        if any(not isinstance(years.get(k), (int, type(None))) for k in ("first", "last")):
            problems.append((("years",), "first 和 last 应为年份"))
        elif years.get("first") and years.get("last") and years["first"] > years["last"]:
            problems.append((("years", "last"), "last 早于 first"))
    tables = {}
    for i, table in enumerate(raw["tables"]):
        problems += keys(table, TABLE, ("tables", i))
        if usable(table, TABLE):
            if table["id"] in tables:
                problems.append((("tables", i, "id"), f"表“{table['id']}”重复"))
            tables[table["id"]] = _table(table, ("tables", i), problems)
    for i, rule in enumerate(raw["rules"]):
        problems += _rule(rule, ("rules", i), tables, rule_ids)
    for i, zero in enumerate(raw.get("expected_zero", ())):
        problems += _expected_zero(zero, ("expected_zero", i), tables, levels)
    for i, figure in enumerate(raw.get("key_figures", ())):
        problems += _key_figure(figure, ("key_figures", i), tables)
    return problems


class _Table:
    """What references into a table resolve against: its rows, each row's columns, all its columns."""

    def __init__(self):
        self.row_columns: dict[str, set[str]] = {}
        self.columns: set[str] = set()


def _table(table: Raw, path: KeyPath, problems: list[Problem]) -> _Table:
    out = _Table()
    for j, block in enumerate(table["blocks"]):
        where = path + ("blocks", j)
        problems += keys(block, BLOCK, where)
        if not usable(block, BLOCK):
            continue
        columns = {c for c in _columns(block["columns"], where + ("columns",), problems)}
        out.columns |= columns
        for row_id, row_path in _rows(block["rows"], where + ("rows",), problems):
            if row_id in out.row_columns:
                problems.append((row_path, f"行“{row_id}”在表“{table['id']}”中重复"))
            out.row_columns[row_id] = columns
    return out


def _columns(tree, path: KeyPath, problems: list[Problem]) -> Iterator[str]:
    for i, node in enumerate(tree if isinstance(tree, list) else ()):
        where = path + (i,)
        if isinstance(node, dict) and "columns" in node:
            problems += keys(node, COLUMN_GROUP, where)
            yield from _columns(node["columns"], where + ("columns",), problems)
            continue
        problems += keys(node, COLUMN, where)
        if not usable(node, COLUMN):
            continue
        if node["kind"] not in KINDS:
            problems.append((where + ("kind",), f"kind“{node['kind']}”无效，可用：{'、'.join(KINDS)}"))
        if "aliases" in node:
            problems += _strings(node["aliases"], where + ("aliases",), "aliases ")
        yield node["id"]


def _rows(tree, path: KeyPath, problems: list[Problem]) -> Iterator[tuple[str, KeyPath]]:
    for i, node in enumerate(tree if isinstance(tree, list) else ()):
        where = path + (i,)
        if isinstance(node, dict) and "rows" in node:
            problems += keys(node, ROW_GROUP, where)
            if "subtotal" in node:
                problems += keys(node["subtotal"], SUBTOTAL, where + ("subtotal",))
                if usable(node["subtotal"], SUBTOTAL):
                    yield node["subtotal"]["id"], where + ("subtotal", "id")
            yield from _rows(node["rows"], where + ("rows",), problems)
            continue
        problems += keys(node, ROW, where)
        if usable(node, ROW):
            if "aliases" in node:
                problems += _strings(node["aliases"], where + ("aliases",), "aliases ")
            yield node["id"], where + ("id",)


def _rule(rule, path: KeyPath, tables: dict[str, _Table], rule_ids: frozenset[str]) -> Iterator[Problem]:
    yield from keys(rule, RULE, path)
    if not usable(rule, RULE):
        return
    if rule["rule"] not in rule_ids:
        yield path + ("rule",), f"规则“{rule['rule']}”不在规则目录 checks/rules.yaml 中"
    table = tables.get(rule["table"])
    if table is None:
        yield path + ("table",), f"未知的表“{rule['table']}”"
        return
    if rule["for_each"] not in ("column", "row"):
        yield path + ("for_each",), "for_each 应为 column 或 row"
        return
    known, what = (table.row_columns, "行") if rule["for_each"] == "column" else (table.columns, "列")
    for side in ("left", "right"):
        terms = rule[side]
        if not isinstance(terms, list) or not terms:
            yield path + (side,), "应为非空的列表"
            continue
        for i, term in enumerate(terms):
            name = str(term).lstrip("-").removeprefix("last_year.")
            if name not in known:
                yield path + (side, i), f"表“{rule['table']}”中没有{what}“{name}”"


def _expected_zero(zero, path: KeyPath, tables: dict[str, _Table], levels: tuple[str, ...]) -> Iterator[Problem]:
    yield from keys(zero, EXPECTED_ZERO, path)
    if not usable(zero, EXPECTED_ZERO):
        return
    table = tables.get(zero["table"])
    if table is None:
        yield path + ("table",), f"未知的表“{zero['table']}”"
    elif zero["row"] not in table.row_columns:
        yield path + ("row",), f"表“{zero['table']}”中没有行“{zero['row']}”"
    unknown = [v for v in zero["unless_level"] or () if v not in levels] if isinstance(zero["unless_level"], list) \
        else [zero["unless_level"]]
    if unknown:
        yield path + ("unless_level",), f"层级“{unknown[0]}”无效，可用：{'、'.join(levels)}"


def _key_figure(figure, path: KeyPath, tables: dict[str, _Table]) -> Iterator[Problem]:
    yield from keys(figure, KEY_FIGURE, path)
    if not usable(figure, KEY_FIGURE):
        return
    if not isinstance(figure["sum"], list) or not figure["sum"]:
        yield path + ("sum",), "应为非空的列表，每项写作 表.行.列"
        return
    for i, cell in enumerate(figure["sum"]):
        parts = str(cell).split(".")
        table = tables.get(parts[0]) if len(parts) == 3 else None
        if table is None:
            yield path + ("sum", i), f"“{cell}”应写作 表.行.列，且表须存在"
        elif parts[1] not in table.row_columns:
            yield path + ("sum", i), f"表“{parts[0]}”中没有行“{parts[1]}”"
        elif parts[2] not in table.row_columns[parts[1]]:
            yield path + ("sum", i), f"表“{parts[0]}”的行“{parts[1]}”没有列“{parts[2]}”"


def check_key_figures_agree(raws: dict[Path, Raw]) -> list[tuple[Path, Problem]]:
    """Every format lists the same key figures in the same order: pages sum them across formats."""
    ids = {file: [k.get("id") for k in raw.get("key_figures", ()) if isinstance(k, dict)] for file, raw in raws.items()}
    first = next(iter(ids.values()), [])
    return [(file, (("key_figures",), f"关键数字应与其他格式相同且同序：{'、'.join(map(str, first))}"))
            for file, found in ids.items() if found != first]


def check_sections(raw) -> list[Problem]:
    if not isinstance(raw, dict) or not isinstance(raw.get("sections"), list):
        return [((), "应有 sections 列表")]
    problems = []
    for i, section in enumerate(raw["sections"]):
        problems += keys(section, SECTION, ("sections", i))
        if usable(section, SECTION):
            problems += _strings(section["keywords"], ("sections", i, "keywords"), "keywords ", empty=False)
            if not str(section["heading"]).split("、")[0]:
                problems.append((("sections", i, "heading"), "标题应以序号开头，如“一、总体情况”"))
    return problems
