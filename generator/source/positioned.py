"""YAML loading that remembers where every key and value came from.

PyYAML's composer (libyaml's C parser when available) gives nodes with line and column; we build
plain Python values from them and keep a map from each value's path to its position, so that a
diagnostic can point at the exact cell an editor must fix. Duplicate keys, which PyYAML silently
overwrites, are refused. Floats load as Decimal so money keeps the digits the report printed.

The loader is hardened: content files come from many hands. Anchors and aliases (which make the
"billion laughs"), explicit tags, merge keys and nesting deeper than MAX_DEPTH are refused with a
message, the last before libyaml sees the text (its composer recurses in C and crashes on 100,000
open brackets). Scalars are read more strictly than YAML 1.1 reads them: a number is plain decimal
digits within bounds (MAX_INT, MAX_DECIMALS), so `010`, `0x10`, `1:03`, `1_000` and `1e3` stay text
for the checks to name instead of silently becoming 8, 16, 63 or 1000; an impossible date stays text.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import yaml

from . import slips

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _NULL, _BOOL, _DATE = (_TAG + t for t in ("str", "int", "float", "null", "bool", "timestamp"))
_MERGE, _VALUE, _SEQ, _MAP = (_TAG + t for t in ("merge", "value", "seq", "map"))

MAX_DEPTH = 20  # a report needs 4 levels (known_issues: - rule: …); more is a mistake or an attack
MAX_INT = 10 ** 12  # larger than any count or sum in 万元 a report prints; exact in a double and in SQLite
MAX_DECIMALS = 6  # places after the decimal point
# a plain decimal number: no leading zeros, no 0x/0o, no 1:03, no 1_000, no exponent
_DECIMAL = re.compile(rf"[-+]?(?:0|[1-9][0-9]{{0,12}})(?:\.[0-9]{{1,{MAX_DECIMALS}}})?")
_DATE_ONLY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# any tag, anchor or alias must begin a token: after a space, a line start or a flow indicator
_MARKED = re.compile(r"(?:^|[\s\[\]{},:\"'])[&*!]")
_NESTING = "[{-?:"  # every level of nesting needs one of these characters
_SCAN_ABOVE = 1000  # below this many, libyaml cannot nest deep enough to crash: no token scan
_TOO_DEEP = f"嵌套超过 {MAX_DEPTH} 层：报告只需几层（如 known_issues 的条目），请检查括号和缩进"
_NO_ALIAS = "不支持 YAML 锚点和别名{which}：请把每个值直接写出；以 * 或 & 开头的文字须加引号，如 \"*.new.total\""
_NO_TAG = "不支持 YAML 标签“{tag}”：请直接写值；以 ! 开头的文字须加引号"

Path = tuple[str | int, ...]  # (key, key, index, ...) from the document root


class Pos(NamedTuple):  # a tuple: one is made per cell
    line: int  # 1-based
    col: int  # 1-based


Scalar = int | Decimal | str | None  # what a row of plain numbers holds once read
Rows = dict[tuple[int, int], list[tuple[Scalar, int]]]  # (line, column of its `[`) -> [(value, column), ...]


class YamlError(Exception):
    """A document that cannot be read; `pos` is where the problem is."""

    def __init__(self, message: str, pos: Pos, rule: str = "yaml/syntax"):
        super().__init__(message)
        self.message, self.pos, self.rule = message, pos, rule


@dataclass
class Positioned:
    data: object
    values: dict[Path, Pos]  # where each value is
    keys: dict[Path, Pos]  # where the mapping key that holds each value is
    text: str = ""  # the YAML as written, from file line `first_line`
    first_line: int = 1

    def char_pos(self, path: Path, char: str) -> Pos:
        """Where `char` first appears on the line of the value at `path`, from the value on."""
        pos = self.pos(path)
        lines = self.text.split("\n")
        index = pos.line - self.first_line
        column = lines[index].find(char, pos.col - 1) if 0 <= index < len(lines) else -1
        return Pos(pos.line, column + 1) if column >= 0 else pos

    def pos(self, path: Path) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Pos(1, 1))


def load(text: str, first_line: int = 1) -> Positioned:
    """Load one YAML document; `first_line` is the file line on which `text` starts."""
    _screen(text, first_line - 1)
    rows, masked = _number_rows(text)
    if rows:
        try:
            out = _load(masked, first_line, rows)
            if not rows:  # every masked line was found where YAML reads values: the fast path holds
                return out
        except YamlError:
            pass  # the error is reported from the text as written, below
    return _load(text, first_line, {})


def _load(text: str, first_line: int, rows: Rows) -> Positioned:
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and ("flow" in exc.context or "quoted" in exc.context):
            mark = exc.context_mark  # an unclosed [ or " is fixed where it opens, not where it ends
        slip_error(text, offset, mark.line)
        rule = "yaml/alias" if exc.context and ("alias" in exc.context or "anchor" in exc.context) else "yaml/syntax"
        raise YamlError(_explain(exc, text, mark), Pos(mark.line + 1 + offset, mark.column + 1), rule) from None
    except yaml.YAMLError as exc:  # errors without a mark (rare: reader errors)
        raise YamlError(f"YAML 无法解析：{exc}", Pos(first_line, 1)) from None
    out = Positioned(None, {}, {}, text, first_line)
    if node is not None:
        out.data = _Builder(out, offset, rows).build(node, (), 1)
    return out


def slip_error(text: str, offset: int, last_line: int | None = None) -> None:
    """Raise the first full-width slip in YAML's structure (up to `last_line`), if there is one:
    it explains a syntax error better than YAML can."""
    found = slips.in_lines(text, last_line)
    if found:
        line, column, slip = found
        raise YamlError(slips.message(slip, slips.fixed(text.split("\n")[line].strip())),
                        Pos(line + 1 + offset, column + 1), "yaml/full-width")


def _screen(text: str, offset: int) -> None:
    """Refuse anchors, aliases and tags, and nesting deeper than MAX_DEPTH, before libyaml composes
    the text. Scanning tokens is cheap but not free, so only text that may hold them is scanned."""
    if not ((("&" in text or "*" in text or "!" in text) and _MARKED.search(text))
            or sum(text.count(c) for c in _NESTING) > _SCAN_ABOVE):
        return
    depth, loader = 0, _Loader(text)
    try:
        while (token := loader.get_token()) is not None:
            kind = type(token)
            if kind in _OPENS:
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(_TOO_DEEP, _pos(token.start_mark, offset), "yaml/depth")
            elif kind in _CLOSES:
                depth -= 1
            elif kind in (yaml.AnchorToken, yaml.AliasToken):
                mark = "&" if kind is yaml.AnchorToken else "*"
                raise YamlError(_NO_ALIAS.format(which=f"（“{mark}{token.value}”）"),
                                _pos(token.start_mark, offset), "yaml/alias")
            elif kind is yaml.TagToken:
                handle, suffix = token.value
                raise YamlError(_NO_TAG.format(tag=f"{handle or '!'}{suffix}"), _pos(token.start_mark, offset),
                                "yaml/tag")
    except yaml.YAMLError:
        pass  # a syntax error: the composer stops there too, and explains it
    finally:
        loader.dispose()


_OPENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken,
          yaml.BlockMappingStartToken)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


# Nearly every table row is one line of plain numbers, `  key: [1, 2, 3.5]`. libyaml would make a node
# per number and resolve each one's tag in Python, the bulk of a report's loading time. Such lines are
# read here instead, to exactly the values and positions YAML gives, and YAML sees a placeholder.
_ITEM = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|null|~"
_NUMBER_ROW = re.compile(rf"( *[A-Za-z_][A-Za-z0-9_]*: +)\[ *((?:{_ITEM})(?: *, *(?:{_ITEM}))*)? *\] *(\r?)")
_ITEMS = re.compile(_ITEM)
_MASK = "\ue000"  # a private-use character: YAML reads it as a plain string


def _number_rows(text: str) -> tuple[Rows, str]:
    """{(line, column of the `[`): [(value, column), ...]} and the text with those lists masked."""
    rows, lines = {}, text.split("\n")
    for i, line in enumerate(lines):
        if "[" in line and (m := _NUMBER_ROW.fullmatch(line)):
            start = m.end(1)
            rows[(i, start)] = [(_item(item.group()), m.start(2) + item.start())
                                for item in _ITEMS.finditer(m.group(2) or "")]
            lines[i] = m.group(1) + _MASK + m.group(3)
    return rows, "\n".join(lines) if rows else text


def _item(text: str) -> Scalar:
    if text in ("null", "~"):
        return None
    return number(text)


def number(text: str) -> int | Decimal | str:
    """A plain decimal number within bounds as int or Decimal; any other text stays as it is."""
    if not _DECIMAL.fullmatch(text):
        return text
    value = Decimal(text) if "." in text else int(text)
    return value if abs(value) <= MAX_INT else text


_NUMBER_FORMS = (  # (the form, why the archive refuses it) of text YAML 1.1 would have read as a number
    (re.compile(r"0[xX][0-9a-fA-F_]+"), "是十六进制写法（YAML 会把 0x10 读作 16）"),
    (re.compile(r"0[bB][01_]+"), "是二进制写法（YAML 会把 0b10 读作 2）"),
    (re.compile(r"0[oO][0-7_]+"), "是八进制写法（YAML 会把 0o10 读作 8）"),
    (re.compile(r"[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"), "是六十进制写法（YAML 会把 1:03 读作 63）"),
    (re.compile(r"(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9_]+)[eE][-+]?[0-9]+"), "是科学计数法（如 1e3）"),
    (re.compile(r"(?=.*[0-9])[0-9_.]*_[0-9_.]*"), "含下划线“_”"),
    (re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)"), "不是有限的数字"),
    (re.compile(r"0[0-9]+(?:\.[0-9]+)?"), "有前导零（YAML 会把 010 读作八进制的 8）"),
    (re.compile(r"[0-9]+\.|\.[0-9]+"), "小数点前后都须有数字"),
)
_DIGITS = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


def number_problem(text: str) -> tuple[str, str] | None:
    """(rule, why) when `text` is written as a number the archive does not accept: YAML 1.1's other
    forms (cell/number-form) or a plain number out of bounds (cell/range); None for other text."""
    body = text.strip()
    body = body[1:] if body[:1] in "+-" else body
    for form, why in _NUMBER_FORMS:
        if form.fullmatch(body):
            return "cell/number-form", why
    if (m := _DIGITS.fullmatch(body)) and number(body) == body:
        if m.group(2) and len(m.group(2)) > MAX_DECIMALS:
            return "cell/range", f"小数位数超过 {MAX_DECIMALS} 位"
        return "cell/range", f"绝对值超过 10¹²（{MAX_INT:,}）"
    return None


def _pos(mark, offset: int) -> Pos:
    return Pos(mark.line + 1 + offset, mark.column + 1)


class _Builder:
    """Plain values from composed nodes, with the position of each."""

    def __init__(self, out: Positioned, offset: int, rows: Rows):
        self.out, self.offset, self.rows = out, offset, rows
        self.constructor = _Loader("")
        self.seen: set[int] = set()  # collections already built: an alias the screen missed is refused

    def build(self, node, path: Path, depth: int):
        self.out.values[path] = pos = _pos(node.start_mark, self.offset)
        if isinstance(node, yaml.ScalarNode):
            if node.value == _MASK and self.rows:
                items = self.rows.pop((node.start_mark.line, node.start_mark.column), None)
                if items is not None:  # the masked list of numbers, read by _number_rows
                    for i, (_, column) in enumerate(items):
                        self.out.values[path + (i,)] = Pos(pos.line, column + 1)
                    return [value for value, _ in items]
            return self.scalar(node)
        if depth > MAX_DEPTH:
            raise YamlError(_TOO_DEEP, pos, "yaml/depth")
        if id(node) in self.seen:
            raise YamlError(_NO_ALIAS.format(which=""), pos, "yaml/alias")
        self.seen.add(id(node))
        if node.tag not in (_SEQ, _MAP):
            raise YamlError(_NO_TAG.format(tag=node.tag), pos, "yaml/tag")
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, path, depth)

    def mapping(self, node, path: Path, depth: int) -> dict:
        result, keys = {}, self.out.keys
        for key_node, value_node in node.value:
            at = _pos(key_node.start_mark, self.offset)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("键必须是简单的文字", at, "yaml/type")
            if key_node.tag == _MERGE:
                raise YamlError("不支持合并键“<<”：请把各键直接写出", at, "yaml/merge-key")
            key = self.scalar(key_node)
            if key is None:
                raise YamlError("键必须是简单的文字", at, "yaml/type")
            if key in result:
                first = keys[path + (key,)]
                raise YamlError(f"键“{key}”重复（第一次出现在第 {first.line} 行）", at, "yaml/duplicate-key")
            keys[path + (key,)] = at
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node):
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        if node.style:  # quoted or a block scalar, yet tagged otherwise: an explicit tag
            raise YamlError(_NO_TAG.format(tag=tag), _pos(node.start_mark, self.offset), "yaml/tag")
        if tag == _INT or tag == _FLOAT:
            return number(text)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self.constructor.construct_yaml_bool(node)
        if tag == _DATE:
            return _date(text, node, self.constructor)
        if tag in (_MERGE, _VALUE):  # `<<` or `=` as a value: text
            return text
        raise YamlError(_NO_TAG.format(tag=tag), _pos(node.start_mark, self.offset), "yaml/tag")


def _date(text: str, node, constructor):
    """A date, or a date and time; the text itself when there is no such day (2016-02-30)."""
    try:
        if m := _DATE_ONLY.fullmatch(text):
            return datetime.date(*map(int, m.groups()))
        return constructor.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return text


def _explain(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or str(exc)
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    if "\t" in line[: mark.column + 1]:
        return "YAML 中不能用制表符（Tab）缩进或分隔，请改用空格"
    if exc.context and ("alias" in exc.context or "anchor" in exc.context):
        return "以 * 或 & 开头的值会被 YAML 当作别名或锚点：文字请加引号，如 cell: \"*.new.total\""
    return f"YAML 语法错误：{problem}" + (f"（{exc.context}）" if exc.context else "")
