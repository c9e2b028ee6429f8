"""Texts to score from a file: one text per line, decoded strictly.

Why strict: a GBK file read as UTF-8 with ``errors="replace"`` turns every Chinese character into
U+FFFD and would be scored as *empty* without anyone noticing; an error naming the line and byte
(and suggesting ``--encoding gb18030``) is the defined result instead. A UTF-8 BOM is accepted.
Blank lines are kept (they score as ``unknown``) so output rows line up with input lines.
"""

from __future__ import annotations

import os
from pathlib import Path

from zhongtai.brand.sentiment.corpora import read_bytes_as_text
from zhongtai.errors import NotFoundError

__all__ = ["DATA_ENV", "read_texts", "resolve_data_folder"]

DATA_ENV = "ZHONGTAI_DATA"


def read_texts(path: Path, *, encoding: str = "utf-8") -> list[str]:
    """The lines of ``path`` decoded with ``encoding`` (``utf-8`` also accepts a BOM)."""
    if not path.is_file():
        raise NotFoundError("brand.input_missing", file=str(path))
    text = read_bytes_as_text(path.read_bytes(), file=str(path), encoding=encoding)
    return text.splitlines()


def resolve_data_folder(path: Path | None) -> Path | None:
    """``path`` if given, else ``$ZHONGTAI_DATA`` if set, else ``None`` (never guesses ../shared)."""
    if path is not None:
        return path.expanduser()
    env = os.environ.get(DATA_ENV, "").strip()
    return Path(env).expanduser() if env else None
