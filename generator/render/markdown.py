"""The narrative: CommonMark with raw HTML disabled, so anything an editor pastes shows as text."""
from __future__ import annotations

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _heading_ids(md: MarkdownIt) -> None:
    """Give section headings stable ids (sec-1, sec-2 …) so results and citations can link to them."""

    def rule(state):
        number = 0
        for token in state.tokens:
            if token.type == "heading_open":
                number += 1
                token.attrSet("id", f"sec-{number}")

    md.core.ruler.push("heading_ids", rule)


_heading_ids(_md)


def render_markdown(text: str) -> str:
    return _md.render(text)
