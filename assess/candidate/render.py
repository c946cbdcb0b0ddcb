"""Markdown from the bank rendered for a page: no raw HTML passes, links are inert."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "code": {"class"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> Markup:
    """Render Markdown to HTML that is safe to embed: HTML in the source is shown as text,
    and the output is sanitised again with an allow-list (links get rel=noopener)."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def without_title(text: str, title: str) -> str:
    """Drop a leading ``# Title`` line that repeats the page's own heading."""
    first, _, rest = (text or "").lstrip().partition("\n")
    if first.startswith("# ") and first[2:].strip().casefold() == title.strip().casefold():
        return rest
    return text
