"""Safe re-export of cells that came from outside (CSV injection, OWASP).

A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return as a
formula. Every file zhongtai writes from data it was given passes text cells through
:func:`neutralise_cell`, which prefixes such a cell with an apostrophe. Plain numbers
(``-12.5``) are left alone so amounts stay numbers.
"""

from __future__ import annotations

import re

__all__ = ["neutralise_cell"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: str) -> str:
    """``value`` made safe to open in Excel/WPS/LibreOffice."""
    if value and value.startswith(_DANGEROUS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
