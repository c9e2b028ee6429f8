"""Two real users for every permission rule: one the rule allows, one it refuses.

Users are created in app state (SQLite and PostgreSQL) and signed in with their passwords, so
the principals under test are exactly what authentication hands the CLI and the API. Where every
role holds a permission, the refused user is signed in with an API token scoped without it.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from appdb_support import BACKENDS, FAST_HASHER, admin_engine
from sqlalchemy import URL, text

from zhongtai.appdb import (
    AppDB,
    CreateTokenCommand,
    CreateUserCommand,
    authenticate_password,
    authenticate_token,
    ensure_owner,
    owner_principal,
)
from zhongtai.errors import PermissionDenied
from zhongtai.policy import ALL_PERMISSIONS, ROLE_PERMISSIONS, ROLE_PII, Action, Permission, Principal, Role
from zhongtai.warehouse.schema import PiiClass

GOOD = "correct horse battery staple"


@dataclass
class Team:
    db: AppDB
    owner: Principal
    members: dict[Role, Principal]


@pytest.fixture(scope="module", params=BACKENDS)
def team(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """One signed-in user per role, in one database per backend (shared by this module's tests)."""
    cleanup = None
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("team") / "app.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = URL.create("sqlite", database=str(target))
    else:
        server: URL = request.getfixturevalue("pg_server")
        name = f"t_{secrets.token_hex(6)}"
        engine = admin_engine(server)
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("pg_template")}"'))
        url = server.set(database=name)

        def cleanup() -> None:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()

    db = AppDB(url, hasher=FAST_HASHER)
    ensure_owner(db, generate=False, environ={})
    owner = owner_principal(db)
    members = {}
    for role in Role:
        CreateUserCommand(db, owner, f"u_{role.value}", role, password=GOOD).run()
        members[role] = authenticate_password(db, f"u_{role.value}", GOOD)
    try:
        yield Team(db, owner, members)
    finally:
        db.close()
        if cleanup is not None:
            cleanup()


def _pair(team: Team, permission: Permission) -> tuple[Principal, Principal]:
    allowed = next(team.members[r] for r in Role if permission in ROLE_PERMISSIONS[r])
    refused_role = next((r for r in Role if permission not in ROLE_PERMISSIONS[r]), None)
    if refused_role is not None:
        return allowed, team.members[refused_role]
    other = next(p for p in sorted(ROLE_PERMISSIONS[allowed.role]) if p != permission)
    made = CreateTokenCommand(team.db, allowed, f"without {permission}", scopes=[str(other)]).run()
    return allowed, authenticate_token(team.db, made.text)


@pytest.mark.parametrize("permission", sorted(ALL_PERMISSIONS), ids=str)
def test_one_user_is_allowed_and_one_refused(team: Team, permission: Permission) -> None:
    allowed, refused = _pair(team, permission)
    allowed.require(permission.capability, permission.action)
    with pytest.raises(PermissionDenied) as caught:
        refused.require(permission.capability, permission.action)
    assert caught.value.params["permission"] == str(permission)
    assert caught.value.status == 403


@pytest.mark.parametrize("pii", [c for c in PiiClass if c is not PiiClass.NONE], ids=str)
@pytest.mark.parametrize("action", [Action.READ, Action.EXPORT], ids=str)
def test_one_user_sees_each_pii_class_unmasked_and_one_does_not(team: Team, pii: PiiClass, action: Action) -> None:
    seeing = [r for r in Role if team.members[r].sees(pii, action)]
    blind = [r for r in Role if not team.members[r].sees(pii, action)]
    assert seeing
    assert blind
    assert all(pii in ROLE_PII[r] for r in seeing)
    assert Role.VIEWER in blind
    assert Role.ANALYST in blind


def test_only_risk_sees_sensitive_data_and_operators_cannot_export_pii(team: Team) -> None:
    assert [r for r in Role if team.members[r].sees(PiiClass.SENSITIVE)] == [Role.RISK]
    operator = team.members[Role.OPERATOR]
    assert operator.sees(PiiClass.CONTACT, Action.READ)
    assert not operator.sees(PiiClass.CONTACT, Action.EXPORT)


def test_a_token_never_widens_what_its_user_may_do(team: Team) -> None:
    analyst = team.members[Role.ANALYST]
    wide = Principal(
        user_id=analyst.user_id, name=analyst.name, role=Role.ANALYST, token_scopes=frozenset(ALL_PERMISSIONS)
    )
    assert wide.permissions == ROLE_PERMISSIONS[Role.ANALYST]
    assert wide.visible_classes() == frozenset()


def test_the_matrix_keeps_least_privilege(team: Team) -> None:
    assert ROLE_PERMISSIONS[Role.ADMIN] == ALL_PERMISSIONS
    for role in Role:
        if role is not Role.ADMIN:
            held = {str(p) for p in ROLE_PERMISSIONS[role]}
            assert not held & {"users:write", "tokens:write", "keys:write", "keys:read", "settings:write"}, role
    assert {u.name for u in team.members.values()} == {f"u_{r.value}" for r in Role}
