"""Accounts: argon2 hashes, the password policy, one-time passwords, lock-out, first-run owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text, update

from zhongtai.appdb import (
    AppDB,
    AuthenticationError,
    CreateUserCommand,
    DisableUserCommand,
    EnableUserCommand,
    InvalidInput,
    ResetPasswordCommand,
    SetRoleCommand,
    SetScopeCommand,
    authenticate_password,
    change_password,
    ensure_owner,
    get_user,
    list_audit,
    list_users,
    renew_owner_one_time_password,
)
from zhongtai.appdb.models import AuditEvent, User
from zhongtai.appdb.passwords import MAX_FAILURES, Hasher, password_problems
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ConfigError, NotFoundError, PermissionDenied
from zhongtai.policy import DataScope, Principal, Role

GOOD = "correct horse battery staple"


def _audit_count(db: AppDB) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _add(
    db: AppDB,
    owner: Principal,
    name: str,
    role: Role = Role.ANALYST,
    password: str = GOOD,
    scope: DataScope | None = None,
) -> None:
    CreateUserCommand(db, owner, name, role, password=password, scope=scope).run()


def test_passwords_are_stored_as_argon2id_hashes_never_in_clear(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "alice")
    with db.read() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == "alice")).one()
        dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM users")) for v in row)
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert GOOD not in dump
    assert authenticate_password(db, "alice", GOOD).name == "alice"


def test_every_policy_problem_is_reported_at_once_and_nothing_is_written(db: AppDB, owner: Principal) -> None:
    before = _audit_count(db)
    with pytest.raises(InvalidInput) as caught:
        CreateUserCommand(db, owner, "Bad Name!", Role.ANALYST, password="tiny").run()
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["password.too_short", "users.invalid_username"]
    assert "12" in caught.value.message("en")
    assert "至少" in caught.value.message("zh_CN")
    assert [u.username for u in list_users(db, owner)] == ["admin"]
    assert _audit_count(db) == before


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "password.too_short"),
        ("x" * 129, "password.too_long"),
        ("123456789012", "password.too_common"),
        ("abcdefghijklmnop", "password.too_common"),
        ("aaaaaaaaaaaaaaaa", "password.too_common"),
        ("my name is alice, hi!", "password.contains_username"),
    ],
)
def test_the_password_policy_refuses_weak_passwords(password: str, problem: str) -> None:
    assert problem in password_problems(password, username="alice")


def test_long_passphrases_in_any_script_are_accepted_and_full_width_matches_half_width() -> None:
    assert password_problems("我的密码是一句很长的中文句子", username="alice") == []
    hasher = Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    stored = hasher.hash("Ｐａｓｓｗｏｒｄ　２０２５ｘ")
    assert hasher.verify(stored, "Password 2025x")


def test_a_duplicate_user_name_is_refused_case_insensitively(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "alice")
    with pytest.raises(InvalidInput) as caught:
        CreateUserCommand(db, owner, "ALICE", Role.VIEWER, password=GOOD).run()
    assert [p.code for p in caught.value.problems] == ["users.exists"]


def test_a_generated_one_time_password_must_be_changed_before_use(db: AppDB, owner: Principal) -> None:
    created = CreateUserCommand(db, owner, "bob", Role.OPERATOR).run()
    assert created.one_time_password
    assert created.user.must_change_password
    with pytest.raises(AuthenticationError) as caught:
        authenticate_password(db, "bob", created.one_time_password)
    assert caught.value.code == "auth.password_change_required"
    principal = change_password(db, "bob", created.one_time_password, "a brand new passphrase")
    assert principal.role is Role.OPERATOR
    assert authenticate_password(db, "bob", "a brand new passphrase").name == "bob"
    assert not get_user(db, owner, "bob").must_change_password


def test_changing_to_the_same_or_a_weak_password_is_refused(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "carol")
    with pytest.raises(InvalidInput) as caught:
        change_password(db, "carol", GOOD, GOOD)
    assert [p.code for p in caught.value.problems] == ["password.unchanged"]
    with pytest.raises(AuthenticationError):
        change_password(db, "carol", "not the password", "another good passphrase")


def test_repeated_failures_lock_the_account_even_against_the_right_password(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "dave")
    for attempt in range(1, MAX_FAILURES + 1):
        with pytest.raises(AuthenticationError) as caught:
            authenticate_password(db, "dave", f"wrong guess {attempt}")
    assert caught.value.code == "auth.locked"
    with pytest.raises(AuthenticationError) as caught:
        authenticate_password(db, "dave", GOOD)
    assert caught.value.code == "auth.locked"
    actions = [e.action for e in list_audit(db, owner, actor="dave", limit=20)]
    assert actions.count("auth.failed") == MAX_FAILURES - 1
    assert actions.count("auth.locked") == 1
    assert actions[0] == "auth.refused"
    EnableUserCommand(db, owner, "dave").run()
    assert authenticate_password(db, "dave", GOOD).name == "dave"


def test_the_lock_expires_by_itself(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "erin")
    with db.write() as session:
        session.execute(update(User).where(User.username == "erin").values(locked_until=utcnow() - timedelta(1)))
    assert authenticate_password(db, "erin", GOOD).name == "erin"


def test_unknown_users_and_wrong_passwords_read_alike(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "frank")
    with pytest.raises(AuthenticationError) as unknown:
        authenticate_password(db, "nobody", GOOD)
    with pytest.raises(AuthenticationError) as wrong:
        authenticate_password(db, "frank", "wrong password here")
    assert unknown.value.code == wrong.value.code == "auth.invalid_credentials"
    assert unknown.value.status == 401


def test_a_disabled_user_cannot_sign_in_and_the_attempt_is_audited(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "gina")
    DisableUserCommand(db, owner, "gina").run()
    with pytest.raises(AuthenticationError):
        authenticate_password(db, "gina", GOOD)
    last = list_audit(db, owner, limit=1)[0]
    assert (last.action, last.detail["reason"]) == ("auth.refused", "disabled")


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "hank")
    stronger = AppDB(db.url, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    try:
        authenticate_password(stronger, "hank", GOOD)
    finally:
        stronger.close()
    with db.read() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == "hank")).one()
    assert stored is not None
    assert "t=2" in stored


def test_the_last_admin_can_be_neither_demoted_nor_disabled(db: AppDB, owner: Principal) -> None:
    with pytest.raises(InvalidInput) as caught:
        SetRoleCommand(db, owner, "admin", Role.VIEWER).run()
    assert [p.code for p in caught.value.problems] == ["users.last_admin"]
    with pytest.raises(InvalidInput) as caught:
        DisableUserCommand(db, owner, "admin").run()
    assert [p.code for p in caught.value.problems] == ["users.cannot_disable_self"]
    _add(db, owner, "ivy", Role.ADMIN)
    assert SetRoleCommand(db, owner, "admin", Role.RISK).run().role is Role.RISK


def test_an_admin_reset_gives_a_one_time_password_and_lifts_a_lock(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "jack")
    with db.write() as session:
        session.execute(update(User).where(User.username == "jack").values(locked_until=utcnow() + timedelta(1)))
    reset = ResetPasswordCommand(db, owner, "jack").run()
    assert reset.one_time_password
    assert reset.user.locked_until is None
    assert reset.user.must_change_password
    ResetPasswordCommand(db, owner, "jack", password="chosen by the admin").run()
    assert authenticate_password(db, "jack", "chosen by the admin").name == "jack"


def test_role_and_scope_changes_reach_the_next_sign_in(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "kate", Role.OPERATOR)
    SetScopeCommand(db, owner, "kate", DataScope.of(stores=["S01", "S02"])).run()
    SetRoleCommand(db, owner, "kate", Role.SUPPLY).run()
    principal = authenticate_password(db, "kate", GOOD)
    assert principal.role is Role.SUPPLY
    assert principal.scope == DataScope.of(stores=["S01", "S02"])
    changes = [(e.action, e.detail.get("to")) for e in list_audit(db, owner, action="user.", limit=2)]
    assert changes == [("user.set_role", "supply"), ("user.set_scope", {"channels": None, "stores": ["S01", "S02"]})]


def test_nobody_but_an_admin_changes_accounts(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "liam", Role.RISK)
    risk = authenticate_password(db, "liam", GOOD)
    with pytest.raises(PermissionDenied) as caught:
        CreateUserCommand(db, risk, "mia", Role.ADMIN, password=GOOD).run()
    assert caught.value.params["permission"] == "users:write"
    with pytest.raises(PermissionDenied):
        SetRoleCommand(db, risk, "liam", Role.ADMIN).run()
    assert [u.username for u in list_users(db, risk)] == ["admin", "liam"]  # risk may read accounts


def test_first_run_creates_one_owner_with_a_one_time_password(db: AppDB) -> None:
    made = ensure_owner(db, environ={})
    assert made is not None
    assert made.username == "admin"
    assert made.one_time_password
    assert ensure_owner(db, environ={}) is None
    with pytest.raises(AuthenticationError) as caught:
        authenticate_password(db, "admin", made.one_time_password)
    assert caught.value.code == "auth.password_change_required"


def test_serve_renews_the_owner_one_time_password_until_the_owner_chooses_one(db: AppDB) -> None:
    made = ensure_owner(db, environ={})
    assert made is not None
    assert made.one_time_password
    renewed = renew_owner_one_time_password(db)
    assert renewed is not None
    assert renewed.one_time_password
    assert renewed.one_time_password != made.one_time_password
    with pytest.raises(AuthenticationError) as old:
        change_password(db, "admin", made.one_time_password, GOOD)
    assert old.value.code == "auth.invalid_credentials"  # the printed-before password stopped working
    change_password(db, "admin", renewed.one_time_password, GOOD)
    authenticate_password(db, "admin", GOOD)
    assert renew_owner_one_time_password(db) is None  # the owner chose a password: nothing printed
    actions = [e.action for e in list_audit(db, owner_principal_of(db))]
    assert "user.reset_password" in actions


def owner_principal_of(db: AppDB) -> Principal:
    from zhongtai.appdb import owner_principal

    return owner_principal(db, via="test")


def test_an_owner_without_any_password_gets_a_one_time_password_to_change(db: AppDB) -> None:
    """App state created for an existing workspace (``zhongtai demo``, older releases) has an
    owner without a password; ``zhongtai serve`` must still let the first admin in."""
    made = ensure_owner(db, generate=False, environ={})
    assert made is not None
    assert made.one_time_password is None
    renewed = renew_owner_one_time_password(db)
    assert renewed is not None
    assert renewed.one_time_password
    with pytest.raises(AuthenticationError) as caught:
        authenticate_password(db, "admin", renewed.one_time_password)
    assert caught.value.code == "auth.password_change_required"
    change_password(db, "admin", renewed.one_time_password, GOOD)
    assert renew_owner_one_time_password(db) is None


def test_nothing_is_renewed_when_the_owner_password_came_from_the_environment(db: AppDB) -> None:
    ensure_owner(db, environ={"ZHONGTAI_ADMIN_PASSWORD": GOOD})
    assert renew_owner_one_time_password(db) is None
    authenticate_password(db, "admin", GOOD)


def test_first_run_takes_the_admin_password_from_the_environment(db: AppDB) -> None:
    with pytest.raises(ConfigError) as caught:
        ensure_owner(db, environ={"ZHONGTAI_ADMIN_PASSWORD": "short"})
    assert "password.too_short" in caught.value.message("en")
    made = ensure_owner(db, environ={"ZHONGTAI_ADMIN_PASSWORD": GOOD, "ZHONGTAI_ADMIN_USER": "boss"})
    assert made is not None
    assert made.one_time_password is None
    assert made.password_source == "env"
    assert authenticate_password(db, "boss", GOOD).role is Role.ADMIN


def test_a_user_that_cannot_be_seen_is_not_found(db: AppDB, owner: Principal) -> None:
    _add(db, owner, "nora", Role.VIEWER)
    viewer = authenticate_password(db, "nora", GOOD)
    assert [u.username for u in list_users(db, viewer)] == ["nora"]
    with pytest.raises(NotFoundError):
        get_user(db, viewer, "admin")
