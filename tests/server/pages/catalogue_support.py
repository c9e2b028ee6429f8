"""Extracting the console's messages with Babel, as ``pybabel extract`` would (templates through
Jinja2's extractor, Python through Babel's with zhongtai's keyword positions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir

from zhongtai.server.pages.i18n import PAGES_DIR

METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"trimmed": "true"}}
KEYWORDS = {
    "_": None,
    "gettext": (2,),  # gettext(lang, message)
    "ngettext": (2, 3),  # ngettext(lang, singular, plural, n)
    "NavItem": (2,),  # NavItem(path, label, ...)
    "N_": None,
}


def extracted(root: Path = PAGES_DIR) -> Iterator[tuple[str, str, int]]:
    """``(message, file, line)`` of every translatable message under ``root``."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root),
        method_map=METHOD_MAP,
        options_map=OPTIONS,
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                yield text, filename, lineno
