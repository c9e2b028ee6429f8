"""``benchmarks/console_serve.py`` still runs, and its helpers compute what they claim.

The helpers (percentiles, the ``Server-Timing`` parser, the paced wrk script) are checked on
hand-made numbers; the whole benchmark then runs once, small, against a real ``zhongtai serve``
process on a copy of the cached demo shop, and a paced ``wrk`` against a real local HTTP server.
Nothing here asserts a time: the numbers live in docs/benchmarks.md.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import console_serve  # noqa: E402
import run_all  # noqa: E402
from _serving import parse_server_timing, parse_wrk_output, percentile, percentiles, wrk_script  # noqa: E402

needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")


def test_percentile_is_hyndman_fan_definition_7_by_hand() -> None:
    # x = 15, 20, 35, 40, 50 (n = 5). Definition 7: h = (n - 1) p / 100.
    # p40: h = 1.6 -> 20 + 0.6 * (35 - 20) = 29.0;  p95: h = 3.8 -> 40 + 0.8 * (50 - 40) = 48.0
    values = [40.0, 15.0, 50.0, 35.0, 20.0]  # unsorted on purpose
    assert percentile(values, 40) == pytest.approx(29.0)
    assert percentile(values, 50) == 35.0
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile(values, 0) == 15.0
    assert percentile(values, 100) == 50.0
    assert percentile([7.0], 99) == 7.0


def test_percentile_agrees_with_numpy_linear_method() -> None:
    # numpy's default method "linear" is the same definition 7 (numpy.percentile docs, "method").
    sample = np.random.default_rng(8).lognormal(3.0, 0.7, size=257).tolist()
    for p in (1, 50, 90, 95, 99, 99.9):
        assert percentile(sample, p) == pytest.approx(float(np.percentile(sample, p)), rel=1e-12)
    summary = percentiles(sample)
    assert summary.n == 257
    assert summary.max == max(sample)
    assert summary.p50 <= summary.p95 <= summary.p99 <= summary.max


def test_percentile_refuses_no_values_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="within"):
        percentile([1.0], 101)


def test_server_timing_header_gives_each_metric_duration() -> None:
    header = 'app;dur=12.5, db;desc="query";dur=3, cache;desc=hit, total;dur="7.25"'
    assert parse_server_timing(header) == {"app": 12.5, "db": 3.0, "total": 7.25}
    assert parse_server_timing("app;dur=0.0") == {"app": 0.0}
    with pytest.raises(ValueError):
        parse_server_timing("app;dur=fast")


def test_wrk_script_spaces_requests_by_threads_over_rate() -> None:
    one = wrk_script(rate=200, threads=1, authorization="Bearer zt_abc.def")
    assert "local interval = 5.0\n" in one  # 1000 ms * 1 thread / 200 per s
    assert 'wrk.headers["Authorization"] = "Bearer zt_abc.def"' in one
    assert "local interval = 20.0\n" in wrk_script(rate=100, threads=2, authorization="x")
    with pytest.raises(ValueError):
        wrk_script(rate=200, threads=1, authorization='Bearer "; os.exit()')
    with pytest.raises(ValueError):
        wrk_script(rate=0, threads=1, authorization="x")


def test_wrk_result_line_is_read_in_milliseconds() -> None:
    out = (
        "Running 30s test @ http://127.0.0.1:8000/api/v1/overview\n"
        'ZT_WRK {"requests": 6000, "duration_us": 30000000, "bytes": 1, "connect": 0, "read": 0, "write": 0, '
        '"status": 3, "timeout": 1, "p50_us": 12500, "p90_us": 20000, "p99_us": 41000, "max_us": 90000, '
        '"mean_us": 13100.5}\n'
    )
    result = parse_wrk_output(out)
    assert result.requests == 6000
    assert result.rate == 200.0
    assert result.error_count == 4
    assert (result.p50_ms, result.p90_ms, result.p99_ms, result.max_ms) == (12.5, 20.0, 41.0, 90.0)
    with pytest.raises(ValueError, match="ZT_WRK"):
        parse_wrk_output("wrk: connection refused")


def test_answers_compare_to_the_cent_with_missing_gmv_as_zero() -> None:
    rows = [("2025-02-01", "jd", None, 0), ("2025-01-01", "tmall", "10.5", 3)]
    assert console_serve.answer_rows(rows) == [("2025-01-01", "tmall", "10.50", 3), ("2025-02-01", "jd", "0.00", 0)]


class _Page:
    def __init__(self, text: str) -> None:
        self.text = text


@pytest.mark.parametrize(
    ("html", "source"),
    [
        ("<p>Answered from <strong>rollups</strong> at 10:00</p>", "rollup"),  # the explorer
        ("<p>Answered from <strong>raw tables</strong></p>", "raw"),
        ('<p class="muted">\n  Answered from rollups and raw tables\n</p>', "rollup + raw"),
        ("<p>Answered from rollups and raw tables · 4 queries · data as of Nov 26</p>", "rollup + raw"),  # overview
        ("<p>no provenance line</p>", ""),
    ],
)
def test_pages_say_where_their_numbers_came_from(html: str, source: str) -> None:
    page = next(c for c in console_serve.CASES if c.name == "explore_rollup")
    assert console_serve._source_of(page, _Page(html)) == source


def test_the_runner_discovers_the_benchmark() -> None:
    assert "console_serve" in run_all.discover()


class _Ok(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def plain_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@needs_wrk
def test_paced_wrk_never_offers_more_than_its_schedule(plain_server: str, tmp_path: Path) -> None:
    # Unpaced, wrk sends thousands of requests per second to this trivial server; paced at 20/s
    # for 2 s it can send at most 20 * 2 requests plus one per connection in flight at the end.
    script = tmp_path / "paced.lua"
    script.write_text(wrk_script(rate=20, threads=1, authorization="Bearer t"), encoding="utf-8")
    done = subprocess.run(
        ["wrk", "-t1", "-c4", "-d2s", "-s", str(script), plain_server], capture_output=True, text=True, check=True
    )
    result = parse_wrk_output(done.stdout)
    assert 1 <= result.requests <= 20 * 2 + 4
    assert result.error_count == 0


@needs_wrk
def test_the_benchmark_runs_against_a_real_server(demo_shop: Path, tmp_path: Path) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(demo_shop, shop)
    report = console_serve.run(
        shop, customers=5_000, requests=4, raw_requests=3, rate=5, seconds=2, connections=2, floor_runs=3,
        floor_raw_runs=2, overview_budget=5.0,
    )  # fmt: skip
    measured = {m.case.name: m for m in report.measured}
    expected_source = {"api_rollup_cold": "rollup", "api_rollup": "rollup", "api_raw": "raw",
                       "explore_rollup_cold": "rollup", "explore_rollup": "rollup", "explore_raw": "raw"}  # fmt: skip
    for name, source in expected_source.items():
        m = measured[name]
        assert m.source == source, name
        assert m.server is not None
        assert m.client is not None
        assert m.server.n == (3 if name.endswith("raw") else 4)
        assert 0 < m.server.p50 <= m.server.max
    for name in ("overview_api_cold", "overview_api"):
        assert measured[name].server is not None  # at least one timed request within the budget
        assert "rollup" in measured[name].source  # the board says where each of its queries was answered
    assert report.rows > 0
    assert report.orders > 0
    assert len(report.floors) == 4
    assert [lt.path.split("?")[0] for lt in report.loads] == ["/api/v1/metrics/query", "/api/v1/overview"]
    for lt in report.loads:
        assert lt.result.error_count == 0
        assert lt.logged_errors == 0
        assert lt.logged >= 1
    text = console_serve.render(report)
    assert "`GET /api/v1/metrics/query` (rollups)" + console_serve.NEW + " | rollup | 4 |" in text
    assert "hand-written DuckDB SQL on the rollup table" in text
