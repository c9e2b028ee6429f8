"""The console has no untranslated strings: every message in templates and page code has a
Chinese translation, placeholders agree, and words chosen at run time (roles, grains, navigation
labels) are translated too."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from catalogue_support import extracted

from zhongtai.metrics.query import Grain
from zhongtai.policy import Role
from zhongtai.server.pages import PAGE_MODULES, install_console
from zhongtai.server.pages.i18n import PAGES_DIR, catalogue_files, gettext, load_catalogue
from zhongtai.server.pages.templating import _NAV

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_every_message_is_translated() -> None:
    translations = load_catalogue("zh_CN")
    found = list(extracted())
    assert len(found) > 50  # the extractor really reads templates and code
    missing = sorted({f"{file}:{line}: {text!r}" for text, file, line in found if text not in translations})
    assert not missing, "untranslated console messages:\n" + "\n".join(missing)


def test_placeholders_agree() -> None:
    for path in catalogue_files("zh_CN"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="zh_CN"):
                if not message.id or not message.string:
                    continue
                assert sorted(_PLACEHOLDER.findall(str(message.id))) == sorted(
                    _PLACEHOLDER.findall(str(message.string))
                ), f"{path.relative_to(PAGES_DIR)}: {message.id!r}"


def test_catalogues_have_no_fuzzy_or_empty_entries_and_agree_with_each_other() -> None:
    seen: dict[str, tuple[str, Path]] = {}
    for path in catalogue_files("zh_CN"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="zh_CN")
        for message in catalog:
            if not message.id:
                continue
            assert message.string, f"{path}: {message.id!r} has no translation"
            assert not message.fuzzy, f"{path}: {message.id!r} is fuzzy"
            text = str(message.string)
            if message.id in seen and seen[str(message.id)][0] != text:
                other = seen[str(message.id)][1]
                raise AssertionError(f"{message.id!r}: {text!r} in {path} but {seen[str(message.id)][0]!r} in {other}")
            seen[str(message.id)] = (text, path)


def test_run_time_words_are_translated() -> None:
    from fastapi import FastAPI

    install_console(FastAPI())  # imports every capability folder, which registers its navigation
    from zhongtai.metrics.boards import Visual

    access = ["owner", "admin", "edit", "view"]  # zhongtai.appdb.dashboards.dashboard_access
    words = [r.value for r in Role] + [g.value for g in Grain] + [v.value for v in Visual] + access
    words += [item.label for item in _NAV]
    assert len(_NAV) >= len(PAGE_MODULES) - 1  # every folder but the session pages has an entry
    untranslated = [w for w in words if gettext("zh_CN", w) == w]
    assert not untranslated


def test_english_is_the_source_language() -> None:
    assert gettext("en", "Sign in") == "Sign in"
    assert gettext("zh_CN", "Sign in") == "登录"
