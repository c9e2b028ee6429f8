"""Turning one block's facts into canonical tables and truth tables (Arrow, exact types)."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from sqlglot import exp

from zhongtai.demo import _arrow as A
from zhongtai.demo.accounts import AccountTables, _device_strings, tokens
from zhongtai.demo.block import BlockResult, content_touch_candidates
from zhongtai.demo.catalog import CATEGORY_L1
from zhongtai.demo.events import EVENT_STEPS, PAGES, PURCHASE, Events
from zhongtai.demo.experiments import Exposures
from zhongtai.demo.feedback import EMOTIONS, TOUCHPOINTS, FeedbackPlan, frame_time
from zhongtai.demo.fulfilment import CARRIERS, ISSUES, REASON_CODES, REASON_TEXTS, STATUS, Fulfilment
from zhongtai.demo.geo import CITIES
from zhongtai.demo.ids import order_ids, per_source
from zhongtai.demo.membership import CONSENT_CHANNELS, EVIDENCE, PURPOSES, REASONS, TIERS, Consents, Tiers
from zhongtai.demo.money import METHODS, MISMATCHES, Money
from zhongtai.demo.orders import Lines, Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import Lifetimes
from zhongtai.demo.segments import CHANNEL_IDS, CLUSTERS, SOURCES
from zhongtai.demo.sessions import Sessions
from zhongtai.demo.tables import canonical_table
from zhongtai.demo.textgen import TextGenerators, to_canonical, to_truth
from zhongtai.demo.world import World
from zhongtai.warehouse._sql import col, render, tbl
from zhongtai.warehouse.identity import provisional_member_id_sql

__all__ = ["assemble"]

NOTES = ("请尽快发货", "送人的,不要放价格单", "周末送货", "放快递柜", "包装结实一点", "请开发票", "需要小样", "谢谢")
COMPANY_WORDS = ("星辰", "华信", "嘉禾", "博远", "创想", "云帆", "优品", "鼎盛", "恒通", "睿智", "启明", "汇源")
COMPANY_SUFFIX = ("科技有限公司", "贸易有限公司", "文化传媒有限公司", "网络科技有限公司", "电子商务有限公司")
REFUND_STATUS = ("requested", "approved", "rejected", "completed")
INVOICE_KINDS = ("electronic", "normal", "special_vat")
INVOICE_STATUS = ("issued", "cancelled", "red_letter")
PAY_STATUS = ("succeeded", "failed", "refunded")
PAY_PREFIX = ("2025", "4200", "6222", "8800", "C", "B", "HB", "OT")
TOUCH_ACTIONS = ("view", "click", "like", "share", "comment", "purchase")


def member_ids(source: pa.Array, customer_id: pa.Array) -> list[str | None]:
    """``member_id`` as ingest derives it, computed by the identity module's own SQL expression
    (:func:`~zhongtai.warehouse.identity.provisional_member_id_sql`) over Arrow columns."""
    frame = pa.table({"source": A.plain(source), "customer_id": A.plain(customer_id)})
    con = duckdb.connect()
    try:
        con.register("ids", frame)
        query = exp.select(provisional_member_id_sql(col("source"), col("customer_id")).as_("member_id")).from_(
            tbl("ids")
        )
        return [row[0] for row in con.execute(render(query)).fetchall()]
    finally:
        con.close()


def _zeros(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.int64)


def _const(value: str, n: int) -> pa.Array:
    return A.pick([value], _zeros(n))


def _ts(world: World, t: np.ndarray) -> pa.Array:
    t = np.asarray(t, dtype=np.float64)
    missing = ~np.isfinite(t)
    return A.timestamps(world.cal.to_utc_us(np.where(missing, 0.0, t)), missing if missing.any() else None)


def assemble(
    world: World,
    block: int,
    text: TextGenerators | ModuleType,
    persons: Persons,
    life: Lifetimes,
    sessions: Sessions,
    exposures: Exposures,
    orders: Orders,
    lines: Lines,
    ful: Fulfilment,
    money: Money,
    accounts: AccountTables,
    events: Events,
    feedback: FeedbackPlan,
    consents: Consents,
    tiers: Tiers,
    rng: Callable[[str], np.random.Generator],
    clock: dict[str, float],
) -> BlockResult:
    catalog, sites = world.catalog, world.sites
    n = persons.n
    all_ids = pa.concat_arrays([A.plain(accounts.customer_ids[s]) for s in range(5)])

    def cid(person: np.ndarray, source: np.ndarray) -> pa.Array:
        return A.pick(all_ids, source.astype(np.int64) * n + person)

    member_of = np.asarray(member_ids(A.pick(SOURCES, np.repeat(np.arange(5), n)), all_ids), dtype=object)

    def mid(person: np.ndarray, source: np.ndarray) -> list[str]:
        """Member ids as ingest derives them (the text generators' frames carry them)."""
        return list(member_of[source.astype(np.int64) * n + person])

    def oid(index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
        return A.pick(order_id, index, mask)

    tables: dict[str, pa.Table] = {}
    truth: dict[str, pa.Table] = {}
    r = rng("assemble")
    # --- orders -----------------------------------------------------------------------------
    o_src = orders.source.astype(np.int64)
    no = orders.n
    order_id = per_source(order_ids, o_src, orders.number)
    city = persons.city[orders.person]
    other_name = r.random(no) < 0.08
    receiver = orders.person.copy()
    receiver[other_name] = r.integers(0, n, int(other_name.sum()))  # gifts, family, colleagues
    names = pa.array(persons.names.name.astype(str), pa.string())
    districts = [d for c in CITIES for d in c.districts]
    promo_ids = [p.promotion_id for p in world.pricing.promotions]
    note = r.random(no) < 0.04
    tables["orders"] = canonical_table(
        "orders",
        {
            "source": A.pick(SOURCES, o_src),
            "customer_id": cid(orders.person, o_src),
            "order_id": order_id,
            "channel_id": A.pick(CHANNEL_IDS, o_src),
            "store_id": A.pick(sites.location_id, np.maximum(orders.store, 0), orders.store < 0),
            "order_time": _ts(world, orders.t),
            "paid_at": _ts(world, orders.paid_t),
            "status": A.pick(STATUS, ful.status),
            "currency": _const("CNY", no),
            "item_count": orders.item_count,
            "goods_amount": A.money(orders.goods),
            "discount_amount": A.money(orders.discount),
            "shipping_fee": A.money(orders.shipping),
            "total_amount": A.money(orders.total),
            "paid_amount": A.money(orders.paid),
            "coupon_code": A.fixed_ids("QHC", np.maximum(orders.coupon, 0), 5, orders.coupon < 0),
            "promotion_id": A.pick(promo_ids, np.maximum(orders.promotion, 0), orders.promotion < 0),
            "country": _const("中国", no),
            "province": A.pick([c.province for c in CITIES], city),
            "city": A.pick([c.name for c in CITIES], city),
            "district": A.pick(districts, city * 4 + persons.district[orders.person]),
            "receiver_name": A.pick(names, receiver),
            "receiver_phone": A.fixed_ids("", persons.phone[orders.person], 11),
            "receiver_address": A.pick(pa.array(persons.address.astype(str), pa.string()), orders.person),
            "buyer_note": A.pick(NOTES, r.integers(0, len(NOTES), no), ~note),
        },
    )
    # --- order lines --------------------------------------------------------------------------
    l_src = o_src[lines.order]
    sub = np.isin(l_src, (0, 2))
    tables["order_items"] = canonical_table(
        "order_items",
        {
            "source": A.pick(SOURCES, l_src),
            "order_id": oid(lines.order),
            "line_no": lines.line_no.astype(np.int64),
            "sub_order_id": A.fixed_ids("", orders.number[lines.order] * 10 + lines.line_no, 18, ~sub),
            "sku": A.pick(catalog.sku, lines.sku),
            "product_name": A.pick(catalog.name, lines.sku),
            "quantity": lines.quantity.astype(np.int64),
            "unit_price": A.price(lines.unit_price),
            "discount_amount": A.money(lines.discount),
            "amount": A.money(lines.amount),
            "is_gift": pa.array(lines.gift),
        },
    )
    # --- payments and invoices ---------------------------------------------------------------
    p_src = o_src[money.pay_order]
    np_ = len(money.pay_order)
    tables["payments"] = canonical_table(
        "payments",
        {
            "source": A.pick(SOURCES, p_src),
            "payment_id": A.fixed_ids("PAY", block * 10**7 + np.arange(np_), 14),
            "order_id": oid(money.pay_order),
            "method": A.pick(METHODS, money.pay_method),
            "amount": A.money(money.pay_amount),
            "currency": _const("CNY", np_),
            "paid_at": _ts(world, money.pay_t),
            "status": A.pick(PAY_STATUS, money.pay_status),
            "transaction_ref": A.join(A.pick(PAY_PREFIX, money.pay_method), A.fixed_ids("", money.pay_ref, 18)),
        },
    )
    ni = len(money.inv_order)
    i_src = o_src[money.inv_order]
    company = money.inv_company
    titles = np.where(
        company >= 0,
        [
            f"{CITIES[int(c) % len(CITIES)].name}{COMPANY_WORDS[int(c) % len(COMPANY_WORDS)]}"
            f"{COMPANY_SUFFIX[int(c) % len(COMPANY_SUFFIX)]}"
            for c in company
        ],
        persons.names.name[orders.person[money.inv_order]],
    )
    tax_id = A.join(
        "91440300",
        tokens(
            np.maximum(company, 0).astype(np.uint64), 10, salt=5, alphabet=np.frombuffer(b"0123456789ABCDEF", np.uint8)
        ),
    )
    tables["invoices"] = canonical_table(
        "invoices",
        {
            "source": A.pick(SOURCES, i_src),
            "invoice_id": A.fixed_ids("INV", block * 10**7 + np.arange(ni), 14),
            "order_id": oid(money.inv_order),
            "invoice_no": A.fixed_ids("", money.inv_no, 20),
            "kind": A.pick(INVOICE_KINDS, money.inv_kind),
            "title": A.strings(titles.astype(str)),
            "tax_id": A.with_nulls(tax_id, company < 0),
            "amount": A.money(money.inv_amount),
            "tax_amount": A.money(np.round(money.inv_amount * 13 / 113).astype(np.int64)),
            "currency": _const("CNY", ni),
            "issued_at": _ts(world, money.inv_t),
            "status": A.pick(INVOICE_STATUS, money.inv_status),
        },
    )
    # --- refunds -----------------------------------------------------------------------------
    rf = ful.refunds
    nr = len(rf.order)
    texts = []
    for code, issue in zip(rf.reason_code, rf.issue, strict=True):
        key = (REASON_CODES[int(code)], ISSUES[int(issue)])
        options = (
            REASON_TEXTS.get(key)
            or REASON_TEXTS.get((key[0], ""))
            or next(v for k, v in REASON_TEXTS.items() if k[0] == key[0])
        )
        texts.append(options[int(r.integers(len(options)))])
    reason_code = np.array(
        [("quality", "size", "logistics", "changed_mind", "cancelled", "other")[c] for c in rf.reason_code],
        dtype=object,
    )
    tables["refunds"] = canonical_table(
        "refunds",
        {
            "source": A.pick(SOURCES, o_src[rf.order]),
            "customer_id": cid(orders.person[rf.order], o_src[rf.order]),
            "refund_id": A.fixed_ids("RF", rf.refund_no, 14),
            "line_no": rf.line_no.astype(np.int64),
            "order_id": oid(rf.order),
            "sku": A.pick(catalog.sku, lines.sku[rf.line]),
            "quantity": pa.array(rf.quantity.astype(np.int64), mask=rf.quantity <= 0),
            "amount": A.money(rf.amount),
            "currency": _const("CNY", nr),
            "reason": pa.array(texts, pa.string()),
            "reason_code": pa.array(reason_code, pa.string()),
            "requested_at": _ts(world, rf.requested),
            "refunded_at": _ts(world, rf.refunded),
            "status": A.pick(REFUND_STATUS, rf.status),
        },
    )
    # --- shipments ---------------------------------------------------------------------------
    sh = np.flatnonzero(ful.shipped)
    ns = len(sh)
    delivered = ~np.isnan(ful.delivered_t[sh])
    returned = ful.status[sh] == STATUS.index("refunded")
    ship_status = np.where(ful.lost[sh], 3, np.where(returned & ~delivered, 2, np.where(delivered, 1, 0)))
    tables["shipments"] = canonical_table(
        "shipments",
        {
            "source": A.pick(SOURCES, o_src[sh]),
            "shipment_id": A.fixed_ids("SH", orders.number[sh], 12),
            "order_id": oid(sh),
            "from_location_id": A.pick(sites.location_id, ful.warehouse[sh]),
            "carrier": A.pick([c[0] for c in CARRIERS], ful.carrier[sh]),
            "tracking_no": A.join(
                A.pick([c[1] for c in CARRIERS], ful.carrier[sh]), A.fixed_ids("", r.integers(10**11, 10**12, ns), 12)
            ),
            "shipped_at": _ts(world, ful.shipped_t[sh]),
            "delivered_at": _ts(world, ful.delivered_t[sh]),
            "status": A.pick(("shipped", "delivered", "returned", "lost"), ship_status),
        },
    )
    # --- events ------------------------------------------------------------------------------
    ev = events
    ne = len(ev.t)
    devices = _device_strings(persons.device)
    e_src = ev.source.astype(np.int64)
    # properties: the experiment of an exposure page view, the promotion of a coupon event
    promo_json = [json.dumps({"promotion_id": p}) for p in promo_ids]
    exposed = np.flatnonzero(ev.exposure >= 0)
    exposure_json = []
    for i in exposed:
        unit = ev.exposure[i]
        spec = world.plan.experiments[int(exposures.experiment[unit])]
        exposure_json.append(
            json.dumps({"experiment": spec.key, "variant": "treatment" if exposures.treated[unit] else "control"})
        )
    prop_index = np.where(ev.coupon >= 0, ev.coupon, -1)
    prop_index[exposed] = len(promo_json) + np.arange(len(exposed))
    visits = block * 10**7 + np.arange(int(ev.visit.max()) + 1 if ne else 0)
    has_sku = ev.sku >= 0
    tables["events"] = canonical_table(
        "events",
        {
            "source": A.pick(SOURCES, e_src),
            "customer_id": cid(ev.person, e_src),
            "event_id": A.fixed_ids("EV", ev.number, 13),
            "event_type": A.pick(EVENT_STEPS, ev.step),
            "event_time": _ts(world, ev.t),
            "received_at": _ts(world, ev.received),
            "session_id": A.pick(A.fixed_ids("SS", visits, 12), ev.visit),
            "device_id": A.pick(devices, ev.person),
            "channel_id": A.pick(CHANNEL_IDS, e_src),
            "sku": A.pick(catalog.sku, np.maximum(ev.sku, 0), ~has_sku),
            "category": A.pick(catalog.l3, np.maximum(ev.sku, 0), ~has_sku),
            "order_id": oid(np.maximum(ev.order, 0), ev.order < 0),
            "search_query": pa.array(ev.query, pa.string(), mask=ev.query == ""),
            "page": A.pick(PAGES, ev.step),
            "properties": A.pick([*promo_json, *exposure_json], np.maximum(prop_index, 0), prop_index < 0),
        },
    )
    # --- experiment exposures -------------------------------------------------------------------
    logged = np.flatnonzero(exposures.logged)
    x_src = exposures.source.astype(np.int64)
    keys = [e.key for e in world.plan.experiments]
    unit_ids = cid(exposures.person, x_src)
    variant = np.where(exposures.treated, 1, 0)
    tables["experiment_exposures"] = canonical_table(
        "experiment_exposures",
        {
            "source": A.pick(SOURCES, x_src[logged]),
            "customer_id": unit_ids.take(pa.array(logged)),
            "experiment_key": A.pick(keys, exposures.experiment[logged]),
            "unit_id": unit_ids.take(pa.array(logged)),
            "variant": A.pick(("control", "treatment"), variant[logged]),
            "exposed_at": _ts(world, exposures.t[logged]),
            "channel_id": A.pick(CHANNEL_IDS, x_src[logged]),
        },
    )
    truth["experiment_units"] = pa.table(
        {
            "experiment_key": A.pick(keys, exposures.experiment),
            "source": A.pick(SOURCES, x_src),
            "customer_id": unit_ids,
            "person_id": pa.array(persons.pid[exposures.person]),
            "variant": A.pick(("control", "treatment"), variant),
            "logged": pa.array(exposures.logged),
            "exposed_at": _ts(world, exposures.t),
            "p_base": pa.array(exposures.p_base),
            "converted": pa.array(exposures.converted),
        }
    )
    # --- accounts, consents, tiers, touches ----------------------------------------------------
    tables["customers"] = canonical_table("customers", accounts.customers)
    tables["identities"] = canonical_table("identities", accounts.identities)
    c_src = consents.source.astype(np.int64)
    tables["consents"] = canonical_table(
        "consents",
        {
            "source": A.pick(SOURCES, c_src),
            "customer_id": cid(consents.person, c_src),
            "channel": A.pick(CONSENT_CHANNELS, consents.channel),
            "purpose": A.pick(PURPOSES, consents.purpose),
            "status": A.pick(("withdrawn", "granted"), consents.granted.astype(np.int64)),
            "changed_at": _ts(world, consents.t),
            "evidence": A.pick(EVIDENCE, consents.evidence),
        },
    )
    t_src = tiers.source.astype(np.int64)
    tables["member_tiers"] = canonical_table(
        "member_tiers",
        {
            "source": A.pick(SOURCES, t_src),
            "customer_id": cid(tiers.person, t_src),
            "tier": A.pick(TIERS, tiers.tier),
            "valid_from": _ts(world, tiers.valid_from),
            "valid_to": _ts(world, tiers.valid_to),
            "reason": A.pick(REASONS, tiers.reason),
        },
    )
    tables["content_touches"] = _touches(world, block, sessions, orders, events, cid, r)
    # --- text: reviews, service conversations, NPS ---------------------------------------------
    lang = np.where(persons.english, "en", "zh")
    utc0 = world.cal.utc0_us
    ro = feedback.review_order
    r_src = o_src[ro]
    r_cid = cid(orders.person[ro], r_src).to_pylist()
    r_source = [SOURCES[s] for s in r_src]
    purchases_frame = pd.DataFrame(
        {
            "source": r_source,
            "customer_id": r_cid,
            "member_id": mid(orders.person[ro], r_src),
            "order_id": oid(ro).to_pylist(),
            "sku": [catalog.sku[k] for k in lines.sku[feedback.review_line]],
            "category_l1": [CATEGORY_L1[k] for k in catalog.l1[lines.sku[feedback.review_line]]],
            "category_l3": [catalog.l3[k] for k in lines.sku[feedback.review_line]],
            "ordered_at": frame_time(utc0, orders.t[ro]),
            "language": lang[orders.person[ro]],
            "mood": feedback.review_mood,
            "issue": [ISSUES[i] or None for i in feedback.review_issue],
        }
    )
    rows, facts = text.reviews(rng("text.reviews"), purchases_frame, start_id=block * 10**6)
    tables["reviews"] = to_canonical("reviews", rows)
    truth["text_reviews"] = to_truth(facts)
    written = purchases_frame["order_id"].isin(set(tables["reviews"].column("order_id").to_pylist())).to_numpy()
    truth["review_facts"] = pa.table(
        {
            "source": [r_source[i] for i in np.flatnonzero(written)],
            "order_id": purchases_frame["order_id"][written].tolist(),
            "mood": feedback.review_mood[written],
            "issue": [ISSUES[i] or None for i in feedback.review_issue[written]],
        }
    )
    c_person, c_source = feedback.cs_person, feedback.cs_source.astype(np.int64)
    c_cid = cid(c_person, c_source).to_pylist()
    c_names = [SOURCES[s] for s in c_source]
    conv_no = block * 10**6 + np.arange(len(c_person))
    conversations = pd.DataFrame(
        {
            "source": c_names,
            "customer_id": c_cid,
            "member_id": mid(c_person, c_source),
            "conversation_id": A.fixed_ids("CV", conv_no, 12).to_pylist(),
            "channel_id": [CHANNEL_IDS[s] for s in c_source],
            "started_at": frame_time(utc0, feedback.cs_t),
            "language": lang[c_person],
            "emotion": [EMOTIONS[e] for e in feedback.cs_emotion],
            "topic": [ISSUES[i] if i else "service" for i in feedback.cs_topic],
            "order_id": order_id.take(
                pa.array(np.maximum(feedback.cs_order, 0), mask=feedback.cs_order < 0)
            ).to_pylist(),
        }
    )
    rows, facts = text.cs_messages(rng("text.cs"), conversations, start_id=block * 10**7)
    tables["cs_messages"] = to_canonical("cs_messages", rows)
    truth["text_cs"] = to_truth(facts)
    truth["cs_facts"] = pa.table(
        {
            "conversation_id": conversations["conversation_id"].tolist(),
            "source": c_names,
            "customer_id": c_cid,
            "cause": A.pick(("order_problem", "pre_sale", "churn_precursor", "service_incident"), feedback.cs_cause),
            "emotion": conversations["emotion"].tolist(),
            "topic": conversations["topic"].tolist(),
        }
    )
    n_person, n_source = feedback.nps_person, feedback.nps_source.astype(np.int64)
    n_cid = cid(n_person, n_source).to_pylist()
    n_names = [SOURCES[s] for s in n_source]
    respondents = pd.DataFrame(
        {
            "source": n_names,
            "customer_id": n_cid,
            "member_id": mid(n_person, n_source),
            "responded_at": frame_time(utc0, feedback.nps_t),
            "channel_id": [CHANNEL_IDS[s] for s in n_source],
            "language": lang[n_person],
            "satisfaction": feedback.nps_satisfaction,
            "touchpoint": [TOUCHPOINTS[k] for k in feedback.nps_touchpoint],
        }
    )
    rows, facts = text.nps(rng("text.nps"), respondents, start_id=block * 10**6)
    tables["nps_responses"] = to_canonical("nps_responses", rows)
    truth["text_nps"] = to_truth(facts)
    # --- truth ---------------------------------------------------------------------------------
    truth["identity_clusters"] = pa.table(accounts.clusters)
    truth["identity_noise"] = pa.table({k: pa.array(v, pa.string()) for k, v in accounts.noise.items()})
    counts = np.bincount(orders.person[~orders.cancelled], minlength=n)
    churner = np.isfinite(life.churn_onset)
    moves = world.plan.competitor_moves
    truth["customers"] = pa.table(
        {
            "person_id": pa.array(persons.pid),
            "cluster": A.pick([c.code for c in CLUSTERS], persons.cluster),
            "lambda_per_day": pa.array(persons.lam),
            "p_dropout": pa.array(persons.p),
            "first_purchase_at": _ts(world, persons.birth),
            "acquired_by": A.pick(CHANNEL_IDS, np.maximum(persons.acquired_by, 0), persons.acquired_by < 0),
            "home_source": A.pick(SOURCES, persons.home),
            "city": A.pick([c.name for c in CITIES], persons.city),
            "mood": pa.array(persons.mood),
            "dropout_at": _ts(world, life.dropout),
            "alive_at_end": pa.array(~np.isfinite(life.dropout)),
            "churner": pa.array(churner),
            "paid_orders": pa.array(counts.astype(np.int64)),
            "language": pa.array(lang),
        }
    )
    ch = np.flatnonzero(churner)
    truth["churn"] = pa.table(
        {
            "person_id": pa.array(persons.pid[ch]),
            "onset_at": _ts(world, life.churn_onset[ch]),
            "window_days": pa.array(np.full(len(ch), world.params["churn.window"])),
            "competitor_move": pa.array(
                [moves[int(m)].text if m >= 0 else None for m in life.churn_context[ch]], pa.string()
            ),
            "cart_clear": pa.array(life.cart_clear[ch]),
            "angry_cs": pa.array(life.angry_cs[ch]),
        }
    )
    issue_rows = np.flatnonzero(ful.issue > 0)
    truth["order_issues"] = pa.table(
        {
            "source": A.pick(SOURCES, o_src[issue_rows]),
            "order_id": oid(issue_rows),
            "issue": A.pick(ISSUES, ful.issue[issue_rows]),
        }
    )
    mm = money.mismatch_order
    truth["reconciliation"] = pa.table(
        {
            "source": A.pick(SOURCES, o_src[mm]),
            "order_id": oid(mm),
            "kind": A.pick(MISMATCHES, money.mismatch_kind),
            "expected_amount": A.money(money.mismatch_expected),
            "found_amount": A.money(money.mismatch_found),
        }
    )
    return BlockResult(block, tables, truth, *_sales(world, orders, lines, ful), *_by_day(world, persons, orders))


def _touches(
    world: World,
    block: int,
    sessions: Sessions,
    orders: Orders,
    events: Events,
    cid: Callable[[np.ndarray, np.ndarray], pa.Array],
    r: np.random.Generator,
) -> pa.Table:
    content = world.content
    buy = np.unique(events.order[events.step == PURCHASE])
    buy = buy[buy >= 0]
    source = np.concatenate([sessions.source, orders.source[buy]]).astype(np.int64)
    start = np.concatenate([sessions.t, orders.t[buy] - 0.005])
    person = np.concatenate([sessions.person, orders.person[buy]])
    is_buy = np.concatenate([np.zeros(len(sessions.t), bool), np.ones(len(buy), bool)])
    piece, found = content_touch_candidates(content, source, start, r)
    quality = content.quality[np.maximum(piece, 0)]
    started = found & (r.random(len(start)) < np.where(is_buy, 0.1 * (0.5 + quality) * 2, 0.12))
    v = np.flatnonzero(started)
    q = quality[v]
    actions = [np.zeros(len(v), np.int64)]
    rows = [v]
    offsets = [np.full(len(v), -30.0)]
    for code, p in ((1, 0.15 + 0.5 * q), (2, 0.1 + 0.3 * q), (3, np.full(len(v), 0.02)), (4, np.full(len(v), 0.03))):
        hit = r.random(len(v)) < p
        rows.append(v[hit])
        actions.append(np.full(int(hit.sum()), code))
        offsets.append(np.full(int(hit.sum()), -10.0 + code))
    bought = v[is_buy[v]]
    rows.append(bought)
    actions.append(np.full(len(bought), 5))
    offsets.append(np.full(len(bought), 0.005 * 86_400))
    row = np.concatenate(rows)
    action = np.concatenate(actions)
    when = start[row] + np.concatenate(offsets) / 86_400
    order = np.lexsort((action, row))
    row, action, when = row[order], action[order], when[order]
    nt = len(row)
    return canonical_table(
        "content_touches",
        {
            "source": A.pick(SOURCES, source[row]),
            "customer_id": cid(person[row], source[row]),
            "touch_id": A.fixed_ids("TC", block * 10**7 + np.arange(nt), 12),
            "content_id": A.pick(content.content_id, piece[row]),
            "action": A.pick(TOUCH_ACTIONS, action),
            "touched_at": _ts(world, np.maximum(when, 0.0)),
        },
    )


def _sales(world: World, orders: Orders, lines: Lines, ful: Fulfilment) -> tuple[np.ndarray, np.ndarray]:
    """Units leaving each stock site per ISO-like week: shipments from warehouses, pick-ups in stores."""
    stock = world.stock_index
    shipped = ful.shipped[lines.order]
    picked = orders.pickup[lines.order] & ~orders.cancelled[lines.order]
    site = np.where(shipped, ful.warehouse[lines.order], np.where(picked, orders.store[lines.order], -1))
    when = np.where(shipped, ful.shipped_t[lines.order], np.nan_to_num(orders.paid_t[lines.order]))
    ok = (site >= 0) & np.isfinite(when)
    site_stock = stock[np.maximum(site, 0)]
    ok &= site_stock >= 0
    week = np.floor(when / 7.0).astype(np.int64)
    key = (lines.sku[ok].astype(np.int64) * world.stock_sites + site_stock[ok]) * world.weeks + week[ok]
    keys, inverse = np.unique(key, return_inverse=True)
    units = np.bincount(inverse, weights=lines.quantity[ok]).astype(np.int64)
    return keys, units


def _by_day(world: World, persons: Persons, orders: Orders) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = world.days
    paid = ~orders.cancelled
    day = np.floor(orders.t[paid]).astype(np.int64)
    flat = orders.source[paid].astype(np.int64) * days + day
    count = np.bincount(flat, minlength=5 * days).reshape(5, days)
    revenue = np.bincount(flat, weights=orders.paid[paid], minlength=5 * days).reshape(5, days)
    acq = persons.acquired_by >= 0
    birth = np.floor(persons.birth[acq]).astype(np.int64)
    acquired = np.bincount(persons.acquired_by[acq] * days + birth, minlength=4 * days).reshape(4, days)
    return count, revenue.astype(np.int64), acquired
