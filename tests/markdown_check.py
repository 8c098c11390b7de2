"""Markdown as GitHub shows it: rendered with cmark-gfm (GitHub's own engine, with its extensions)."""

from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# Unsafe: raw HTML passes through as GitHub's renderer lets it (its sanitiser then keeps a safe subset), so that
# an HTML element smuggled in by text shows up here as an element.
_OPTIONS = Options.CMARK_OPT_UNSAFE


def render(markdown: str) -> str:
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown, options=_OPTIONS))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("p", "br", "tr", "li", "h1", "h2", "h3", "h4", "pre", "summary", "details", "table"):
            self.text.append("\n")
        elif tag in ("td", "th"):
            self.text.append(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.elements.append(("!--", {"text": data}))


def read(markdown: str) -> _Reader:
    reader = _Reader()
    reader.feed(render(markdown))
    reader.close()
    return reader


def rendered_text(markdown: str) -> str:
    """The visible text, whitespace folded: what a reader can copy from the page."""
    return " ".join("".join(read(markdown).text).split())


def elements(markdown: str) -> list[str]:
    """The HTML element names the Markdown renders to, in order."""
    return [name for name, _ in read(markdown).elements]


def links(markdown: str) -> list[str]:
    return [str(attrs.get("href")) for name, attrs in read(markdown).elements if name == "a"]


def dropped_html(markdown: str) -> int:
    """How many pieces of raw HTML a renderer in safe mode (cmark-gfm's default, Azure DevOps) leaves out."""
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown)).count("<!-- raw HTML omitted -->")
