"""A page of the site as the page models make it: rendered elsewhere (render/, outputs.py)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Page:
    url: str
    template: str
    context: dict[str, object]
    owner: str  # what asked for this page, named when two pages claim one path
