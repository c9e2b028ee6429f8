"""``/api/v1/overview``, ``/api/v1/dashboards`` and ``/api/v1/boards/templates`` over a copy of the demo
shop: values equal hand-written DuckDB SQL, and two users for every ownership and sharing rule
(ana = analyst, opa = operator, vic = viewer, admin = the owner)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb
import pytest
from server_support import Server, problem

GMV_SQL = """
    SELECT SUM(paid_amount) FILTER (WHERE paid_at IS NOT NULL), COUNT(*) FILTER (WHERE paid_at IS NOT NULL)
    FROM orders WHERE order_time >= CAST(? AS TIMESTAMP) AND order_time < CAST(? AS TIMESTAMP)
"""
# local days 2025-12-01 .. 2025-12-07 in Asia/Shanghai (UTC+8) and the 7 days before
WEEK, PREVIOUS = ("2025-11-30 16:00:00", "2025-12-07 16:00:00"), ("2025-11-23 16:00:00", "2025-11-30 16:00:00")

TILES = [
    {"title": {"zh": "成交额", "en": "GMV"}, "visual": "kpi", "query": {"metrics": ["gmv"]},
     "position": {"x": 0, "y": 0, "w": 3, "h": 2}},
    {"title": "分渠道订单", "visual": "bar", "query": {"metrics": ["orders"], "dimensions": ["channel"]},
     "position": {"x": 3, "y": 0, "w": 9, "h": 4}},
]  # fmt: skip


def new_dashboard(server: Server, user: str, name: str = "我的看板") -> dict[str, Any]:
    body = {"name": name, "layout": TILES, "filters": {"period": "7d", "filters": []}}
    response = server.client(user).post("/api/v1/dashboards", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def test_the_overview_kpis_equal_hand_written_sql(server: Server, demo_db: duckdb.DuckDBPyConnection) -> None:
    response = server.client("opa").get("/api/v1/overview", params={"period": "7d", "as_of": "2025-12-07"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["since"], body["until"], body["query_count"]) == ("2025-12-01", "2025-12-08", 4)
    gmv, orders = demo_db.execute(GMV_SQL, list(WEEK)).fetchone() or (None, None)
    prev_gmv, prev_orders = demo_db.execute(GMV_SQL, list(PREVIOUS)).fetchone() or (None, None)
    kpis = {t["kpi"]["metric"]: t for t in body["tiles"]}
    assert list(kpis) == ["gmv", "orders", "aov", "conversion_rate", "uv_value", "repurchase_rate", "nps", "cac"]
    assert Decimal(kpis["gmv"]["kpi"]["value"]) == gmv
    assert Decimal(kpis["gmv"]["kpi"]["previous"]) == prev_gmv
    assert kpis["orders"]["kpi"]["value"] == orders
    assert kpis["orders"]["kpi"]["change"] == pytest.approx(orders / prev_orders - 1, rel=1e-12)
    assert len(kpis["gmv"]["kpi"]["sparkline"]["points"]) == 7
    assert kpis["gmv"]["title"] == {"zh": "成交总额(GMV)", "en": "GMV"}  # the dictionary's label
    assert kpis["gmv"]["source"] in ("rollup", "raw")
    assert kpis["gmv"]["sql"]


def test_unknown_period_or_filter_is_a_4xx_problem(server: Server) -> None:
    client = server.client("ana")
    problem(client.get("/api/v1/overview", params={"period": "fortnight"}), 422, "server.invalid_request")
    body = problem(client.get("/api/v1/overview", params={"where": "chanel=tmall"}), 422, "boards.invalid")
    assert body["errors"][0]["params"]["at"] == "where[0].dimension"  # type: ignore[index]
    assert body["errors"][0]["params"]["suggestion"] == "channel"  # type: ignore[index]


def test_owner_edits_a_stranger_gets_404_a_viewer_may_not_create(server: Server) -> None:
    made = new_dashboard(server, "ana")
    assert (made["owner"], made["version"], made["access"], made["tiles"]) == ("ana", 1, "owner", 2)
    path = f"/api/v1/dashboards/{made['id']}"
    problem(server.client("opa").get(path), 404, "appdb.not_found.dashboard")
    problem(server.client("opa").put(path, json={"version": 1, "name": "x"}), 404, "appdb.not_found.dashboard")
    assert made["id"] not in [d["id"] for d in server.client("opa").get("/api/v1/dashboards").json()["items"]]
    denied = problem(server.client("vic").post("/api/v1/dashboards", json={"name": "v"}), 403, "policy.denied")
    assert denied["params"]["permission"] == "metrics:export"  # type: ignore[index]
    edited = server.client("ana").put(path, json={"version": 1, "name": "改名了"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["version"]) == ("改名了", 2)


def test_sharing_view_edit_everyone_stale_version_and_admin_delete(server: Server) -> None:
    made = new_dashboard(server, "ana", "共享看板")
    path = f"/api/v1/dashboards/{made['id']}"
    ana, opa, vic, admin = (server.client(u) for u in ("ana", "opa", "vic", "admin"))

    shared = ana.post(path + "/share", json={"users": [{"username": "opa", "access": "view"}]})
    assert shared.status_code == 200, shared.text
    assert shared.json()["shares"] == [{"username": "opa", "access": "view"}]
    assert opa.get(path).json()["access"] == "view"
    problem(opa.put(path, json={"version": 1, "name": "x"}), 403, "dashboards.read_only")
    problem(opa.post(path + "/share", json={"everyone": True}), 403, "dashboards.owner_only")
    problem(opa.delete(path), 403, "dashboards.owner_only")

    ana.post(path + "/share", json={"users": [{"username": "opa", "access": "edit"}]})
    moved = opa.put(path, json={"version": 1, "layout": TILES[:1]})
    assert (moved.status_code, moved.json()["version"], moved.json()["tiles"]) == (200, 2, 1)
    stale = problem(ana.put(path, json={"version": 1, "name": "覆盖?"}), 409, "dashboards.stale_version")
    assert stale["params"] == {"id": made["id"], "version": 1, "current": 2}

    problem(vic.get(path), 404, "appdb.not_found.dashboard")
    ana.post(path + "/share", json={"everyone": True})
    assert vic.get(path).json()["access"] == "view"
    data = vic.get(path + "/data", params={"since": "2025-12-01", "until": "2025-12-08"})
    assert data.status_code == 200, data.text
    problem(vic.delete(path), 403, "dashboards.owner_only")

    assert admin.delete(path).json() == {"deleted": made["id"], "name": "共享看板"}
    problem(ana.get(path), 404, "appdb.not_found.dashboard")


def test_a_bad_tile_is_refused_naming_the_tile_in_both_languages(server: Server) -> None:
    layout = [TILES[0], {**TILES[1], "query": {"metrics": ["ordres"], "dimensions": ["channel"]}}]
    for lang, words in (("en", "unknown metric “ordres”"), ("zh_CN", "未知指标“ordres”")):
        response = server.client("ana").post(
            "/api/v1/dashboards", params={"lang": lang}, json={"name": "坏看板", "layout": layout}
        )
        body = problem(response, 422, "boards.invalid")
        errors: Any = body["errors"]
        assert errors[0]["code"] == "boards.unknown_metric"
        assert errors[0]["params"]["at"] == "layout[1].query.metrics[0]"
        assert errors[0]["params"]["suggestion"] == "orders"
        assert errors[0]["message"].startswith("layout[1].query.metrics[0]")
        assert words in errors[0]["message"]


def test_a_built_in_board_is_copied_edited_and_evaluated(server: Server, demo_db: duckdb.DuckDBPyConnection) -> None:
    client = server.client("opa")
    templates = client.get("/api/v1/boards/templates").json()
    assert [t["name"] for t in templates["items"]] == ["overview", "war_room"]
    assert len(templates["items"][1]["tiles"]) == 28
    problem(client.post("/api/v1/dashboards/from-template/nope"), 404, "boards.unknown_template")
    copied = client.post("/api/v1/dashboards/from-template/war_room", json={"name": "双11 作战室"})
    assert copied.status_code == 201, copied.text
    made = copied.json()
    assert (made["name"], made["template"], len(made["layout"]), made["owner"]) == (
        "双11 作战室",
        "war_room",
        28,
        "opa",
    )
    path = f"/api/v1/dashboards/{made['id']}"
    data = client.get(path + "/data", params={"since": "2025-12-01", "until": "2025-12-08"})
    assert data.status_code == 200, data.text
    body = data.json()
    assert (len(body["tiles"]), body["query_count"]) == (28, 14)
    gmv, _ = demo_db.execute(GMV_SQL, list(WEEK)).fetchone() or (None, None)
    assert Decimal(body["tiles"][0]["kpi"]["value"]) == gmv
    tmall = client.get(path + "/data", params={"since": "2025-12-01", "until": "2025-12-08", "where": "channel=tmall"})
    by_channel = next(t for t in tmall.json()["tiles"] if t["title"]["en"] == "GMV by channel")
    assert [r["channel"] for r in by_channel["rows"]] == ["tmall"]
    stock = next(t for t in tmall.json()["tiles"] if t["kpi"] and t["kpi"]["metric"] == "stockout_rate")
    assert stock["filters_ignored"] == [{"dimension": "channel", "op": "eq", "values": ["tmall"]}]
    edited = client.put(path, json={"version": 1, "layout": made["layout"][:8], "filters": {"period": "30d"}})
    assert (edited.status_code, edited.json()["tiles"], edited.json()["filters"]["period"]) == (200, 8, "30d")


def test_the_list_is_paginated(server: Server) -> None:
    for n in range(3):
        new_dashboard(server, "opa", f"翻页 {n}")
    first = server.client("opa").get("/api/v1/dashboards", params={"owned": True, "limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["next_offset"] == 2
    rest = server.client("opa").get("/api/v1/dashboards", params={"owned": True, "limit": 2, "offset": 2}).json()
    names = [d["name"] for d in first["items"] + rest["items"]]
    assert {"翻页 0", "翻页 1", "翻页 2"} <= set(names)
    assert len(names) == len(set(names))


def test_the_server_caches_metric_results_and_forgets_them_after_a_write(server: Server) -> None:
    """Repeated overview requests are answered from the result cache; a write through the server
    (a quality run holds the write lock) clears it, so no answer outlives the data it came from."""
    cache = server.app.state.zhongtai.workspace.metric_cache
    client = server.client("ana")
    first = client.get("/api/v1/overview?period=30d")
    assert first.status_code == 200
    assert len(cache) > 0
    hits = cache.hits
    again = client.get("/api/v1/overview?period=30d")
    assert again.json()["tiles"] == first.json()["tiles"]
    assert cache.hits == hits + 2  # the evaluated board (no planning or compiling) and its JSON
    ran = client.post("/api/v1/quality/runs")
    assert ran.status_code == 201, ran.text
    assert len(cache) == 0
