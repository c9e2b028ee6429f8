"""Planted effects can be recovered from the data with simple, textbook checks."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest

from zhongtai.demo.config import DemoConfig
from zhongtai.demo.experiments import run_experiments
from zhongtai.demo.people import draw_persons
from zhongtai.demo.purchases import draw_purchases
from zhongtai.demo.segments import MINIPROGRAM
from zhongtai.demo.sessions import draw_sessions
from zhongtai.demo.streams import rng_for
from zhongtai.demo.world import World, build_world


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def experiment_world() -> World:
    return build_world(DemoConfig(customers=240_000, seed=7))


def _observed(world: World, blocks: int) -> dict[int, dict[str, np.ndarray]]:
    """Per experiment: for each logged unit its arm, and whether it ordered on the mini-program
    within 14 days of exposure (read from the generated purchases, not from the truth)."""
    out: dict[int, dict[str, list[np.ndarray]]] = {}
    for block in range(blocks):
        n = world.config.block_size(block)

        def rng(name: str, block: int = block) -> np.random.Generator:
            return rng_for(world.config.seed, "block", block, name)

        persons = draw_persons(world, block, n, rng("persons"))
        purchases, life = draw_purchases(world, persons, rng("purchases"))
        sessions = draw_sessions(world, persons, life, rng("sessions"))
        purchases, exp = run_experiments(world, persons, life, sessions, purchases, rng("experiments"))
        mp = purchases.source == MINIPROGRAM
        key = purchases.person[mp].astype(np.float64) * 1e4 + purchases.t[mp]
        order = np.argsort(key)
        key = key[order]
        lo = np.searchsorted(key, exp.person * 1e4 + exp.t, side="right")
        hi = np.searchsorted(key, exp.person * 1e4 + exp.t + 14.0, side="right")
        for k in np.unique(exp.experiment):
            rows = exp.experiment == k
            part = out.setdefault(int(k), {"treated": [], "converted": [], "logged": [], "p": []})
            part["treated"].append(exp.treated[rows])
            part["converted"].append((hi > lo)[rows])
            part["logged"].append(exp.logged[rows])
            part["p"].append(exp.p_base[rows])
    return {k: {f: np.concatenate(v) for f, v in d.items()} for k, d in out.items()}


def test_experiment_lifts_are_recovered_by_a_two_proportion_test(experiment_world: World) -> None:
    observed = _observed(experiment_world, 24)
    for k, spec in enumerate(experiment_world.plan.experiments):
        data = observed[k]
        logged = data["logged"]
        t, c = data["treated"] & logged, ~data["treated"] & logged
        p_t, p_c = data["converted"][t].mean(), data["converted"][c].mean()
        se = math.sqrt(p_t * (1 - p_t) / t.sum() + p_c * (1 - p_c) / c.sum())
        true_abs = spec.lift * data["p"][logged].mean()
        low, high = p_t - p_c - 1.96 * se, p_t - p_c + 1.96 * se
        assert low <= true_abs <= high, (spec.key, low, true_abs, high)
        if spec.lift == 0:
            assert low <= 0 <= high
        else:
            assert low > 0, spec.key  # a real effect is detected at this size
        # sample-ratio mismatch: chi-square against the designed 50/50 split
        n_t, n_c = int(t.sum()), int(c.sum())
        expected = (n_t + n_c) / 2
        chi2 = ((n_t - expected) ** 2 + (n_c - expected) ** 2) / expected
        if spec.srm_drop > 0:
            assert chi2 > 10.83, (spec.key, n_t, n_c)  # p < 0.001
        else:
            assert chi2 < 10.83, (spec.key, n_t, n_c)


def test_logged_exposures_and_orders_agree_with_the_truth(demo_db: duckdb.DuckDBPyConnection) -> None:
    disagree = scalar(
        demo_db,
        """
        WITH units AS (
            SELECT x.experiment_key, x.customer_id, x.exposed_at, u.converted FROM experiment_exposures x
            JOIN _truth.experiment_units u USING (experiment_key, customer_id))
        SELECT COUNT(*) FROM units WHERE converted <> EXISTS (
            SELECT 1 FROM orders o WHERE o.source = 'miniprogram' AND o.customer_id = units.customer_id
            AND o.order_time > units.exposed_at AND o.order_time <= units.exposed_at + INTERVAL 14 DAY)""",
    )
    assert disagree == 0
    lost = scalar(
        demo_db,
        """SELECT COUNT(*) FROM _truth.experiment_units u WHERE NOT logged AND EXISTS (
                              SELECT 1 FROM experiment_exposures x WHERE x.experiment_key = u.experiment_key
                              AND x.customer_id = u.customer_id)""",
    )
    assert lost == 0


def test_exposed_units_are_customers_who_bought_before(demo_db: duckdb.DuckDBPyConnection) -> None:
    strangers = scalar(
        demo_db,
        """
        SELECT COUNT(*) FROM experiment_exposures x
        JOIN _truth.identity_clusters c USING (source, customer_id)
        WHERE NOT EXISTS (SELECT 1 FROM orders o JOIN _truth.identity_clusters oc USING (source, customer_id)
                          WHERE oc.person_id = c.person_id AND o.order_time < x.exposed_at)""",
    )
    assert strangers == 0
    assert scalar(demo_db, "SELECT COUNT(*) FROM experiment_exposures") > 0


def test_churners_search_less_before_onset_than_other_customers(demo_db: duckdb.DuckDBPyConnection) -> None:
    window = int(scalar(demo_db, "SELECT value FROM _truth.parameters WHERE name = 'churn.window'"))
    ratios = demo_db.execute(f"""
        WITH searches AS (
            SELECT c.person_id, e.event_time FROM events e JOIN _truth.identity_clusters c USING (source, customer_id)
            WHERE e.event_type = 'search'),
        onsets AS (SELECT person_id, onset_at, TRUE AS churner FROM _truth.churn),
        others AS (  -- people active to the end get the churners' onset dates, round robin
            SELECT p.person_id, o.onset_at, FALSE AS churner
            FROM (SELECT person_id, ROW_NUMBER() OVER (ORDER BY person_id) AS k FROM _truth.customers
                  WHERE alive_at_end AND NOT churner) p
            JOIN (SELECT onset_at, ROW_NUMBER() OVER (ORDER BY onset_at) - 1 AS k FROM onsets) o
              ON p.k % (SELECT COUNT(*) FROM onsets) = o.k),
        people AS (SELECT * FROM onsets UNION ALL SELECT * FROM others)
        SELECT p.churner,
               COUNT(*) FILTER (WHERE s.event_time >= p.onset_at - INTERVAL {window} DAY
                                  AND s.event_time < p.onset_at) AS late,
               COUNT(*) FILTER (WHERE s.event_time >= p.onset_at - INTERVAL {3 * window} DAY
                                  AND s.event_time < p.onset_at - INTERVAL {2 * window} DAY) AS early
        FROM people p JOIN searches s USING (person_id) GROUP BY ALL""").fetchall()
    by = {churner: late / max(early, 1) for churner, late, early in ratios}
    assert by[True] < 0.75 * by[False], by


def test_the_delayed_channel_arrives_about_a_day_late(demo_db: duckdb.DuckDBPyConnection) -> None:
    lag = demo_db.execute("""
        WITH a AS (SELECT source, starts_on, ends_before, size FROM _truth.anomalies WHERE kind = 'delayed_load')
        SELECT MEDIAN(EPOCH(e.received_at - e.event_time)) FILTER (WHERE CAST(e.event_time + INTERVAL 8 HOUR AS DATE)
                      >= a.starts_on AND CAST(e.event_time + INTERVAL 8 HOUR AS DATE) < a.ends_before) / 3600,
               MEDIAN(EPOCH(e.received_at - e.event_time)) FILTER (WHERE CAST(e.event_time + INTERVAL 8 HOUR AS DATE)
                      < a.starts_on) / 3600, ANY_VALUE(a.size)
        FROM events e JOIN a USING (source)""").fetchone()
    assert lag is not None
    late, normal, planted = lag
    assert abs(late - planted) < 2
    assert 20 <= late <= 32
    assert normal < 0.1


def test_an_incident_post_is_reposted_past_100_within_hours(demo_db: duckdb.DuckDBPyConnection) -> None:
    crossings = demo_db.execute("""
        WITH roots AS (
            SELECT t.incident_id, p.post_id, i.onset_at FROM _truth.text_posts t JOIN posts p USING (post_id)
            JOIN _truth.incidents i USING (incident_id) WHERE p.parent_post_id IS NULL),
        fast AS (
            SELECT r.incident_id, r.post_id, COUNT(c.post_id) AS reposts FROM roots r
            JOIN posts c ON c.parent_post_id = r.post_id AND c.created_at <= r.onset_at + INTERVAL 12 HOUR
            GROUP BY ALL)
        SELECT incident_id, MAX(reposts) FROM fast GROUP BY ALL""").fetchall()
    incidents = scalar(demo_db, "SELECT COUNT(*) FROM _truth.incidents")
    assert len(crossings) == incidents
    assert all(n > 100 for _, n in crossings)


def test_the_demand_shock_raises_the_skus_share_of_sales(demo_db: duckdb.DuckDBPyConnection) -> None:
    share = demo_db.execute("""
        WITH s AS (SELECT sku, starts_on, ends_before, size FROM _truth.anomalies WHERE kind = 'demand_shock'),
        units AS (SELECT CAST(o.order_time + INTERVAL 8 HOUR AS DATE) AS day, i.sku, i.quantity
                  FROM order_items i JOIN orders o USING (source, order_id) WHERE NOT i.is_gift)
        SELECT SUM(quantity) FILTER (WHERE u.sku = s.sku AND day >= s.starts_on AND day < s.ends_before)
                 / SUM(quantity) FILTER (WHERE day >= s.starts_on AND day < s.ends_before),
               SUM(quantity) FILTER (WHERE u.sku = s.sku AND day >= s.starts_on - 56 AND day < s.starts_on)
                 / SUM(quantity) FILTER (WHERE day >= s.starts_on - 56 AND day < s.starts_on)
        FROM units u, s""").fetchone()
    assert share is not None
    during, before = share
    assert during > 1.5 * before


def test_segments_buy_what_their_cluster_prefers(demo_db: duckdb.DuckDBPyConnection) -> None:
    shares = dict(
        demo_db.execute("""
        SELECT t.cluster, SUM(i.quantity) FILTER (WHERE p.category_l1 = '服饰') / SUM(i.quantity)
        FROM order_items i JOIN orders o USING (source, order_id) JOIN products p USING (sku)
        JOIN _truth.identity_clusters c ON c.source = o.source AND c.customer_id = o.customer_id
        JOIN _truth.customers t ON t.person_id = c.person_id
        WHERE NOT i.is_gift GROUP BY ALL""").fetchall()
    )
    assert shares["fashion_shopper"] > 0.5 > shares["skincare_loyalist"]


def test_true_purchase_rates_show_in_repeat_buying(demo_db: duckdb.DuckDBPyConnection) -> None:
    pairs = np.array(
        demo_db.execute("""
        SELECT lambda_per_day, paid_orders - 1 FROM _truth.customers
        WHERE alive_at_end AND first_purchase_at < (SELECT MIN(first_purchase_at) + INTERVAL 240 DAY
                                                     FROM _truth.customers)""").fetchall(),
        dtype=np.float64,
    )
    ranks = np.argsort(np.argsort(pairs, axis=0), axis=0)
    rho = np.corrcoef(ranks[:, 0], ranks[:, 1])[0, 1]
    assert rho > 0.5


def test_reviews_of_problem_orders_are_more_negative(demo_db: duckdb.DuckDBPyConnection) -> None:
    rating = dict(
        demo_db.execute("""
        SELECT f.issue IS NOT NULL, AVG(r.rating) FROM reviews r JOIN _truth.review_facts f USING (source, order_id)
        GROUP BY ALL""").fetchall()
    )
    assert rating[True] < rating[False] - 0.5
