"""The role matrix and principals: what each role may do and see."""

from __future__ import annotations

import pytest

from zhongtai.errors import InputError, PermissionDenied
from zhongtai.policy import (
    ROLE_PERMISSIONS,
    Action,
    Capability,
    DataScope,
    Permission,
    Principal,
    Role,
    parse_role,
)
from zhongtai.warehouse.schema import PiiClass


def test_permissions_parse_and_print_as_capability_colon_action() -> None:
    assert str(Permission.parse(" Customers:EXPORT ")) == "customers:export"
    with pytest.raises(InputError) as caught:
        Permission.parse("customers:delete")
    assert "customers:export" in caught.value.message("en")


def test_roles_parse_with_a_helpful_error() -> None:
    assert parse_role("Risk") is Role.RISK
    with pytest.raises(InputError) as caught:
        parse_role("superuser")
    assert "viewer" in caught.value.message("zh_CN")


def test_a_denial_names_the_role_and_the_missing_permission_in_both_languages() -> None:
    viewer = Principal(user_id=3, name="vic", role=Role.VIEWER)
    with pytest.raises(PermissionDenied) as caught:
        viewer.require(Capability.AUDIT, Action.READ)
    assert caught.value.message("en") == "vic (role viewer) may not do this: it needs the permission audit:read."
    assert "audit:read" in caught.value.message("zh_CN")


def test_pii_visibility_needs_both_the_permission_and_the_class() -> None:
    admin = Principal(user_id=1, name="a", role=Role.ADMIN)
    assert admin.visible_classes() == {PiiClass.CONTACT, PiiClass.IDENTITY, PiiClass.FINANCIAL}
    assert not admin.sees(PiiClass.SENSITIVE)
    assert admin.sees(PiiClass.NONE)
    masked_token = Principal(
        user_id=1,
        name="a",
        role=Role.ADMIN,
        token_scopes=frozenset(ROLE_PERMISSIONS[Role.ADMIN]) - {Permission.parse("pii:read")},
    )
    assert masked_token.visible_classes() == frozenset()
    assert masked_token.visible_classes(Action.EXPORT) == admin.visible_classes()
    assert admin.visible_classes(Action.WRITE) == frozenset()


def test_data_scopes_round_trip_and_refuse_empty_ids() -> None:
    scope = DataScope.of(stores=["S2", "S1"], channels=None)
    assert DataScope.from_dict(scope.to_dict()) == scope
    assert scope.describe() == "stores=S1,S2"
    assert DataScope().unrestricted
    with pytest.raises(InputError):
        DataScope.of(stores=["S1", " "])
