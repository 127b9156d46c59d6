"""Deterministic JSON text with exact decimals.

The stdlib encoder turns Decimal into float (or refuses it); money must keep the digits the report
printed. Keys keep their order (the spec's printed order); a dict or list of plain values stays on one
line so that each table row reads as one line.
"""
from __future__ import annotations

import json
from decimal import Decimal

from .records import number_text

INDENT = " "
JSONObject = dict[str, object]  # a JSON object, keys in the order written
_scalar = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps would make one per value


class Raw(str):
    """JSON text encoded beforehand, for the depth at which it is placed: written as it is."""


def dumps(value) -> str:
    return encode(value, 0) + "\n"


def encode(value, depth: int) -> str:
    """`value` as it is written `depth` levels below the top of a document."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, (dict, list)):
        return _container(value, depth)
    return _scalar(value)


_flat = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _container(value, depth: int) -> str:
    values = value.values() if isinstance(value, dict) else value
    if not any(isinstance(v, (dict, list, Decimal, Raw)) for v in values):
        return _flat(value)  # one line of plain values: the C encoder writes it the same way, faster
    pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    parts = [(_scalar(k) + ": " if k is not None else "") + encode(v, depth + 1)
             for k, v in pairs]
    start, end = "{}" if isinstance(value, dict) else "[]"
    if not parts:
        return start + end
    if not any(isinstance(v, (dict, list, Raw)) for v in (value.values() if isinstance(value, dict) else value)):
        return start + ", ".join(parts) + end
    pad = "\n" + INDENT * (depth + 1)
    return start + pad + ("," + pad).join(parts) + "\n" + INDENT * depth + end
