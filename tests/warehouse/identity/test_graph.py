"""The graph core on hand-made records: caps, conflicts, the over-merge guard, operator decisions."""

from __future__ import annotations

import numpy as np

from zhongtai.warehouse.identity import DEFAULT_RULES, ID_TYPES, link_components
from zhongtai.warehouse.identity.rules import IdentifierRule, ResolutionRules

T = {t: i for i, t in enumerate(ID_TYPES)}


def _link(n: int, rows: list[tuple[int, str, int]], rules: ResolutionRules = DEFAULT_RULES, **kw: object):  # type: ignore[no-untyped-def]
    rec = np.array([r[0] for r in rows], dtype=np.int64)
    tcode = np.array([T[r[1]] for r in rows], dtype=np.int8)
    vid = np.array([r[2] for r in rows], dtype=np.int64)
    return link_components(n, rec, tcode, vid, rules, **kw)  # type: ignore[arg-type]


def _same(labels: np.ndarray, *records: int) -> bool:
    return len({int(labels[r]) for r in records}) == 1


def test_shared_phone_links_accounts_and_transitively_through_unionid() -> None:
    # 0 and 1 share a phone (vid 0); 1 and 2 share a unionid (vid 1); 3 stands alone
    comp = _link(
        4, [(0, "phone", 0), (1, "phone", 0), (1, "wechat_unionid", 1), (2, "wechat_unionid", 1), (3, "phone", 2)]
    )
    assert _same(comp.labels, 0, 1, 2)
    assert not _same(comp.labels, 0, 3)
    assert comp.count == 2


def test_front_desk_phone_held_by_40_accounts_links_nobody() -> None:
    rows = [(i, "phone", 0) for i in range(40)] + [(0, "email", 1), (1, "email", 1)]
    comp = _link(40, rows)
    assert comp.count == 39  # only the e-mail pair is joined
    assert _same(comp.labels, 0, 1)
    assert comp.blocked_cap["phone"] == 1
    _ids, types, accounts, reasons = comp.blocked_values
    assert list(types) == [T["phone"]]
    assert list(accounts) == [40]
    assert list(reasons) == ["cap"]


def test_family_tablet_does_not_join_two_identified_people() -> None:
    # parents 0 and 1 each have their own phone and share device vid 9; 2 is the father's second account
    rows = [(0, "phone", 0), (2, "phone", 0), (1, "phone", 1), (0, "device_id", 9), (1, "device_id", 9)]
    comp = _link(3, rows)
    assert _same(comp.labels, 0, 2)
    assert not _same(comp.labels, 0, 1)
    assert comp.blocked_conflict["device_id"] == 1


def test_device_links_an_account_that_has_nothing_else() -> None:
    comp = _link(2, [(0, "phone", 0), (0, "device_id", 5), (1, "device_id", 5)])
    assert _same(comp.labels, 0, 1)


def test_oversize_component_is_flagged_and_held_back_to_its_strongest_links() -> None:
    # a chain of 15 accounts through phones (each phone shared by two): one component of 15
    rows = [(i, "phone", i) for i in range(15)] + [(i + 1, "phone", i) for i in range(14)]
    rows += [(0, "member_card", 100), (1, "member_card", 100)]
    rules = ResolutionRules(types=dict(DEFAULT_RULES.types), max_cluster_size=12)
    comp = _link(15, rows, rules)
    assert comp.flagged.all()
    assert _same(comp.labels, 0, 1)
    assert comp.count == 14


def test_pinned_accounts_stay_apart_and_must_links_join() -> None:
    rows = [(0, "phone", 0), (1, "phone", 0), (2, "phone", 0)]
    pinned = np.array([-1, -1, 7, -1], dtype=np.int64)
    comp = _link(4, rows, pinned=pinned, must_a=np.array([2]), must_b=np.array([3]))
    assert _same(comp.labels, 0, 1)
    assert not _same(comp.labels, 0, 2)
    assert _same(comp.labels, 2, 3)


def test_types_that_do_not_link_and_duplicate_rows() -> None:
    rules = ResolutionRules(types={**DEFAULT_RULES.types, "email": IdentifierRule("email", links=False)})
    comp = _link(
        3,
        [
            (0, "email", 0),
            (1, "email", 0),
            (1, "name_address", 1),
            (2, "name_address", 1),
            (0, "phone", 2),
            (0, "phone", 2),
        ],
        rules,
    )
    assert comp.count == 3
