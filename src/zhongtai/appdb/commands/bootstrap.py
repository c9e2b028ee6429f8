"""First run: the workspace owner, an admin, is created when app state has no users.

The password comes from ``ZHONGTAI_ADMIN_PASSWORD`` when set (it must pass the password policy),
else a one-time password is generated, returned once for ``zhongtai init`` to print, and must be
changed at the first sign-in. A workspace that gets its app state later (created by an older
release) gets an owner *without* a password: the CLI acts as the owner, and
``zhongtai users reset-password admin`` issues one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from zhongtai.appdb.commands.base import Problems
from zhongtai.appdb.commands.users import check_username
from zhongtai.appdb.dao import AuditDAO, UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import User
from zhongtai.appdb.passwords import generate_password, password_problems
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ConfigError
from zhongtai.policy.principal import SYSTEM
from zhongtai.policy.roles import Role

__all__ = ["ENV_ADMIN_PASSWORD", "ENV_ADMIN_USER", "AdminBootstrap", "ensure_owner", "renew_owner_one_time_password"]

ENV_ADMIN_USER = "ZHONGTAI_ADMIN_USER"
ENV_ADMIN_PASSWORD = "ZHONGTAI_ADMIN_PASSWORD"


@dataclass(frozen=True, slots=True)
class AdminBootstrap:
    username: str
    one_time_password: str | None
    password_source: str  # "one_time", "env" or "none"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "username": self.username,
            "one_time_password": self.one_time_password,
            "password_source": self.password_source,
        }


def ensure_owner(
    db: AppDB, *, generate: bool = True, environ: Mapping[str, str] | None = None
) -> AdminBootstrap | None:
    """Create the owner admin if app state has no user yet; ``None`` when users exist.

    ``generate=False`` (an existing workspace getting app state) leaves the owner without a
    password unless ``ZHONGTAI_ADMIN_PASSWORD`` is set.
    """
    env = os.environ if environ is None else environ
    problems = Problems()
    username = check_username(env.get(ENV_ADMIN_USER, "admin"), problems)
    if problems:
        raise ConfigError("auth.bootstrap_invalid", env=ENV_ADMIN_USER, problems="users.invalid_username")
    given = env.get(ENV_ADMIN_PASSWORD) or None
    if given is not None:
        found = password_problems(given, username=username)
        if found:
            raise ConfigError("auth.bootstrap_invalid", env=ENV_ADMIN_PASSWORD, problems=", ".join(found))
    with db.read() as session:
        if UserDAO(session, SYSTEM).count():
            return None
    one_time = generate_password() if given is None and generate else None
    secret = given or one_time
    password_hash = db.hasher.hash(secret) if secret else None
    source = "env" if given else "one_time" if one_time else "none"
    with db.write() as session:
        users = UserDAO(session, SYSTEM)
        if users.count():
            return None
        owner = User(
            username=username,
            role=Role.ADMIN.value,
            scope={},
            password_hash=password_hash,
            must_change_password=one_time is not None,
            is_owner=True,
            failed_logins=0,
            password_changed_at=utcnow() if secret else None,
        )
        users.add(owner, username=username)
        AuditDAO(session, SYSTEM).append(
            "user.create",
            target_type="user",
            target_id=owner.id,
            detail={"username": username, "role": owner.role, "owner": True, "password": source},
        )
    return AdminBootstrap(username, one_time, source)


def _owner_awaits_first_sign_in(owner: User | None) -> bool:
    """The owner has never signed in and has no password of their own: a one-time password still
    to change, or none at all (app state created for a workspace made by ``zhongtai demo`` or an
    older release)."""
    if owner is None or owner.last_login_at is not None:
        return False
    return owner.must_change_password or owner.password_hash is None


def renew_owner_one_time_password(db: AppDB) -> AdminBootstrap | None:
    """A fresh one-time password for the owner while the owner has never signed in and has no
    password of their own yet (``None`` otherwise).

    ``make run`` / ``zhongtai serve`` print it so the first admin can always reach the console,
    even when the one printed at creation scrolled away; the old one-time password stops working.
    Once the owner has chosen a password nothing is printed or changed. Audited as a password reset
    by the system.
    """
    with db.read() as session:
        if not _owner_awaits_first_sign_in(UserDAO(session, SYSTEM).owner_for_auth()):
            return None
    one_time = generate_password()
    password_hash = db.hasher.hash(one_time)
    with db.write() as session:
        owner = UserDAO(session, SYSTEM).owner_for_auth()
        if owner is None or not _owner_awaits_first_sign_in(owner):
            return None
        owner.password_hash = password_hash
        owner.must_change_password = True
        owner.failed_logins = 0
        owner.locked_until = None
        AuditDAO(session, SYSTEM).append(
            "user.reset_password",
            target_type="user",
            target_id=owner.id,
            detail={"username": owner.username, "reason": "serve_start_one_time"},
        )
        return AdminBootstrap(owner.username, one_time, "one_time")
