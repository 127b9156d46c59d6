"""The narrative: CommonMark with raw HTML disabled, so anything an editor pastes shows as text."""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .marks import Mark, marked

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
_plain_text = _md.renderer.rules["text"]


def _text_rule(self, tokens, idx, options, env):
    """The sentences in env["marks"] are highlighted (render/marks.py); other text is escaped as usual."""
    if env.get("marks"):
        html = marked(tokens[idx].content, env["marks"])
        if html is not None:
            return html
    return _plain_text(tokens, idx, options, env)


_md.add_render_rule("text", _text_rule)


@lru_cache(maxsize=16)
def _tokens(text: str) -> tuple:
    # a narrative is rendered twice, for its page and for the search index: it is parsed once
    return tuple(_md.parse(text, {}))


def render_markdown(text: str, marks: list[Mark] | None = None) -> str:
    """HTML of the narrative; `marks`: sentences to highlight."""
    return _md.renderer.render(list(_tokens(text)), _md.options, {"marks": list(marks)} if marks else {})
