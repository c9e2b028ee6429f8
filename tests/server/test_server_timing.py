"""Every answer says how long the server worked on it (``Server-Timing: app;dur=<ms>``), the same
milliseconds as its access-log line, so benchmarks can tell server time from client time."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from server_support import Server

TIMING = re.compile(r"^app;dur=(\d+(?:\.\d)?)$")


def _dur(header: str | None) -> float:
    assert header is not None, "no Server-Timing header"
    found = TIMING.match(header)
    assert found, header
    return float(found.group(1))


def _logged_ms(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, float]]:
    return [
        (entry["route"], entry["status"], entry["ms"])
        for entry in (json.loads(r.getMessage()) for r in caplog.records if r.name == "zhongtai.server.access")
    ]


def test_a_metric_query_carries_its_server_time_equal_to_the_access_log(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    client = server.client("ana")
    params = {"metric": ["gmv", "orders"], "by": "channel", "grain": "month"}
    with caplog.at_level(logging.INFO, logger="zhongtai.server.access"):
        began = time.perf_counter()
        response = client.get("/api/v1/metrics/query", params=params)
        wall_ms = (time.perf_counter() - began) * 1000
    assert response.status_code == 200
    dur = _dur(response.headers.get("server-timing"))
    assert _logged_ms(caplog) == [("/api/v1/metrics/query", 200, dur)]
    assert 0 < dur <= wall_ms  # the server's part of the call cannot exceed the whole call


def test_refusals_and_pages_carry_it_too(server: Server, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="zhongtai.server.access"):
        refused = server.client().get("/api/v1/metrics/query", params={"metric": "gmv"})
        bad_lang = server.client("ana").get("/api/v1/metrics", params={"lang": "xx"})
        page = server.client().get("/login")
    assert refused.status_code == 401
    assert bad_lang.status_code == 422  # i18n.unknown_language, answered by the middleware itself
    assert page.status_code == 200
    durations = [_dur(r.headers.get("server-timing")) for r in (refused, bad_lang, page)]
    assert [ms for _, _, ms in _logged_ms(caplog)] == durations
