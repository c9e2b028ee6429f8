"""Reading console HTML in tests with the standard library's parser: the text of table cells by
table id, and the text of any element by id (no browser; the Playwright suite covers behaviour)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.by_id: dict[str, str] = {}
        self._table: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False
        self._open_ids: list[tuple[str, str, list[str]]] = []  # (tag, id, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = []
            self.tables[found.get("id") or f"table-{len(self.tables)}"] = self._table
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table is not None and self._in_body:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if found.get("id"):
            self._open_ids.append((tag, str(found["id"]), []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            _tag, ident, text = self._open_ids.pop()
            self.by_id[ident] = " ".join("".join(text).split())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for _tag, _ident, text in self._open_ids:
            text.append(data)


def parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with ``id=table_id``, each a list of cell texts."""
    return parse(html).tables[table_id]


def text_of(html: str, element_id: str) -> str:
    """The whitespace-normalised text of the element with ``id=element_id``."""
    return parse(html).by_id[element_id]
