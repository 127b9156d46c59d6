"""Highlight sentences of the narrative: a <mark> with an id, that the quality panel links to.

A mark is found in the text runs markdown makes (pages/prose.py looks for a sentence that crosses
markup, such as **bold**, by its longest plain run instead); each mark is used once, in order.
"""
from __future__ import annotations

from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml


@dataclass
class Mark:
    text: str  # the sentence as written
    id: str  # the element id, e.g. claim-1
    css: str  # class
    title: str  # the warning, as a tooltip


def marked(content: str, pending: list[Mark], escape=escapeHtml) -> str | None:
    """The run's HTML with every pending mark it contains wrapped (and removed from `pending`);
    None if it contains none."""
    places = []
    for mark in list(pending):
        at = content.find(mark.text)
        if at >= 0 and not any(a < at + len(mark.text) and at < b for a, b, _ in places):
            places.append((at, at + len(mark.text), mark))
            pending.remove(mark)
    if not places:
        return None
    out, start = [], 0
    for a, b, mark in sorted(places, key=lambda p: p[0]):
        out.append(escape(content[start:a]))
        out.append(f'<mark id="{escapeHtml(mark.id)}" class="{escapeHtml(mark.css)}" title="{escapeHtml(mark.title)}">'
                   f"{escape(content[a:b])}</mark>")
        start = b
    out.append(escape(content[start:]))
    return "".join(out)
