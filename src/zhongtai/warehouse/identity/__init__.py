"""Identity: provisional member ids for ingest, and identity resolution (OneID) across systems.

``provisional_member_id`` (and its SQL twin) compose the member id of an account nobody has
linked yet; ingest uses it for every person-level row. :func:`resolve_identities` links accounts
into people by their normalised identifiers (phone, e-mail, WeChat unionid, member card, device…)
under per-type :class:`ResolutionRules`, keeps member ids stable across runs with a merge/split
history, applies operator decisions (:mod:`.overrides`) and rewrites ``member_id`` in every
person-level table. ``docs/identity.md`` describes the rules and how to tune them.
"""

from zhongtai.warehouse.identity._provisional import SEPARATOR, provisional_member_id, provisional_member_id_sql
from zhongtai.warehouse.identity.graph import Components, link_components
from zhongtai.warehouse.identity.normalise import normalise_identifiers, normalise_phone_slow
from zhongtai.warehouse.identity.overrides import (
    Override,
    accept_candidate,
    current_member_id,
    list_overrides,
    member_accounts,
    merge_members,
    reject_candidate,
    undo_override,
    unmerge_accounts,
)
from zhongtai.warehouse.identity.probabilistic import Candidate, find_candidates, list_candidates, train_and_predict
from zhongtai.warehouse.identity.quality import PairwiseScore, identity_report, pairwise_scores
from zhongtai.warehouse.identity.resolve import ResolutionResult, person_tables, resolve_identities
from zhongtai.warehouse.identity.rules import DEFAULT_RULES, ID_TYPES, IdentifierRule, ResolutionRules, load_rules

__all__ = [
    "DEFAULT_RULES",
    "ID_TYPES",
    "SEPARATOR",
    "Candidate",
    "Components",
    "IdentifierRule",
    "Override",
    "PairwiseScore",
    "ResolutionResult",
    "ResolutionRules",
    "accept_candidate",
    "current_member_id",
    "find_candidates",
    "identity_report",
    "link_components",
    "list_candidates",
    "list_overrides",
    "load_rules",
    "member_accounts",
    "merge_members",
    "normalise_identifiers",
    "normalise_phone_slow",
    "pairwise_scores",
    "person_tables",
    "provisional_member_id",
    "provisional_member_id_sql",
    "reject_candidate",
    "resolve_identities",
    "train_and_predict",
    "undo_override",
    "unmerge_accounts",
]
