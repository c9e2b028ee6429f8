"""Identifier normalisation: the SQL fast path agrees with phonenumbers; bad values never link."""

from __future__ import annotations

import duckdb
import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongtai.warehouse.identity import ID_TYPES, normalise_identifiers, normalise_phone_slow

FULL = str.maketrans("0123456789+", "０１２３４５６７８９＋")


def _normalise(rows: list[tuple[int, str, str, str | None]]) -> tuple[list[tuple[object, ...]], int]:
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE _id_raw (rid BIGINT, source VARCHAR, id_type VARCHAR, id_value VARCHAR)")
    con.executemany("INSERT INTO _id_raw VALUES (?, ?, ?, ?)", rows)
    slow = normalise_identifiers(con, source_scoped=("wechat_openid", "source_id"), known_types=ID_TYPES)
    out = con.execute("SELECT rid, id_type, key, status, multi FROM _id_norm ORDER BY rid, key NULLS LAST").fetchall()
    con.close()
    return out, slow


@st.composite
def written_mobile(draw: st.DrawFn) -> tuple[str, str]:
    """A Chinese mobile number written the ways exports write it, and its digits."""
    digits = (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    )
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "0086 ", "86", "86-", "＋８６"]))
    sep = draw(st.sampled_from(["", " ", "-", "　", "."]))
    body = digits[:3] + sep + digits[3:7] + sep + digits[7:]
    text = prefix + body
    if draw(st.booleans()):
        text = text.translate(FULL)
    if draw(st.booleans()):
        text = f" {text} "
    return text, digits


@settings(max_examples=60, deadline=None)
@given(written_mobile())
def test_sql_fast_path_agrees_with_phonenumbers(case: tuple[str, str]) -> None:
    text, digits = case
    rows, slow = _normalise([(0, "tmall", "phone", text)])
    expected = phonenumbers.format_number(phonenumbers.parse(text, "CN"), phonenumbers.PhoneNumberFormat.E164)
    assert expected == "+86" + digits
    assert slow == 0, "common Chinese mobile formats must not need the slow path"
    ((_, _, key, status, _),) = rows
    if status == "ok":
        assert key == expected
    else:  # only the placeholder rule may refuse a well-formed number
        assert status == "placeholder"


def test_other_numbers_go_through_phonenumbers() -> None:
    rows, slow = _normalise(
        [(0, "pos", "phone", "+852 6123 4567"), (1, "pos", "phone", "010-6552 9988"), (2, "pos", "phone", "123")]
    )
    assert slow == 3
    assert rows[0][2:4] == ("+85261234567", "ok")
    assert rows[1][2:4] == ("+861065529988", "ok")
    assert rows[2][2:4] == (None, "invalid")
    assert normalise_phone_slow("123") == ("+86123", False)


def test_several_values_in_one_cell_are_split_and_flagged() -> None:
    rows, _ = _normalise([(0, "jd", "phone", "138-1234-5678;139 2345 6789"), (1, "jd", "email", "a@qq.com，B@163.COM")])
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("+8613812345678", "ok", True), ("+8613923456789", "ok", True),
        ("a@qq.com", "ok", True), ("b@163.com", "ok", True),
    ]  # fmt: skip


def test_junk_placeholders_and_malformed_values_never_get_a_key() -> None:
    rows, _ = _normalise(
        [
            (0, "jd", "phone", "13800000000"), (1, "jd", "phone", "00000000000"), (2, "jd", "phone", "null"),
            (3, "jd", "phone", "无"), (4, "jd", "phone", ""), (5, "jd", "email", "test@test.com"),
            (6, "jd", "email", "foo@"), (7, "jd", "phone", "1381234567"), (8, "jd", "email", " Foo@QQ.com "),
            (9, "jd", "phone", "18888888888"), (10, "jd", "device_id", "00000000-0000-0000-0000-000000000000"),
            (11, "jd", "phone", None), (12, "jd", "oaid", "abc"),
        ]
    )  # fmt: skip
    status = {r[0]: r[3] for r in rows}
    assert status == {
        0: "placeholder", 1: "invalid", 2: "junk", 3: "junk", 4: "junk", 5: "placeholder", 6: "invalid",
        7: "invalid", 8: "ok", 9: "placeholder", 10: "placeholder", 11: "junk", 12: "unknown_type",
    }  # fmt: skip
    assert all(r[2] is None for r in rows if r[3] != "ok")
    assert [r[2] for r in rows if r[0] == 8] == ["foo@qq.com"]


def test_openids_are_scoped_to_their_app_unionids_are_not() -> None:
    openid = "o-JC1xSmG8JYEirOcbC-OaVQIJX-"
    rows, _ = _normalise(
        [(0, "miniprogram", "wechat_openid", openid), (1, "app", "wechat_openid", openid),
         (2, "miniprogram", "wechat_unionid", "oUbhJyye_9R95e8MC5NtrSUuMgtr"),
         (3, "pos", "wechat_unionid", "oUbhJyye_9R95e8MC5NtrSUuMgtr")]
    )  # fmt: skip
    keys = [r[2] for r in rows]
    assert keys[0] != keys[1]
    assert keys[0].endswith(openid)
    assert keys[2] == keys[3] == "oUbhJyye_9R95e8MC5NtrSUuMgtr"
