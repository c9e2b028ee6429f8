"""The metric result cache: LRU bounds, repeats answered without running SQL, a new load or a
server write never serves a stale answer, and no cache outside the server."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from zhongtai.metrics import MetricQuery, query_metrics
from zhongtai.metrics.cache import ResultCache
from zhongtai.warehouse._sql import fragment
from zhongtai.workspace import open_workspace


def test_lru_keeps_the_most_recent_entries_and_counts_hits() -> None:
    cache = ResultCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)  # evicts b
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert (cache.hits, cache.misses, len(cache)) == (3, 1, 2)
    cache.clear()
    assert (len(cache), cache.hits, cache.misses) == (0, 0, 0)
    with pytest.raises(ValueError, match="at least 1"):
        ResultCache(size=0)


@pytest.fixture
def shop(demo_shop: Path, tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(demo_shop, target)
    return target


def test_repeats_come_from_the_cache_and_a_new_load_changes_the_answer(shop: Path) -> None:
    query = MetricQuery(("gmv", "buyers"), ("channel",), start=date(2025, 11, 1), end=date(2025, 12, 1))
    with open_workspace(shop) as ws:
        assert ws.metric_cache is None  # the CLI and the library never cache
        plain = query_metrics(ws, query)
        ws.metric_cache = ResultCache()
        first = query_metrics(ws, query)
        again = query_metrics(ws, query)
        assert again is first  # no second run
        assert ws.metric_cache.hits == 1
        assert first.table.equals(plain.table)
        # A committed load (a row in the load ledger) changes the key: the answer is recomputed.
        ws.warehouse.execute(
            fragment(
                "INSERT INTO zt_meta.loads (load_id, status, source, file_name, table_counts, started_at, finished_at) "
                "SELECT MAX(load_id) + 1, 'committed', 'test', 'x.csv', '{\"orders\": 0}', now(), now() "
                "FROM zt_meta.loads"
            )
        )
        after = query_metrics(ws, query)
        assert after is not first
        assert after.table.equals(first.table)


def test_a_board_is_cached_whole_and_per_data_scope(shop: Path) -> None:
    from zhongtai.metrics.board_eval import evaluate_board
    from zhongtai.metrics.dashboards import load_template
    from zhongtai.policy import DataScope, Principal, Role

    board = load_template("overview")
    since, until = date(2025, 11, 1), date(2025, 12, 1)
    everyone = Principal(user_id=1, name="ana", role=Role.ANALYST)
    tmall = Principal(user_id=2, name="tia", role=Role.ANALYST, scope=DataScope.of(channels=["tmall"]))
    with open_workspace(shop) as ws:
        ws.metric_cache = ResultCache()
        first = evaluate_board(ws, board, since=since, until=until, principal=everyone)
        assert evaluate_board(ws, board, since=since, until=until, principal=everyone) is first
        scoped = evaluate_board(ws, board, since=since, until=until, principal=tmall)
        assert scoped is not first
        gmv = [t.kpi.value for t in (first.tiles[0], scoped.tiles[0]) if t.kpi is not None]
        assert gmv[1] < gmv[0]  # the scoped caller never gets the unscoped answer
