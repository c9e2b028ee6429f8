"""The demo shop's tables agree with each other (and with the truth where truth is planted)."""

from __future__ import annotations

import duckdb
import pytest

from zhongtai.warehouse.model import TABLES


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def test_every_canonical_column_is_filled(demo_db: duckdb.DuckDBPyConnection) -> None:
    empty = []
    for table in TABLES.values():
        counts = demo_db.execute(
            "SELECT " + ", ".join(f'COUNT("{c.name}")' for c in table.columns) + f' FROM "{table.name}"'
        ).fetchone()
        assert counts is not None
        empty += [f"{table.name}.{c.name}" for c, n in zip(table.columns, counts, strict=True) if n == 0]
    assert empty == []


def test_every_order_line_belongs_to_an_order_and_every_order_has_lines(demo_db: duckdb.DuckDBPyConnection) -> None:
    orphans = scalar(demo_db, "SELECT COUNT(*) FROM order_items i ANTI JOIN orders o USING (source, order_id)")
    empty = scalar(demo_db, "SELECT COUNT(*) FROM orders o ANTI JOIN order_items i USING (source, order_id)")
    assert (orphans, empty) == (0, 0)
    assert scalar(demo_db, "SELECT COUNT(*) FROM order_items") > scalar(demo_db, "SELECT COUNT(*) FROM orders")


def test_line_amounts_add_up_to_order_totals(demo_db: duckdb.DuckDBPyConnection) -> None:
    bad = rows(
        demo_db,
        """
        WITH l AS (SELECT source, order_id, SUM(amount) AS amount, SUM(quantity * unit_price) AS gross,
                          SUM(discount_amount) AS discount, SUM(quantity) AS units
                   FROM order_items GROUP BY ALL)
        SELECT o.order_id FROM orders o JOIN l USING (source, order_id)
        WHERE l.amount <> o.goods_amount - o.discount_amount OR l.gross <> o.goods_amount
           OR l.discount <> o.discount_amount OR l.units <> o.item_count
           OR o.total_amount <> o.goods_amount - o.discount_amount + o.shipping_fee
           OR o.paid_amount <> CASE WHEN o.status = 'cancelled' THEN 0 ELSE o.total_amount END
           OR l.amount < 0""",
    )
    assert bad == []


def test_payments_match_orders_except_the_planted_mismatches(demo_db: duckdb.DuckDBPyConnection) -> None:
    found = set(
        rows(
            demo_db,
            """
        SELECT o.source, o.order_id FROM orders o
        LEFT JOIN (SELECT source, order_id, SUM(amount) AS paid FROM payments
                   WHERE status IN ('succeeded', 'refunded') GROUP BY ALL) p USING (source, order_id)
        WHERE COALESCE(p.paid, 0) <> o.paid_amount""",
        )
    )
    planted = set(
        rows(
            demo_db,
            """SELECT source, order_id FROM _truth.reconciliation
                                   WHERE kind IN ('payment_short', 'duplicate_payment')""",
        )
    )
    assert found == planted
    assert planted


def test_invoices_match_payments_except_the_planted_mismatches(demo_db: duckdb.DuckDBPyConnection) -> None:
    found = set(
        rows(
            demo_db,
            """
        SELECT i.source, i.order_id FROM invoices i JOIN orders o USING (source, order_id)
        WHERE i.amount <> o.paid_amount""",
        )
    )
    planted = set(
        rows(
            demo_db,
            """SELECT source, order_id FROM _truth.reconciliation
                                   WHERE kind IN ('invoice_amount', 'invoice_without_payment')""",
        )
    )
    assert found == planted
    assert planted
    vat = scalar(demo_db, "SELECT MAX(ABS(tax_amount - ROUND(amount * 13 / 113, 2))) FROM invoices")
    assert vat == 0


def test_refunds_never_exceed_what_was_paid(demo_db: duckdb.DuckDBPyConnection) -> None:
    over_order = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM (SELECT source, order_id, SUM(amount) AS refunded FROM refunds
                              WHERE status <> 'rejected' GROUP BY ALL) r
        JOIN orders o USING (source, order_id) WHERE r.refunded > o.paid_amount""",
    )
    over_line = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM refunds r JOIN order_items i ON r.source = i.source AND r.order_id = i.order_id
                                                       AND r.sku = i.sku
        WHERE r.amount > i.amount""",
    )
    unpaid = scalar(
        demo_db,
        """SELECT COUNT(*) FROM refunds r JOIN orders o USING (source, order_id)
                                WHERE o.status = 'cancelled'""",
    )
    assert (over_order, over_line, unpaid) == (0, 0, 0)
    assert scalar(demo_db, "SELECT COUNT(*) FROM refunds WHERE status = 'completed'") > 0


def test_purchase_events_match_orders(demo_db: duckdb.DuckDBPyConnection) -> None:
    strays = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM events e WHERE event_type = 'purchase'
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.source = e.source AND o.order_id = e.order_id
                        AND o.customer_id = e.customer_id AND o.order_time = e.event_time)""",
    )
    twice = scalar(
        demo_db,
        """SELECT COUNT(*) FROM (SELECT source, order_id FROM events
                               WHERE event_type = 'purchase' GROUP BY ALL HAVING COUNT(*) > 1)""",
    )
    # every order on an account that allowed analytics at that moment has its purchase event
    missing = scalar(
        demo_db,
        """
        WITH consent AS (
            SELECT source, customer_id, MIN(changed_at) FILTER (WHERE status = 'granted') AS granted,
                   MIN(changed_at) FILTER (WHERE status = 'withdrawn') AS withdrawn
            FROM consents WHERE purpose = 'analytics' GROUP BY ALL)
        SELECT COUNT(*) FROM orders o JOIN consent c USING (source, customer_id)
        WHERE o.order_time >= c.granted AND (c.withdrawn IS NULL OR o.order_time < c.withdrawn)
          AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_type = 'purchase' AND e.source = o.source
                          AND e.order_id = o.order_id)""",
    )
    assert (strays, twice, missing) == (0, 0, 0)
    funnel = dict(rows(demo_db, "SELECT event_type, COUNT(*) FROM events GROUP BY ALL"))
    assert funnel["page_view"] > funnel["add_to_cart"] > funnel["checkout"] >= funnel["purchase"] > 0


def test_no_events_while_analytics_is_not_allowed(demo_db: duckdb.DuckDBPyConnection) -> None:
    outside = scalar(
        demo_db,
        """
        WITH consent AS (
            SELECT source, customer_id, MIN(changed_at) FILTER (WHERE status = 'granted') AS granted,
                   MIN(changed_at) FILTER (WHERE status = 'withdrawn') AS withdrawn
            FROM consents WHERE purpose = 'analytics' GROUP BY ALL)
        SELECT COUNT(*) FROM events e LEFT JOIN consent c USING (source, customer_id)
        WHERE e.event_type <> 'purchase' AND e.event_type <> 'checkout'
          AND (c.granted IS NULL OR e.event_time < c.granted - INTERVAL 1 HOUR
               OR e.event_time >= c.withdrawn + INTERVAL 1 HOUR)""",
    )
    assert outside == 0


def test_inventory_is_never_negative(demo_db: duckdb.DuckDBPyConnection) -> None:
    low = rows(
        demo_db,
        """SELECT MIN(on_hand), MIN(in_transit), MIN(on_hand - reserved), COUNT(*)
                           FROM inventory_snapshots""",
    )[0]
    assert min(low[:3]) >= 0
    assert low[3] > 0
    unknown = scalar(
        demo_db, """SELECT COUNT(*) FROM inventory_snapshots s ANTI JOIN locations l USING (location_id)"""
    )
    lockers = scalar(
        demo_db,
        """SELECT COUNT(*) FROM inventory_snapshots s JOIN locations l USING (location_id)
                                 WHERE l.kind = 'locker'""",
    )
    assert (unknown, lockers) == (0, 0)


def test_shipments_follow_payment_and_only_for_delivered_orders(demo_db: duckdb.DuckDBPyConnection) -> None:
    bad = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM shipments s JOIN orders o USING (source, order_id)
        WHERE s.shipped_at < o.paid_at OR s.delivered_at < s.shipped_at OR o.source = 'pos'
           OR o.status = 'cancelled'""",
    )
    assert bad == 0


def test_accounts_register_before_they_buy(demo_db: duckdb.DuckDBPyConnection) -> None:
    early = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM orders o JOIN customers c USING (source, customer_id)
        WHERE o.order_time < c.registered_at""",
    )
    assert early == 0


@pytest.mark.parametrize(
    "table",
    [
        "orders",
        "events",
        "refunds",
        "reviews",
        "cs_messages",
        "nps_responses",
        "consents",
        "member_tiers",
        "experiment_exposures",
        "content_touches",
        "identities",
    ],
)
def test_person_rows_point_at_known_customers(demo_db: duckdb.DuckDBPyConnection, table: str) -> None:
    unknown = scalar(demo_db, f"SELECT COUNT(*) FROM {table} t ANTI JOIN customers c USING (source, customer_id)")
    assert unknown == 0
    mismatched = scalar(
        demo_db,
        f"""SELECT COUNT(*) FROM {table} t JOIN customers c USING (source, customer_id)
                                     WHERE t.member_id <> c.member_id""",
    )
    assert mismatched == 0


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("SELECT COUNT(*) FROM order_items i ANTI JOIN products p USING (sku)", "order lines"),
        ("SELECT COUNT(*) FROM events e WHERE sku IS NOT NULL AND sku NOT IN (SELECT sku FROM products)", "events"),
        ("SELECT COUNT(*) FROM orders WHERE store_id NOT IN (SELECT location_id FROM locations)", "stores"),
        ("SELECT COUNT(*) FROM orders WHERE promotion_id NOT IN (SELECT promotion_id FROM promotions)", "promotions"),
        (
            "SELECT COUNT(*) FROM shipments WHERE from_location_id NOT IN "
            "(SELECT location_id FROM locations WHERE kind = 'warehouse')",
            "warehouses",
        ),
        ("SELECT COUNT(*) FROM content_touches t ANTI JOIN content c USING (content_id)", "content"),
        ("SELECT COUNT(*) FROM reviews r ANTI JOIN orders o USING (source, order_id)", "reviewed orders"),
        (
            "SELECT COUNT(*) FROM cs_messages m WHERE order_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM orders o WHERE o.source = m.source AND o.order_id = m.order_id)",
            "service orders",
        ),
        (
            "SELECT COUNT(*) FROM (SELECT channel_id FROM orders UNION SELECT channel_id FROM content UNION "
            "SELECT channel_id FROM marketing_spend) x ANTI JOIN channels USING (channel_id)",
            "channels",
        ),
    ],
)
def test_references_resolve(demo_db: duckdb.DuckDBPyConnection, sql: str, what: str) -> None:
    assert scalar(demo_db, sql) == 0, what


def test_member_tier_periods_chain_without_gaps(demo_db: duckdb.DuckDBPyConnection) -> None:
    broken = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM (
            SELECT valid_to, LEAD(valid_from) OVER (PARTITION BY source, customer_id ORDER BY valid_from) AS nxt
            FROM member_tiers) WHERE valid_to IS DISTINCT FROM nxt""",
    )
    assert broken == 0
    assert scalar(demo_db, "SELECT COUNT(DISTINCT tier) FROM member_tiers") >= 3


def test_only_the_planted_duplicate_events_are_quarantined(demo_db: duckdb.DuckDBPyConnection) -> None:
    by_file = dict(rows(demo_db, "SELECT file_name, rows_quarantined FROM zt_meta.loads WHERE status = 'committed'"))
    planted = scalar(demo_db, "SELECT size FROM _truth.anomalies WHERE kind = 'duplicate_events'")
    assert {f: n for f, n in by_file.items() if n} == ({"events.parquet": int(planted)} if planted else {})


def test_identities_overlap_as_planted(demo_db: duckdb.DuckDBPyConnection) -> None:
    # clean phones of one person agree across accounts after normalisation
    disagree = scalar(
        demo_db,
        """
        WITH p AS (
            SELECT c.person_id, i.source, i.customer_id, i.id_value FROM identities i
            JOIN _truth.identity_clusters c USING (source, customer_id)
            WHERE i.id_type = 'phone' AND NOT EXISTS (
                SELECT 1 FROM _truth.identity_noise n WHERE n.source = i.source AND n.customer_id = i.customer_id
                AND n.field = 'phone' AND n.kind <> 'format_variant'))
        SELECT COUNT(*) FROM p a JOIN p b ON a.person_id = b.person_id AND a.source < b.source
        WHERE a.id_value <> b.id_value""",
    )
    assert disagree == 0
    kinds = dict(rows(demo_db, "SELECT kind, COUNT(*) FROM _truth.identity_noise GROUP BY ALL"))
    assert {"format_variant", "typo", "placeholder", "front_desk_phone", "shared_family_device"} <= set(kinds)
    variants_normalise = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM _truth.identity_noise n JOIN identities i USING (source, customer_id)
        WHERE n.kind = 'format_variant' AND n.field = 'phone' AND i.id_type = 'phone' AND i.id_value <> n.clean""",
    )
    assert variants_normalise == 0
    shared = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM (SELECT i.id_value FROM identities i JOIN _truth.identity_clusters c
                              USING (source, customer_id)
                              WHERE i.id_type = 'phone' GROUP BY ALL HAVING COUNT(DISTINCT c.person_id) > 1)""",
    )
    assert shared > 0  # placeholders and front-desk phones join strangers: a resolver must not merge them
    written = dict(
        rows(
            demo_db,
            """SELECT CASE WHEN phone LIKE '+86%' THEN 'plus86' WHEN phone LIKE '%-%'
                                    THEN 'dash' WHEN regexp_matches(phone, '[０-９]') THEN 'fullwidth'
                                    ELSE 'plain' END, COUNT(*) FROM customers WHERE phone IS NOT NULL GROUP BY ALL""",
        )
    )
    assert {"plus86", "dash", "fullwidth", "plain"} <= set(written)
    multi = scalar(
        demo_db,
        """SELECT COUNT(*) FROM (SELECT person_id FROM _truth.identity_clusters GROUP BY ALL
                               HAVING COUNT(*) > 1)""",
    )
    assert multi > 0
    name_address = scalar(
        demo_db,
        """SELECT COUNT(*) FROM customers WHERE source = 'pos' AND phone IS NULL
                                      AND member_card IS NULL AND name IS NOT NULL AND address IS NOT NULL""",
    )
    assert name_address > 0


def test_accounts_of_multi_account_people_carry_a_phone(demo_db: duckdb.DuckDBPyConnection) -> None:
    """A person with >= 2 accounts has a phone on each with probability ``LINKED_PHONE`` (0.985), name-
    and-address-only store sign-ups excepted; single-account people keep the per-source ``PRESENT`` rate.

    Expected shares come from the generator's rule (independent Bernoulli draws per account), so the
    observed share lies within 4 binomial standard errors sqrt(p(1 - p)/n) of them.
    """
    from zhongtai.demo.accounts import LINKED_PHONE, PRESENT
    from zhongtai.demo.segments import SOURCES

    by_group = rows(
        demo_db,
        """
        WITH a AS (
            SELECT c.source, c.phone IS NOT NULL AS has_phone,
                   COUNT(*) OVER (PARTITION BY t.person_id) > 1 AS multi,
                   EXISTS (SELECT 1 FROM identities i WHERE i.source = c.source AND i.customer_id = c.customer_id
                           AND i.id_type = 'name_address') AS name_only
            FROM customers c JOIN _truth.identity_clusters t USING (source, customer_id))
        SELECT multi, CASE WHEN multi THEN '*' ELSE source END, COUNT(*), AVG(has_phone::INT)
        FROM a WHERE NOT name_only GROUP BY ALL""",
    )
    checked = 0
    for multi, source, n, share in by_group:
        p = LINKED_PHONE if multi else PRESENT["phone"][SOURCES.index(str(source))]
        if int(n) < 100:  # too few store-only people at 5,000 for a useful bound
            continue
        assert abs(float(share) - p) <= 4 * (p * (1 - p) / int(n)) ** 0.5, (multi, source, n, share)
        checked += 1
    assert checked >= 4
