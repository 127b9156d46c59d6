"""YAML loading that remembers where every key and value came from.

PyYAML's composer (libyaml's C parser when available) gives nodes with line and column; we build
plain Python values from them and keep a map from each value's path to its position, so that a
diagnostic can point at the exact cell an editor must fix. Duplicate keys, which PyYAML silently
overwrites, are refused. Floats load as Decimal so money keeps the digits the report printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)")  # what YAML 1.1 reads as a decimal int (no 0o/0x/_ forms)

Path = tuple  # (key, key, index, ...) from the document root


class Pos(NamedTuple):  # a tuple: one is made per cell
    line: int  # 1-based
    col: int  # 1-based


class YamlError(Exception):
    """A document that cannot be read; `pos` is where the problem is."""

    def __init__(self, message: str, pos: Pos, rule: str = "yaml/syntax"):
        super().__init__(message)
        self.message, self.pos, self.rule = message, pos, rule


@dataclass
class Positioned:
    data: object
    values: dict  # Path -> Pos of the value
    keys: dict  # Path -> Pos of the mapping key that holds the value

    def pos(self, path: Path) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Pos(1, 1))


def load(text: str, first_line: int = 1) -> Positioned:
    """Load one YAML document; `first_line` is the file line on which `text` starts."""
    rows, masked = _number_rows(text)
    if rows:
        try:
            out = _load(masked, first_line, rows)
            if not rows:  # every masked line was found where YAML reads values: the fast path holds
                return out
        except YamlError:
            pass  # the error is reported from the text as written, below
    return _load(text, first_line, {})


def _load(text: str, first_line: int, rows: dict) -> Positioned:
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and ("flow" in exc.context or "quoted" in exc.context):
            mark = exc.context_mark  # an unclosed [ or " is fixed where it opens, not where it ends
        raise YamlError(_explain(exc, text, mark), Pos(mark.line + 1 + offset, mark.column + 1)) from None
    except yaml.YAMLError as exc:  # errors without a mark (rare: reader errors)
        raise YamlError(f"YAML 无法解析：{exc}", Pos(first_line, 1)) from None
    out = Positioned(None, {}, {})
    if node is not None:
        out.data = _build(node, (), out, offset, _Loader(""), rows)
    return out


# Nearly every table row is one line of plain numbers, `  key: [1, 2, 3.5]`. libyaml would make a node
# per number and resolve each one's tag in Python, the bulk of a report's loading time. Such lines are
# read here instead, to exactly the values and positions YAML gives, and YAML sees a placeholder.
_ITEM = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|null|~"
_NUMBER_ROW = re.compile(rf"( *[A-Za-z_][A-Za-z0-9_]*: +)\[ *((?:{_ITEM})(?: *, *(?:{_ITEM}))*)? *\] *(\r?)")
_ITEMS = re.compile(_ITEM)
_MASK = "\ue000"  # a private-use character: YAML reads it as a plain string


def _number_rows(text: str) -> tuple[dict, str]:
    """{(line, column of the `[`): [(value, column), ...]} and the text with those lists masked."""
    rows, lines = {}, text.split("\n")
    for i, line in enumerate(lines):
        if "[" in line and (m := _NUMBER_ROW.fullmatch(line)):
            start = m.end(1)
            rows[(i, start)] = [(_item(item.group()), m.start(2) + item.start())
                                for item in _ITEMS.finditer(m.group(2) or "")]
            lines[i] = m.group(1) + _MASK + m.group(3)
    return rows, "\n".join(lines) if rows else text


def _item(text: str):
    if text in ("null", "~"):
        return None
    return _decimal(text) if "." in text else int(text)


def _pos(mark, offset: int) -> Pos:
    return Pos(mark.line + 1 + offset, mark.column + 1)


def _build(node, path: Path, out: Positioned, offset: int, constructor, rows: dict):
    out.values[path] = _pos(node.start_mark, offset)
    if node.value == _MASK and rows:
        items = rows.pop((node.start_mark.line, node.start_mark.column), None)
        if items is not None:  # the masked list of numbers, read by _number_rows
            for i, (_, column) in enumerate(items):
                out.values[path + (i,)] = Pos(node.start_mark.line + 1 + offset, column + 1)
            return [value for value, _ in items]
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)) or key is None:
                raise YamlError("键必须是简单的文字", _pos(key_node.start_mark, offset), "yaml/type")
            if key in result:
                first = out.keys[path + (key,)]
                raise YamlError(f"键“{key}”重复（第一次出现在第 {first.line} 行）",
                                _pos(key_node.start_mark, offset), "yaml/duplicate-key")
            out.keys[path + (key,)] = _pos(key_node.start_mark, offset)
            result[key] = _build(value_node, path + (key,), out, offset, constructor, rows)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), out, offset, constructor, rows) for i, item in enumerate(node.value)]
    if node.tag == _FLOAT_TAG:
        return _decimal(node.value)
    if node.tag == _INT_TAG and _PLAIN_INT.fullmatch(node.value):
        return int(node.value)  # the common case, without the constructor's round trip
    return constructor.construct_object(node, deep=True)


def _decimal(text: str) -> Decimal:
    cleaned = text.replace("_", "")
    try:
        return Decimal(cleaned)
    except ArithmeticError:  # .inf / .nan: the checks refuse any non-finite number
        return Decimal("NaN")


def _explain(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or str(exc)
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    if "\t" in line[: mark.column + 1]:
        return "YAML 中不能用制表符（Tab）缩进或分隔，请改用空格"
    return f"YAML 语法错误：{problem}" + (f"（{exc.context}）" if exc.context else "")
