"""API tokens: shown once, hashed at rest, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from zhongtai.appdb import (
    AppDB,
    AuthenticationError,
    CreateTokenCommand,
    CreateUserCommand,
    DisableUserCommand,
    InvalidInput,
    RevokeTokenCommand,
    authenticate_password,
    authenticate_token,
    default_scopes,
    list_audit,
    list_tokens,
)
from zhongtai.appdb.models import ApiToken
from zhongtai.appdb.tokens import parse_token
from zhongtai.appdb.types import utcnow
from zhongtai.errors import NotFoundError, PermissionDenied
from zhongtai.policy import Action, Capability, Principal, Role

GOOD = "correct horse battery staple"


def _user(db: AppDB, owner: Principal, name: str, role: Role) -> Principal:
    CreateUserCommand(db, owner, name, role, password=GOOD).run()
    return authenticate_password(db, name, GOOD)


def test_a_token_is_shown_once_and_only_its_hash_is_stored(db: AppDB, owner: Principal) -> None:
    analyst = _user(db, owner, "alice", Role.ANALYST)
    made = CreateTokenCommand(db, analyst, "bi export").run()
    parsed = parse_token(made.text)
    assert parsed is not None
    assert parsed[0] == made.token.public_id
    secret = parsed[1]
    with db.read() as session:
        stored = session.scalars(select(ApiToken.secret_hash)).one()
        dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM api_tokens")) for v in row)
        audit = " ".join(str(v) for row in session.execute(text("SELECT * FROM audit_log")) for v in row)
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in dump
    assert secret not in audit
    assert made.text.startswith("zt_")
    assert made.token.public_id in made.text
    assert all(t.public_id == made.token.public_id for t in list_tokens(db, analyst))


def test_a_token_acts_as_its_user_narrowed_to_its_scopes(db: AppDB, owner: Principal) -> None:
    operator = _user(db, owner, "bob", Role.OPERATOR)
    default = CreateTokenCommand(db, operator, "default scopes").run()
    principal = authenticate_token(db, default.text)
    assert (principal.name, principal.role, principal.token_id) == ("bob", Role.OPERATOR, default.token.id)
    assert principal.permissions == default_scopes(Role.OPERATOR)
    assert principal.can(Capability.CUSTOMERS, Action.WRITE)
    assert not principal.can(Capability.PII, Action.READ)
    assert principal.visible_classes() == frozenset()
    narrow = CreateTokenCommand(db, operator, "read only", scopes=["customers:read", "pii:read"]).run()
    reader = authenticate_token(db, narrow.text)
    assert reader.can(Capability.CUSTOMERS, Action.READ)
    assert not reader.can(Capability.CUSTOMERS, Action.WRITE)
    assert reader.visible_classes() == operator.visible_classes()


def test_scopes_must_be_known_and_held_by_the_users_role(db: AppDB, owner: Principal) -> None:
    viewer = _user(db, owner, "carol", Role.VIEWER)
    with pytest.raises(InvalidInput) as caught:
        CreateTokenCommand(db, viewer, "too much", scopes=["metrics:read", "users:write", "nonsense"], days=400).run()
    assert sorted(p.code for p in caught.value.problems) == [
        "policy.unknown_permission",
        "tokens.invalid_expiry",
        "tokens.scope_not_held",
    ]
    assert list_tokens(db, viewer, include_inactive=True) == []


@pytest.mark.parametrize("used_just_before", [False, True])
@pytest.mark.parametrize("state", ["expired", "revoked", "user_disabled", "wrong_secret", "malformed"])
def test_a_token_stops_working(db: AppDB, owner: Principal, state: str, used_just_before: bool) -> None:
    """Also when its use was recorded a moment ago (the read-only fast path must not accept it)."""
    analyst = _user(db, owner, "dave", Role.ANALYST)
    made = CreateTokenCommand(db, analyst, "soon useless").run()
    token = made.text
    if used_just_before:
        authenticate_token(db, token)
    if state == "expired":
        with db.write() as session:
            session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    elif state == "revoked":
        RevokeTokenCommand(db, analyst, made.token.id).run()
    elif state == "user_disabled":
        DisableUserCommand(db, owner, "dave").run()
    elif state == "wrong_secret":
        token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    else:
        token = "Bearer " + token
    with pytest.raises(AuthenticationError) as caught:
        authenticate_token(db, token)
    assert caught.value.code == "auth.invalid_token"
    assert caught.value.status == 401
    if state in ("expired", "revoked", "user_disabled"):
        refused = list_audit(db, owner, action="auth.token_refused", limit=1)[0]
        assert refused.detail == {"public_id": made.token.public_id, "reason": state}


def test_use_is_recorded_at_most_hourly(db: AppDB, owner: Principal) -> None:
    analyst = _user(db, owner, "erin", Role.ANALYST)
    made = CreateTokenCommand(db, analyst, "busy").run()
    for _ in range(3):
        authenticate_token(db, made.text)
    (used,) = list_audit(db, owner, action="token.use")
    assert used.actor_name == "erin"
    assert used.detail == {"public_id": made.token.public_id}
    with db.write() as session:
        session.execute(update(ApiToken).values(last_used_at=utcnow() - timedelta(hours=2)))
    authenticate_token(db, made.text)
    assert len(list_audit(db, owner, action="token.use")) == 2


def test_what_a_token_does_is_recorded_with_the_token(db: AppDB, owner: Principal) -> None:
    analyst = _user(db, owner, "ivan", Role.ANALYST)
    made = CreateTokenCommand(db, analyst, "self-destruct").run()
    via_token = authenticate_token(db, made.text)
    RevokeTokenCommand(db, via_token, made.token.id).run()  # a token may revoke itself
    (entry,) = list_audit(db, owner, action="token.revoke")
    assert entry.via == f"token#{made.token.id}"
    assert entry.actor_name == "ivan"


def test_only_token_admins_make_or_revoke_tokens_for_others(db: AppDB, owner: Principal) -> None:
    alice = _user(db, owner, "alice", Role.ANALYST)
    bob = _user(db, owner, "bob", Role.ANALYST)
    with pytest.raises(PermissionDenied):
        CreateTokenCommand(db, alice, "for bob", username="bob").run()
    bobs = CreateTokenCommand(db, owner, "for bob", username="bob").run()
    assert bobs.token.user == "bob"
    with pytest.raises(NotFoundError):
        RevokeTokenCommand(db, alice, bobs.token.id).run()
    assert [t.id for t in list_tokens(db, alice)] == []
    assert [t.id for t in list_tokens(db, bob)] == [bobs.token.id]
    assert [t.id for t in list_tokens(db, owner)] == [bobs.token.id]
    RevokeTokenCommand(db, owner, bobs.token.id).run()
    assert list_tokens(db, bob) == []
    assert len(list_tokens(db, bob, include_inactive=True)) == 1


def test_a_token_cannot_mint_tokens_unless_scoped_to(db: AppDB, owner: Principal) -> None:
    analyst = _user(db, owner, "fay", Role.ANALYST)
    token = authenticate_token(db, CreateTokenCommand(db, analyst, "ci").run().text)
    with pytest.raises(PermissionDenied) as caught:
        CreateTokenCommand(db, token, "child").run()
    assert caught.value.code == "tokens.token_cannot_create"
    admin_token = authenticate_token(
        db, CreateTokenCommand(db, owner, "ops", scopes=["tokens:write", "users:read"]).run().text
    )
    assert (
        CreateTokenCommand(db, admin_token, "child", username="fay", scopes=["metrics:read"]).run().token.user == "fay"
    )
