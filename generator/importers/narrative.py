"""The prose of a report as markdown: paragraphs re-joined, sub-headings marked.

Extractions break lines inside sentences, sometimes with a blank line between the halves, and put
spaces between Chinese characters. A line that does not end a sentence runs on into the next; a
short line numbered （一）… on its own is a sub-heading.
"""
from __future__ import annotations

import re

from .normalize import join_words

_SENTENCE_END = re.compile(r"[。！？；：!?;:][”’」』）)]*$")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_MAX_SUBHEADING = 20


def blocks(lines: list[str]) -> list[str]:
    """Markdown blocks (paragraphs and ### sub-headings) from the lines of one section."""
    out, paragraph = [], ""
    for raw in lines:
        line = join_words(raw.strip())
        if not line:
            continue
        if _SUBHEADING.match(line) and len(line) <= _MAX_SUBHEADING:
            out += [paragraph] if paragraph else []
            out.append(f"### {line}")
            paragraph = ""
            continue
        paragraph += line
        if _SENTENCE_END.search(line):
            out.append(paragraph)
            paragraph = ""
    return out + ([paragraph] if paragraph else [])
