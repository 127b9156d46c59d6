"""Slips of a Chinese keyboard: full-width punctuation or digits typed where YAML or a number needs the
ASCII ones. YAML's own reaction misleads (`[0，0，0]` is one cell of text; `title：…` fails a line
later, in English), so each slip is found and named, with its fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# full-width character -> (its name, the ASCII character meant, that character's name)
_PUNCTUATION = {
    "，": ("全角逗号", ",", "半角逗号"),
    "、": ("顿号", ",", "半角逗号"),
    "：": ("全角冒号", ":", "半角冒号"),
    "［": ("全角方括号", "[", "半角方括号"),
    "］": ("全角方括号", "]", "半角方括号"),
    "【": ("方头括号", "[", "半角方括号"),
    "】": ("方头括号", "]", "半角方括号"),
    "｛": ("全角花括号", "{", "半角花括号"),
    "｝": ("全角花括号", "}", "半角花括号"),
    "．": ("全角句点", ".", "半角句点"),
    "－": ("全角减号", "-", "半角减号"),
    "　": ("全角空格", " ", "半角空格"),
}
_SLIPS = _PUNCTUATION | {chr(0xFF10 + d): ("全角数字", str(d), "半角数字") for d in range(10)}
_ANY = re.compile("[" + "".join(_SLIPS) + "]")
_TO_ASCII = str.maketrans({k: v[1] for k, v in _SLIPS.items()})
# a key typed with a full-width colon (or a full-width space after its colon) at the start of a line
_KEY = re.compile(r" *(?:- +)?[A-Za-z_][A-Za-z0-9_]* *(：|:　)")
# the value of a `key: [...]` line (or a list item) that opens a flow list or mapping; opened by a full-width
# bracket only when it holds nothing but numbers (a title may well begin with 【)
_FLOW_VALUE = re.compile(r" *(?:- +|[A-Za-z_][A-Za-z0-9_]*[ 　]*[:：][ 　]*)"
                         r"([\[{].*|[［【｛][-－.．0-9０-９,，、 　nul~]*[］】｝\]}]? *(?:#.*)?)\r?$")


@dataclass(frozen=True)
class Slip:
    index: int  # in the text searched
    char: str

    @property
    def what(self) -> str:
        return f"{_SLIPS[self.char][0]}“{self.char}”"

    @property
    def fix(self) -> str:
        name, ascii_char, ascii_name = _SLIPS[self.char]
        return f"{ascii_name}“{ascii_char}”"


def find(text: str) -> Slip | None:
    """The first full-width slip in `text` (a value that should have been a number, list or key)."""
    m = _ANY.search(text)
    return Slip(m.start(), m.group()) if m else None


def fixed(text: str) -> str:
    """`text` with every slip replaced by what was meant, lists spaced as YAML writes them."""
    text = text.translate(_TO_ASCII)
    return re.sub(r" *([,:]) *", r"\1 ", text).replace(" ]", "]").strip()


def in_lines(text: str, last_line: int | None = None) -> tuple[int, int, Slip] | None:
    """(line index, column index, slip) of the first slip where YAML's structure is written: a key's
    colon, or a flow list's brackets and commas. Lines after `last_line` (0-based) are not looked at."""
    for i, line in enumerate(text.split("\n")):
        if last_line is not None and i > last_line:
            break
        if m := _KEY.match(line):
            return i, m.end(1) - 1, Slip(m.end(1) - 1, m.group(1)[-1])
        if (m := _FLOW_VALUE.match(line)) and (slip := find(m.group(1))):
            return i, m.start(1) + slip.index, slip
    return None


def message(slip: Slip, suggestion: str = "") -> str:
    """用了全角逗号“，”，应为半角逗号“,”：改为 [0, 0, 0]"""
    return f"用了{slip.what}，应为{slip.fix}" + (f"：改为 {suggestion}" if suggestion else "")
