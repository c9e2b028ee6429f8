"""Dashboards in the console: build, save, share, view as another user; two users for every rule."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from pages_support import sign_in
from server_support import Server


def _hx(client: TestClient) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": client.csrf}  # type: ignore[attr-defined]


def _new(client: TestClient, name: str) -> int:
    answer = client.post("/dashboards", data={"name": name}, headers=_hx(client))
    found = re.fullmatch(r"/dashboards/(\d+)/edit", answer.headers.get("HX-Redirect", ""))
    assert found, answer.text
    return int(found.group(1))


def test_build_a_dashboard_tile_by_tile_then_share_it(server: Server) -> None:
    ana, opa = sign_in(server, "ana"), sign_in(server, "opa")
    board = _new(ana, "Double 11 watch")
    added = ana.post(
        f"/dashboards/{board}/tiles",
        data={"version": 1, "visual": "line", "metric": ["gmv"], "dimension": "channel", "grain": "day", "width": 8},
        headers=_hx(ana),
    )
    assert "version 2" in added.text
    ana.post(f"/dashboards/{board}/tiles", data={"version": 2, "visual": "kpi", "metric": ["orders"], "width": 4},
             headers=_hx(ana))  # fmt: skip
    moved = ana.post(f"/dashboards/{board}/tiles/1/move", data={"version": 3, "step": -1}, headers=_hx(ana))
    assert "version 4" in moved.text
    view = ana.get(f"/dashboards/{board}")
    assert view.status_code == 200
    assert view.text.index('id="tile-0"') < view.text.index('id="tile-1"')
    assert 'class="tile span-4" id="tile-0"' in view.text  # the kpi moved first
    assert "tile-1-chart" in view.text

    assert opa.get(f"/dashboards/{board}").status_code == 404  # not shared yet
    ana.post(f"/dashboards/{board}/share", data={"users": "opa view"}, headers=_hx(ana))
    assert opa.get(f"/dashboards/{board}").status_code == 200
    refused = opa.post(
        f"/dashboards/{board}/tiles", data={"version": 4, "visual": "kpi", "metric": ["gmv"]}, headers=_hx(opa)
    )
    assert "dashboards.read_only" in refused.text
    assert "Edit tiles" not in opa.get(f"/dashboards/{board}?lang=en").text
    gone = opa.post(f"/dashboards/{board}/delete", headers=_hx(opa))
    assert "dashboards.owner_only" in gone.text

    ana.post(f"/dashboards/{board}/share", data={"users": "opa edit"}, headers=_hx(ana))
    edited = opa.post(f"/dashboards/{board}/tiles/0/remove", data={"version": 4}, headers=_hx(opa))
    assert "version 5" in edited.text


def test_two_editors_at_once_get_a_stale_version_message_not_lost_work(server: Server) -> None:
    ana = sign_in(server, "ana")
    board = _new(ana, "Concurrent")
    ana.post(f"/dashboards/{board}/tiles", data={"version": 1, "visual": "kpi", "metric": ["gmv"]}, headers=_hx(ana))
    stale = ana.post(
        f"/dashboards/{board}/tiles", data={"version": 1, "visual": "kpi", "metric": ["aov"]}, headers=_hx(ana)
    )
    assert stale.headers["HX-Retarget"] == "#flash"
    assert "dashboards.stale_version" in stale.text


def test_viewer_reads_shared_boards_but_cannot_build_one(server: Server) -> None:
    vic, ana = sign_in(server, "vic"), sign_in(server, "ana")
    listing = vic.get("/dashboards?lang=en")
    assert "Copy to my dashboards" not in listing.text
    refused = vic.post("/dashboards", data={"name": "mine"}, headers=_hx(vic))
    assert "metrics:export" in refused.text
    board = _new(ana, "For all")
    ana.post(f"/dashboards/{board}/share", data={"everyone": "true"}, headers=_hx(ana))
    assert vic.get(f"/dashboards/{board}").status_code == 200


def test_the_28_indicator_war_room_is_buildable_from_the_template(server: Server) -> None:
    opa = sign_in(server, "opa", lang="zh_CN")
    copied = opa.post("/dashboards/from-template/war_room", headers=_hx(opa))
    url = copied.headers["HX-Redirect"]
    page = opa.get(url + "?period=7d")
    assert page.status_code == 200
    assert len(re.findall(r'class="tile span-\d+" id="tile-\d+"', page.text)) == 28
    assert "server.internal" not in page.text


def test_bad_tile_is_refused_with_the_tile_named(server: Server) -> None:
    ana = sign_in(server, "ana")
    board = _new(ana, "Bad tile")
    answer = ana.post(
        f"/dashboards/{board}/tiles",
        data={"version": 1, "visual": "pie", "metric": ["gmv"], "grain": "day"},
        headers=_hx(ana),
    )
    assert "boards.invalid" in answer.text
    assert "layout[0]" in answer.text
