"""Message catalogues in zh-CN and English, keyed by stable codes.

Every string a user reads (CLI output, error messages, quarantine reasons) is looked up here
by a code such as ``ingest.missing_column``; code values are stable ASCII and are what tables
store, labels are looked up only for display. Catalogues live in ``zhongtai/locale/<lang>.toml``.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["LANGUAGES", "catalogue", "has_message", "resolve_lang", "translate"]

LANGUAGES: tuple[str, ...] = ("en", "zh_CN")

_ALIASES = {
    "en": "en",
    "en_us": "en",
    "en_gb": "en",
    "english": "en",
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_hans_cn": "zh_CN",
    "cn": "zh_CN",
    "chinese": "zh_CN",
}


def _normalise(tag: str) -> str | None:
    key = tag.strip().split(".")[0].replace("-", "_").lower()
    return _ALIASES.get(key)


def resolve_lang(lang: str | None = None) -> str:
    """Pick the display language.

    An explicit ``lang`` must be a known language (else :class:`~zhongtai.errors.InputError`);
    otherwise ``ZHONGTAI_LANG``, then the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``),
    then English.
    """
    if lang:
        found = _normalise(lang)
        if found is None:
            from zhongtai.errors import InputError

            raise InputError("i18n.unknown_language", lang=lang, known=", ".join(LANGUAGES))
        return found
    for var in ("ZHONGTAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            found = _normalise(value)
            if found:
                return found
            if var == "ZHONGTAI_LANG":
                continue
    return "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language as a flat ``code -> template`` mapping."""
    text = resources.files("zhongtai.locale").joinpath(f"{lang}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    flat: dict[str, str] = {}
    _flatten(data, "", flat)
    return flat


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in node.items():
        code = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, code + ".", out)
        else:
            out[code] = str(value)


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def has_message(code: str) -> bool:
    """Whether ``code`` has an English message (every code must)."""
    return code in catalogue("en")


def translate(code: str, lang: str | None = None, /, **params: Any) -> str:
    """The message for ``code`` in ``lang``, with ``params`` filled in.

    Falls back to English, then to the code itself, so a missing translation never hides
    an error.
    """
    language = resolve_lang(lang) if lang is None or lang not in LANGUAGES else lang
    template = catalogue(language).get(code) or catalogue("en").get(code)
    if template is None:
        return code if not params else f"{code} {params}"
    return template.format_map(_Keep(params))
