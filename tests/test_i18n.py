"""Messages exist in both languages with the same placeholders; language choice is predictable."""

from __future__ import annotations

import re

import pytest

from zhongtai.errors import InputError
from zhongtai.i18n import catalogue, resolve_lang, translate

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_code_has_english_and_chinese_with_the_same_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh_CN")
    assert set(en) == set(zh), f"missing in zh: {set(en) - set(zh)}; missing in en: {set(zh) - set(en)}"
    for code in en:
        assert set(PLACEHOLDER.findall(en[code])) == set(PLACEHOLDER.findall(zh[code])), code


def test_chinese_messages_are_chinese() -> None:
    zh = catalogue("zh_CN")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [code for code, text in zh.items() if not cjk.search(text) and code not in {"cli.run"}]
    assert untranslated == []


@pytest.mark.parametrize(
    ("tag", "expected"), [("zh", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"), ("en", "en"), ("en_US", "en")]
)
def test_language_tags_resolve(tag: str, expected: str) -> None:
    assert resolve_lang(tag) == expected


def test_unknown_language_is_an_input_error_not_a_crash() -> None:
    with pytest.raises(InputError) as caught:
        resolve_lang("xx")
    assert caught.value.code == "i18n.unknown_language"


def test_locale_environment_picks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHONGTAI_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert resolve_lang(None) == "zh_CN"
    monkeypatch.setenv("ZHONGTAI_LANG", "en")
    assert resolve_lang(None) == "en"


def test_translate_fills_placeholders_in_both_languages() -> None:
    assert translate("ingest.empty_file", "en", file="a.csv") == "a.csv is empty."
    assert translate("ingest.empty_file", "zh_CN", file="a.csv") == "a.csv 是空文件。"


def test_unknown_code_falls_back_to_the_code_itself() -> None:
    assert translate("no.such.code", "en") == "no.such.code"
