"""Identity-class fields in app state are encrypted at rest (AES-GCM) and survive key rotation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from zhongtai.appdb import (
    AppDB,
    CreateUserCommand,
    InvalidInput,
    RotateKeysCommand,
    get_user,
    key_usage,
    list_audit,
)
from zhongtai.errors import EngineError, PermissionDenied
from zhongtai.policy import SYSTEM, Keyring, Principal, Role, generate_key

GOOD = "correct horse battery staple"
OLD = generate_key("k2024")
NEW = generate_key("k2025")


def _raw_names(db: AppDB) -> list[str]:
    with db.engine.connect() as connection:
        return [
            r[0]
            for r in connection.execute(
                text("SELECT display_name FROM users WHERE display_name IS NOT NULL ORDER BY id")
            )
        ]


def test_a_display_name_needs_a_key_and_is_stored_sealed(
    db: AppDB, owner: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHONGTAI_ENCRYPTION_KEYS", raising=False)
    with pytest.raises(InvalidInput) as caught:
        CreateUserCommand(db, owner, "zhang", Role.OPERATOR, password=GOOD, display_name="张三丰").run()
    assert [p.code for p in caught.value.problems] == ["crypto.no_keys"]
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", OLD)
    CreateUserCommand(db, owner, "zhang", Role.OPERATOR, password=GOOD, display_name="张三丰").run()
    (raw,) = _raw_names(db)
    assert raw.startswith("zt1:k2024:")
    assert "张" not in raw
    assert get_user(db, owner, "zhang").display_name == "张三丰"


def test_rotation_reseals_every_value_with_the_primary_key(
    db: AppDB, owner: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", OLD)
    for name, shown in (("li", "李四"), ("wang", "王五")):
        CreateUserCommand(db, owner, name, Role.VIEWER, password=GOOD, display_name=shown).run()
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", f"{NEW},{OLD}")
    usage = {u.column: u.by_key for u in key_usage(db, owner)}
    assert usage == {"users.display_name": {"k2024": 2}}
    assert RotateKeysCommand(db, owner).run() == {"users.display_name": 2}
    assert all(v.startswith("zt1:k2025:") for v in _raw_names(db))
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", NEW)  # the old key is gone for good
    assert get_user(db, owner, "wang").display_name == "王五"
    assert list_audit(db, owner, limit=1)[0].detail == {"primary": "k2025", "rotated": {"users.display_name": 2}}
    assert RotateKeysCommand(db, owner).run() == {"users.display_name": 0}


def test_rotation_refuses_to_run_while_a_needed_key_is_missing(
    db: AppDB, owner: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", OLD)
    CreateUserCommand(db, owner, "zhao", Role.VIEWER, password=GOOD, display_name="赵六").run()
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", NEW)
    assert get_user(db, owner, "zhao").display_name == "[sealed:k2024]"  # readable app, nothing revealed
    with pytest.raises(InvalidInput) as caught:
        RotateKeysCommand(db, owner).run()
    assert [(p.code, p.params["kid"]) for p in caught.value.problems] == [("crypto.unknown_key", "k2024")]


def test_a_tampered_or_moved_ciphertext_does_not_decrypt(
    db: AppDB, owner: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", OLD)
    CreateUserCommand(db, owner, "sun", Role.VIEWER, password=GOOD, display_name="孙七").run()
    moved = Keyring.parse(OLD).encrypt("孙七", "api_tokens.name")  # right key, wrong column
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET display_name = :v WHERE username = 'sun'"), {"v": moved})
    with pytest.raises(EngineError) as caught:
        get_user(db, owner, "sun")
    assert caught.value.code == "crypto.decrypt_failed"
    assert "孙" not in caught.value.message("en")


def test_only_admins_rotate_keys(db: AppDB, owner: Principal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", NEW)
    risk = Principal(user_id=None, name="r", role=Role.RISK)
    with pytest.raises(PermissionDenied):
        RotateKeysCommand(db, risk).run()
    with pytest.raises(PermissionDenied):
        key_usage(db, risk)
    assert RotateKeysCommand(db, SYSTEM).run() == {"users.display_name": 0}
