"""The links of a PEP 503 HTML page, read as pip's `HTMLLinkParser` reads them (`files.pages` turns them
into files). Its own module: html.parser is imported only when an HTML page is read."""

from __future__ import annotations

from html.parser import HTMLParser

#: Attributes kept per `<a>`: the ones pip reads (`Link.from_element`); the rest are dropped as parsed.
_KEPT = frozenset({"href", "data-requires-python", "data-yanked"})
#: Caps on what one page may make the parser hold: html.parser builds a tuple per attribute (a 12 MB
#: page of one tag with 3M attributes was a MemoryError), so a tag's raw text is bounded too.
MAX_ATTRIBUTES = 64
MAX_TAG_CHARS = 64 * 1024


class _LinkParser(HTMLParser):
    """pip's `HTMLLinkParser` (pip >= 22.0, `pip/_internal/index/collector.py`), rule for rule.

    - every `<a>` start tag is a link candidate, read at the start tag (no `</a>` needed); the link
      text is never used;
    - the first `<base href>` sets the base URL (it does not change a filename);
    - an attribute repeated in one tag keeps its last value (`dict(attrs)`);
    - the page is only `feed()`-ed, never `close()`-d: what follows an unclosed `<!--` or an
      unfinished tag at the end is never seen.

    It is fed in pieces (`_feed`), which html.parser is made for, so that a start tag is never
    matched whole before its size is known: the tag-end regex keeps state per attribute, and one
    `<a>` of 3M attributes (12 MB) was a `MemoryError`, a 4 MB page 803 MiB.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict[str, str | None]] = []
        self.oversized = 0  # tags refused by the caps
        self.base_url: str | None = None  # the first `<base href>` (pip `HTMLLinkParser.handle_starttag`)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(attrs) > MAX_ATTRIBUTES:
            self.oversized += 1
        elif tag == "a":
            self.anchors.append({k: v for k, v in attrs if k in _KEPT})
        elif tag == "base" and self.base_url is None:
            self.base_url = dict(attrs).get("href")


_PIECE = 16 * 1024


def _feed(parser: _LinkParser, text: str) -> None:
    """`text` in pieces; a start tag still open after `MAX_TAG_CHARS` stops the reading (the page is refused)."""
    for start in range(0, len(text), _PIECE):
        parser.feed(text[start:start + _PIECE])
        pending = parser.rawdata  # what html.parser holds back: an unfinished construct
        if len(pending) > MAX_TAG_CHARS and pending[:1] == "<" and pending[1:2].isalpha():
            parser.oversized += 1
            return


def read_links(text: str) -> _LinkParser:
    """The page's `<a>` attributes pip reads, its `<base href>`, and how many tags the caps refused."""
    parser = _LinkParser()
    _feed(parser, text)
    return parser
