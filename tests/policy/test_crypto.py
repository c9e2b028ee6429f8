"""Field encryption: AES-256-GCM round trip, context binding, tamper detection, key rotation."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongtai.errors import ConfigError, EngineError
from zhongtai.policy import Keyring, generate_key, is_sealed, keyring_from_env

K1 = generate_key("k1")
K2 = generate_key("k2")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_round_trips(plain: str) -> None:
    ring = Keyring.parse(K1)
    sealed = ring.encrypt(plain, "customers.name")
    assert is_sealed(sealed)
    assert ring.decrypt(sealed, "customers.name") == plain


def test_the_same_value_seals_differently_each_time_and_hides_its_content() -> None:
    ring = Keyring.parse(K1)
    first, second = ring.encrypt("张三丰", "c"), ring.encrypt("张三丰", "c")
    assert first != second
    assert first.startswith("zt1:k1:")
    assert "张" not in first


def test_a_value_is_bound_to_its_column() -> None:
    ring = Keyring.parse(K1)
    sealed = ring.encrypt("张三丰", "users.display_name")
    with pytest.raises(EngineError) as caught:
        ring.decrypt(sealed, "customers.name")
    assert caught.value.code == "crypto.decrypt_failed"


def test_a_flipped_bit_is_detected() -> None:
    ring = Keyring.parse(K1)
    sealed = ring.encrypt("13800138000", "c")
    head, blob = sealed.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4)))
    raw[-1] ^= 1
    tampered = head + ":" + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(EngineError):
        ring.decrypt(tampered, "c")


def test_rotation_moves_values_to_the_primary_key_and_old_keys_only_decrypt() -> None:
    old = Keyring.parse(K1)
    sealed = old.encrypt("李四", "c")
    both = Keyring.parse(f"{K2},{K1}")
    assert both.primary == "k2"
    assert both.ids == ["k2", "k1"]
    assert both.needs_rotation(sealed)
    rotated = both.rotate(sealed, "c")
    assert rotated.startswith("zt1:k2:")
    assert both.rotate(rotated, "c") == rotated
    assert Keyring.parse(K2).decrypt(rotated, "c") == "李四"
    with pytest.raises(EngineError) as caught:
        Keyring.parse(K2).decrypt(sealed, "c")
    assert caught.value.code == "crypto.unknown_key"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no keys"),
        ("nokey", "entry 1"),
        ("k1:not*base64!", "not base64"),
        ("k1:" + "QUJD", "3 bytes"),
        (f"{K1},{K1}", "appears twice"),
        ("bad id:" + K1.split(":")[1], "entry 1"),
    ],
)
def test_a_bad_keyring_is_named_without_revealing_key_material(text: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Keyring.parse(text)
    message = caught.value.message("en")
    assert problem in message
    assert K1.split(":")[1] not in message


def test_keys_come_from_the_environment() -> None:
    assert keyring_from_env({}) is None
    ring = keyring_from_env({"ZHONGTAI_ENCRYPTION_KEYS": f" {K2} , {K1} "})
    assert ring is not None
    assert ring.primary == "k2"
    assert K1.split(":")[1] not in repr(ring)
