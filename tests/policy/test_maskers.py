"""The maskers: documented examples, vector = per-value on generated input, and fuzzing proving that
nothing unmasked survives for a restricted role (full-width digits, separators inside numbers, mixed
zh/en text, e-mails in free text)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhongtai.policy import PERSONAL_CLASSES, ColumnPolicy, MaskKind, mask_array, mask_value, scrub_text
from zhongtai.policy import maskers as m
from zhongtai.policy import vector as v
from zhongtai.policy.patterns import SEPARATORS
from zhongtai.warehouse.schema import PiiClass

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- documented examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("masker", "value", "expected"),
    [
        (m.mask_phone, "13800138000", "138****8000"),
        (m.mask_phone, "+86 138-0013-8000", "138****8000"),
        (m.mask_phone, "１３８ ００１３ ８０００", "１３８****８０００"),
        (m.mask_phone, "010-6552 9988", "****9988"),
        (m.mask_phone, "12345", "****"),
        (m.mask_email, "alice@x.com", "a***@x.com"),
        (m.mask_email, "a@x.com", "*@x.com"),
        (m.mask_email, "not an address", "***"),
        (m.mask_name, "张三", "张*"),
        (m.mask_name, "欧阳娜娜", "欧***"),
        (m.mask_name, "John Smith", "J***"),
        (m.mask_id_number, "110101199003071234", "1****************4"),
        (m.mask_id_number, "1101 0119 9003 0712 3X", "1****************X"),
        (m.mask_address, "北京市朝阳区建国路88号院3号楼", "北京市朝阳区****"),
        (m.mask_address, "广东省深圳市南山区科技园南路", "广东省深圳市南山区****"),
        (m.mask_address, "新疆维吾尔自治区乌鲁木齐市天山区解放路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        (m.mask_address, "江苏省苏州市昆山市玉山镇前进路", "江苏省苏州市****"),
        (m.mask_address, "幸福小区3栋2单元", "****"),
        (m.mask_address, "221B Baker Street, London NW1, UK", "***, UK"),
        (m.mask_identifier, "M1a2b3c4d5e6f7g8", "M1****g8"),
        (m.mask_identifier, "abcdef", "a****f"),
        (m.mask_identifier, "abc", "****"),
        (m.mask_date, date(1990, 3, 7), "1990-**-**"),
        (m.mask_date, "1990/03/07", "1990-**-**"),
        (m.mask_code, "female", "*"),
    ],
)
def test_documented_examples(masker: object, value: object, expected: str) -> None:
    assert masker(value) == expected  # type: ignore[operator]


def test_free_text_keeps_everything_but_the_pii() -> None:
    text = (
        "客户说电话是 138 0013 8000,邮箱 alice.w@example.com;身份证 110101199003071234,"
        "订单 2025030812345678901 还没到。Card 6222021234567890123, call +86 139-0013-9000"
    )
    assert scrub_text(text) == (
        "客户说电话是 138**** 8000,邮箱 a***@example.com;身份证 1****************4,"
        "订单 2025030812345678901 还没到。Card 62**********0123, call +86 139****-9000"
    )


def test_scrubbing_follows_the_classes_the_reader_may_not_see() -> None:
    text = "tel 13800138000 id 110101199003071234"
    assert scrub_text(text, {PiiClass.SENSITIVE}) == "tel 13800138000 id 1****************4"
    assert scrub_text(text, {PiiClass.CONTACT}) == "tel 138****8000 id 110101199003071234"
    assert scrub_text(text, set()) == text


def test_blank_and_null_values_stay_as_they_are() -> None:
    for kind in (MaskKind.PHONE, MaskKind.NAME, MaskKind.ADDRESS, MaskKind.IDENTIFIER, MaskKind.EMAIL):
        policy = ColumnPolicy(PiiClass.CONTACT, kind)
        assert mask_value("", policy, frozenset()) == ""
        assert mask_value(None, policy, frozenset()) is None
        assert mask_array(pa.array(["", None, "  "]), policy, frozenset()).to_pylist() == ["", None, "  "]


def test_a_visible_class_is_returned_unmasked() -> None:
    policy = ColumnPolicy(PiiClass.CONTACT, MaskKind.PHONE)
    assert mask_value("13800138000", policy, frozenset({PiiClass.CONTACT})) == "13800138000"
    assert mask_array(pa.array(["13800138000"]), policy, frozenset({PiiClass.CONTACT})).to_pylist() == ["13800138000"]


def test_dictionary_and_date_columns_are_masked_by_type() -> None:
    names = pa.array(["张三", "李四", "张三"]).dictionary_encode()
    masked = mask_array(names, ColumnPolicy(PiiClass.IDENTITY, MaskKind.NAME), frozenset())
    assert masked.to_pylist() == ["张*", "李*", "张*"]
    births = pa.array([date(1990, 3, 7), None, date(5, 1, 1)])
    assert mask_array(births, ColumnPolicy(PiiClass.IDENTITY, MaskKind.DATE), frozenset()).to_pylist() == [
        "1990-**-**",
        None,
        "0005-**-**",
    ]


# -- generated input ------------------------------------------------------------------------------

_WIDE = {str(d): chr(ord("０") + d) for d in range(10)}


@st.composite
def digits_of(draw: st.DrawFn, number: str) -> str:
    """``number`` with each digit half- or full-width and separators (spaces, dashes) between some."""
    out = []
    for i, ch in enumerate(number):
        out.append(_WIDE[ch] if draw(st.booleans()) else ch)
        if i < len(number) - 1 and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.text(alphabet=SEPARATORS, min_size=1, max_size=3)))
    return "".join(out)


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    number = "1" + draw(st.sampled_from("3456789")) + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "86-", "＋８６ ", "(+86)"]))
    return prefix + draw(digits_of(number)), number


@st.composite
def id_numbers(draw: st.DrawFn) -> tuple[str, str]:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    number = (
        draw(st.sampled_from("123456789"))
        + draw(st.text(alphabet="0123456789", min_size=5, max_size=5))
        + born.strftime("%Y%m%d")
        + draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
        + draw(st.sampled_from("0123456789Xx"))
    )
    return draw(digits_of(number[:17])) + number[17], number.upper()


_LOCAL_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@st.composite
def emails(draw: st.DrawFn) -> tuple[str, str]:
    local = draw(st.text(alphabet=_LOCAL_FIRST, min_size=1, max_size=1)) + draw(
        st.text(alphabet=_LOCAL_FIRST + "._%+-", max_size=20)
    )
    labels = draw(
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10), min_size=1, max_size=3
        )
    )
    domain = ".".join([*labels, draw(st.sampled_from(["com", "cn", "com.cn", "net", "io"]))])
    return local + draw(st.sampled_from("@＠")) + domain, local


DELIMITERS = list("的了客户说电话邮箱请联系我谢谢 ,;:!?()[]《》,。;:!?、\n\t")
"""What separates PII from the words around it in real text: CJK, spaces, punctuation (not the
characters that may belong to an e-mail address or a number, such as ``.``, ``-``, ``+`` or digits)."""
FILLER = st.builds(
    lambda a, middle, b: a + middle + b,
    st.sampled_from(DELIMITERS),
    st.text(alphabet=st.sampled_from([*DELIMITERS, *"abcxyzABCXYZ.-+_"]), max_size=10),
    st.sampled_from(DELIMITERS),
)


@st.composite
def prose(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """Mixed zh/en text with PII pieces, each set off from its neighbours by a delimiter."""
    pieces = draw(
        st.lists(
            st.one_of(
                phones().map(lambda p: ("phone", *p)),
                id_numbers().map(lambda p: ("id", *p)),
                emails().map(lambda p: ("email", *p)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    text = draw(FILLER)
    found = []
    for kind, rendered, secret in pieces:
        text += rendered + draw(FILLER)
        found.append((kind, secret))
    return text, found


def _plain(text: str) -> str:
    """NFKC-folded (full-width to ASCII) with separators removed: where a leaked number would show."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub("[" + re.escape(SEPARATORS + " ") + "]", "", folded)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose())
def test_nothing_unmasked_survives_free_text_for_a_restricted_role(case: tuple[str, list[tuple[str, str]]]) -> None:
    text, pieces = case
    scalar = scrub_text(text, PERSONAL_CLASSES)
    (vector,) = v.scrub_text_array(pa.array([text])).to_pylist()
    assert vector == scalar
    plain = re.sub(r"@[A-Za-z0-9.\-]+", "@", _plain(scalar))  # kept domains may hold any digits
    for kind, secret in pieces:
        if kind == "phone":
            assert secret[:7] not in plain, (text, scalar)
            assert secret[3:] not in plain, (text, scalar)
        elif kind == "id":
            assert secret[6:14] not in plain, (text, scalar)
            assert secret[:6] not in plain, (text, scalar)
        else:
            assert unicodedata.normalize("NFKC", secret) + "@" not in unicodedata.normalize("NFKC", scalar)


@FAST
@given(phones())
def test_a_phone_column_keeps_at_most_head_and_tail(case: tuple[str, str]) -> None:
    rendered, number = case
    masked = m.mask_phone(rendered)
    assert _plain(masked) == number[:3] + "****" + number[-4:]


@FAST
@given(id_numbers())
def test_an_id_column_keeps_only_its_first_and_last_character(case: tuple[str, str]) -> None:
    rendered, number = case
    assert _plain(m.mask_id_number(rendered)).upper() == number[0] + "*" * 16 + number[-1]


ANY_TEXT = st.text(max_size=40)
TRICKY = st.one_of(
    ANY_TEXT,
    phones().map(lambda p: p[0]),
    id_numbers().map(lambda p: p[0]),
    emails().map(lambda p: p[0]),
    prose().map(lambda p: p[0]),
    st.sampled_from(["北京市朝阳区建国路", "广东深圳", "a,b", "@", "x@", "1990-01-01", "\n@x.com"]),
)


PAIRS = [
    (m.mask_phone, v.mask_phone_array),
    (m.mask_email, v.mask_email_array),
    (m.mask_name, v.mask_name_array),
    (m.mask_id_number, v.mask_id_number_array),
    (m.mask_address, v.mask_address_array),
    (m.mask_identifier, v.mask_identifier_array),
    (m.mask_code, v.mask_code_array),
    (m.redact, v.redact_array),
    (m.mask_date, v.mask_date_array),
    (scrub_text, v.scrub_text_array),
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRICKY, min_size=1, max_size=20))
def test_every_vectorised_masker_agrees_with_its_per_value_twin(values: list[str]) -> None:
    half = len(values) // 2
    for scalar, vector in PAIRS:
        expected = [scalar(x) for x in values]  # type: ignore[operator]
        assert vector(pa.array(values, pa.string())).to_pylist() == expected, scalar.__name__  # type: ignore[operator]
        chunked = pa.chunked_array([values[:half], values[half:]], pa.string())
        assert vector(chunked).to_pylist() == expected, scalar.__name__  # type: ignore[operator]


@FAST
@given(
    st.lists(st.one_of(st.none(), TRICKY), min_size=1, max_size=20),
    st.sampled_from([k for k in MaskKind if k not in (MaskKind.NONE,)]),
    st.sets(st.sampled_from(sorted(PERSONAL_CLASSES))),
)
def test_mask_array_agrees_with_mask_value_for_every_policy(
    values: list[str | None], kind: MaskKind, visible: set[PiiClass]
) -> None:
    for pii in PiiClass:
        policy = ColumnPolicy(pii, kind)
        expected = [mask_value(x, policy, frozenset(visible)) for x in values]
        assert mask_array(pa.array(values, pa.string()), policy, frozenset(visible)).to_pylist() == expected
