"""Console and API serving speed on a 1M-customer demo shop (issue 8, "Performance").

    python benchmarks/console_serve.py [--workspace PATH] [--customers 1000000] [--requests 200]
                                       [--rate 200] [--seconds 30] [--write]

Builds the demo shop into ``--workspace`` with ``zhongtai demo generate --customers N --seed 42``
unless a finished workspace is already there (about 6 minutes for a million people on a quiet
machine), then:

1. **The floor**, in this process before the server starts: the same metric question (GMV and
   orders by channel by month over the whole shop) as hand-written DuckDB SQL on the raw tables and
   on the rollup table, and zhongtai's ``query_metrics`` called as a library (rollups and raw).
2. **``zhongtai serve``** as a separate process on a free loopback port; the benchmark signs in
   (session cookie, for pages) and uses an API token (for the API) of an analyst account it creates.
3. **Sequential requests** (one at a time, keep-alive, gzip), ``--requests`` of each after a
   warm-up: ``GET /api/v1/metrics/query`` from rollups and with ``rollups=false``, the explorer page
   ``GET /explore?…`` both ways, the overview API ``GET /api/v1/overview`` and the overview page
   ``GET /`` when they exist. Server time comes from the ``Server-Timing: app;dur=`` header the
   server adds (see ``zhongtai.server.security``); client time is the wall time around the call.
   The overview cases stop after ``--overview-budget`` seconds of timed requests (default 120):
   when each answer takes seconds, 200 of them do not fit in a run; their ``n`` says how many ran.
4. **A load test** from a second process: ``wrk`` (Debian package ``wrk``) paced by a Lua script at
   a fixed ``--rate`` for ``--seconds`` against the overview API (the metric query API when there is
   no overview), counting socket errors and non-2xx answers, with the server's access log
   cross-checked and the server's CPU time measured.

Every table row carries the 1-minute load average when it was measured: the machine is shared.
Targets (issue 8): overview and explorer p95 server time ≤ 300 ms from rollups, API metric query
p95 ≤ 200 ms from rollups, 200 requests/s on the overview API with no errors on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import WORK_DIR, load_average, machine, machine_line, markdown_table, update_section
from _serving import LoadResult, Percentiles, parse_server_timing, parse_wrk_output, percentiles, wrk_script

SECTION = "console_serve"
TZ = "Asia/Shanghai"
DEFAULT_WORKSPACE = WORK_DIR / "console" / "demo-1m"
BENCH_USER = "bench_console"
BENCH_PASSWORD = "长城长江黄河泰山华山基准"  # a throwaway analyst account in a benchmark workspace
QUESTION = [("metric", "gmv"), ("metric", "orders"), ("by", "channel"), ("grain", "month")]
"""GMV and paid orders by channel by month, over the whole shop: answerable from ``orders_daily``."""

HAND_RAW_SQL = """
SELECT CAST(date_trunc('month', (CAST(o.order_time AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')
            AS DATE) AS period,
       ch.platform AS channel,
       SUM(o.paid_amount) FILTER (WHERE o.paid_at IS NOT NULL) AS gmv,
       COUNT(*) FILTER (WHERE o.paid_at IS NOT NULL) AS orders
FROM orders o
LEFT JOIN channels ch ON ch.channel_id = o.channel_id
GROUP BY ALL
ORDER BY period, channel
"""
"""What an analyst would type into DuckDB for the question (the floor: no auth, no JSON, no HTTP)."""

HAND_ROLLUP_SQL = """
SELECT CAST(date_trunc('month', period) AS DATE) AS period, channel,
       SUM(gmv_amount) AS gmv, SUM(orders_paid) AS orders
FROM zt_metrics.rollup_orders_daily
GROUP BY ALL
ORDER BY period, channel
"""
"""The same over the daily rollup table the metric layer keeps (local-date days)."""


@dataclass(frozen=True, slots=True)
class Case:
    """One kind of request: what to GET, as whom, and what its answer must say."""

    name: str
    label: str
    path: str
    params: tuple[tuple[str, str], ...]
    kind: str  # "api" (token) or "page" (session cookie)
    expect_source: str | None  # "rollup" or "raw" when the answer must say so
    target_ms: float | None  # the p95 server-time target for this row (None: reported only)
    vary: str | None = None
    """A date parameter changed on every timed request (``since`` one day later, ``as_of`` one day
    earlier each time), so each asks a new question: the server's metric result cache (keyed by
    the SQL) cannot answer it and the query really runs. ``None``: the same request repeated."""

    def params_for(self, i: int) -> list[tuple[str, str]]:
        """The query parameters of timed request ``i`` (0-based)."""
        if self.vary is None:
            return list(self.params)
        if self.vary == "since":
            return [*self.params, ("since", (FIRST_DAY + timedelta(days=1 + i)).isoformat())]
        return [*self.params, (self.vary, (LAST_DAY - timedelta(days=1 + i)).isoformat())]


FIRST_DAY = date(2024, 1, 1)
"""The demo shop's first day (``since`` of the new-question cases counts on from it)."""
LAST_DAY = date(2025, 12, 31)
"""The demo shop's last day (``as_of`` of the new-question overview cases counts back from it)."""
NEW = " — new question each time (cache miss)"
SAME = " — same question repeated (cache hit once warm)"

CASES = (
    Case("api_rollup_cold", "`GET /api/v1/metrics/query` (rollups)" + NEW, "/api/v1/metrics/query",
         tuple(QUESTION), "api", "rollup", 200.0, "since"),
    Case("api_rollup", "`GET /api/v1/metrics/query` (rollups)" + SAME, "/api/v1/metrics/query", tuple(QUESTION),
         "api", "rollup", 200.0),
    Case("api_raw", "`GET /api/v1/metrics/query?rollups=false` (raw tables)" + NEW, "/api/v1/metrics/query",
         (*QUESTION, ("rollups", "false")), "api", "raw", None, "since"),
    Case("explore_rollup_cold", "`GET /explore?…` page (rollups)" + NEW, "/explore", (*QUESTION, ("lang", "en")),
         "page", "rollup", 300.0, "since"),
    Case("explore_rollup", "`GET /explore?…` page (rollups)" + SAME, "/explore", (*QUESTION, ("lang", "en")),
         "page", "rollup", 300.0),
    Case("explore_raw", "`GET /explore?…&rollups=false` page (raw tables)" + NEW, "/explore",
         (*QUESTION, ("rollups", "false"), ("lang", "en")), "page", "raw", None, "since"),
    Case("overview_api_cold", "`GET /api/v1/overview?as_of=…` (7d)" + NEW, "/api/v1/overview", (), "api", None,
         300.0, "as_of"),
    Case("overview_api", "`GET /api/v1/overview` (7d)" + SAME, "/api/v1/overview", (), "api", None, 300.0),
    Case("overview_page_cold", "`GET /?as_of=…` overview page" + NEW, "/", (("lang", "en"),), "page", None, 300.0,
         "as_of"),
    Case("overview_page", "`GET /` overview page" + SAME, "/", (("lang", "en"),), "page", None, 300.0),
)  # fmt: skip


@dataclass(slots=True)
class Measured:
    """Sequential requests of one case: server and client milliseconds, what answered them."""

    case: Case
    server: Percentiles | None = None
    client: Percentiles | None = None
    source: str = ""
    load: float = 0.0
    missing: str = ""  # why the case was not measured (the route does not exist yet)


@dataclass(slots=True)
class Floor:
    label: str
    times: Percentiles
    load: float


@dataclass(slots=True)
class LoadTest:
    path: str
    rate_asked: float
    seconds: int
    connections: int
    result: LoadResult
    logged: int
    logged_errors: int
    server_cpu: float  # CPU seconds of the server process per wall second (1.0 = one core busy)
    client_cpu: float  # the same for wrk
    load_start: float
    load_end: float


@dataclass(slots=True)
class Report:
    machine: str
    orders: int
    customers: int
    rows: int
    floors: list[Floor] = field(default_factory=list)
    measured: list[Measured] = field(default_factory=list)
    loads: list[LoadTest] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- the workspace ------------------------------------------------------------------------------


def zhongtai_cli() -> list[str]:
    """The ``zhongtai`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("zhongtai")
    if not script.exists():
        raise SystemExit(f"no zhongtai command next to {sys.executable}; run `uv sync` first")
    return [str(script)]


def ensure_shop(folder: Path, customers: int) -> None:
    """Build the demo shop into ``folder`` unless a finished one is there (its ``orders`` exist)."""
    if (folder / ".complete").exists():
        return
    if (folder / "warehouse.duckdb").exists() and _has_orders(folder):
        (folder / ".complete").write_text("reused", encoding="utf-8")
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    command = [*zhongtai_cli(), "demo", "generate", "--customers", str(customers), "--seed", "42", "--force",
               "--lang", "en", str(folder)]  # fmt: skip
    print("building the demo shop:", " ".join(command), flush=True)
    began = time.perf_counter()
    subprocess.run(command, check=True)
    (folder / ".complete").write_text(f"built in {time.perf_counter() - began:.0f} s", encoding="utf-8")


def _has_orders(folder: Path) -> bool:
    import duckdb

    try:
        con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    except duckdb.Error:
        return False
    try:
        return bool(con.execute("SELECT COUNT(*) > 0 FROM orders").fetchone()[0])  # type: ignore[index]
    except duckdb.Error:
        return False
    finally:
        con.close()


def prepare_workspace(folder: Path) -> tuple[str, list[str]]:
    """Fresh rollups, the benchmark's analyst account and a new API token (returned, with notes).

    Runs before the server starts (the server then owns the warehouse). The account is created
    once per workspace; each run adds one token named ``bench-console``.
    """
    from zhongtai.appdb import CreateTokenCommand, CreateUserCommand, UserDAO, owner_principal
    from zhongtai.policy import Role
    from zhongtai.policy.principal import SYSTEM
    from zhongtai.policy.roles import ROLE_PERMISSIONS
    from zhongtai.workspace import open_workspace

    notes: list[str] = []
    with open_workspace(folder) as ws:
        if ws.timezone != TZ:
            raise SystemExit(f"the hand-written SQL assumes {TZ}; this workspace uses {ws.timezone}")
        state = ws.warehouse.fetchall(_rollup_state_query())
        if not state:
            from zhongtai.metrics.rollups import refresh_rollups

            began = time.perf_counter()
            refresh_rollups(ws)
            notes.append(f"rollups were missing and were refreshed first ({time.perf_counter() - began:.0f} s)")
        app = ws.app
        owner = owner_principal(app, via="benchmark")
        with app.read() as session:
            exists = UserDAO(session, SYSTEM).find_for_auth(BENCH_USER) is not None
        if not exists:
            CreateUserCommand(app, owner, BENCH_USER, Role.ANALYST, password=BENCH_PASSWORD).run()
        scopes = sorted(str(p) for p in ROLE_PERMISSIONS[Role.ANALYST])
        token = CreateTokenCommand(app, owner, "bench-console", username=BENCH_USER, scopes=scopes).run().text
    return token, notes


def _rollup_state_query() -> Any:
    from zhongtai.warehouse._sql import fragment, tbl

    return fragment("SELECT name FROM :t", t=tbl("rollup_state", "zt_metrics"))


# -- the floor ----------------------------------------------------------------------------------


def timed(function: Callable[[], Any], runs: int) -> tuple[Percentiles, Any]:
    """Call ``function`` once to warm up (its answer is returned), then ``runs`` times timed (ms)."""
    answer = function()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return percentiles(times), answer


def answer_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[str, str, str, int]]:
    """(month, channel, GMV to the cent, orders) sorted, from any of the answers (months with no
    paid order have GMV NULL in one path and 0 in another: both count as 0.00)."""
    out = []
    for period, channel, gmv, orders in rows:
        out.append((str(period)[:10], str(channel), f"{Decimal(str(gmv or 0)):.2f}", int(orders or 0)))
    return sorted(out)


def measure_floor(folder: Path, *, runs: int, raw_runs: int) -> tuple[list[Floor], list[tuple[str, str, str, int]]]:
    """Hand SQL (raw, rollup) on a read-only DuckDB connection, then ``query_metrics`` as a library."""
    import duckdb

    from zhongtai.metrics import Grain, MetricQuery, query_metrics
    from zhongtai.workspace import open_workspace

    floors = []
    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    try:
        times, raw = timed(lambda: con.execute(HAND_RAW_SQL).fetchall(), raw_runs)
        floors.append(Floor("hand-written DuckDB SQL, raw `orders` + `channels`", times, load_average()))
        times, rolled = timed(lambda: con.execute(HAND_ROLLUP_SQL).fetchall(), runs)
        floors.append(Floor("hand-written DuckDB SQL on the rollup table", times, load_average()))
    finally:
        con.close()
    expected = answer_rows(raw)
    if answer_rows(rolled) != expected:
        raise AssertionError("hand SQL on the rollup table disagrees with hand SQL on the raw tables")
    query = MetricQuery(("gmv", "orders"), ("channel",), Grain.MONTH)
    with open_workspace(folder, read_only=True) as ws:
        times, result = timed(lambda: query_metrics(ws, query), runs)
        if result.source != "rollup":
            raise AssertionError(f"query_metrics answered from {result.source}, not from rollups")
        floors.append(Floor("zhongtai `query_metrics` in-process (library), rollups", times, load_average()))
        times, raw_result = timed(lambda: query_metrics(ws, query, use_rollups=False), raw_runs)
        floors.append(Floor("zhongtai `query_metrics` in-process (library), raw tables", times, load_average()))
    for got in (result, raw_result):
        rows = [tuple(r.values()) for r in got.table.to_pylist()]
        if answer_rows(rows) != expected:
            raise AssertionError(f"query_metrics ({got.source}) disagrees with the hand-written SQL")
    return floors, expected


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``zhongtai serve`` in a child process; its stderr (the access log) goes to ``log``."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [*zhongtai_cli(), "serve", "--workspace", str(folder), "--port", str(self.port), "--lang", "en"]
        self._err = log.open("wb")
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self._err)

    def wait_ready(self, timeout: float = 180.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"zhongtai serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.base + "/api/v1/openapi.json", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"zhongtai serve was not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])

    def cpu_seconds(self) -> float:
        import psutil

        times = psutil.Process(self.proc.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._err.close()


def clients(server: ServerProcess, token: str) -> dict[str, Any]:
    """An httpx client per kind: ``api`` with the bearer token, ``page`` signed in with a cookie."""
    import httpx

    common = {"base_url": server.base, "timeout": 900.0, "headers": {"Accept-Encoding": "gzip"}}
    api = httpx.Client(**common)  # type: ignore[arg-type]
    api.headers["Authorization"] = "Bearer " + token
    page = httpx.Client(**common)  # type: ignore[arg-type]
    signed = page.post("/api/v1/session", json={"username": BENCH_USER, "password": BENCH_PASSWORD})
    if signed.status_code != 201:
        raise SystemExit(f"sign-in failed ({signed.status_code}): {signed.text[:500]}")
    return {"api": api, "page": page}


def _source_of(case: Case, response: Any) -> str:
    if case.kind == "api":
        body = response.json()
        if "queries" in body:  # a board (the overview): where each of its metric queries was answered
            sources = [str(q.get("source")) for q in body["queries"]]
            return ", ".join(f"{s} {sources.count(s)}/{len(sources)} queries" for s in sorted(set(sources)))
        return str(body.get("source", ""))
    text = response.text
    found = re.search(r"Answered from\s*(?:<strong>)?\s*([^<]+?)\s*(?:</strong>|<|$)", text)
    if found:
        said = " ".join(found.group(1).split())
        for words, source in (("rollups and raw tables", "rollup + raw"), ("rollups", "rollup"), ("raw tables", "raw")):
            if said.startswith(words):
                return source
        return said
    return ""


def measure_case(client: Any, case: Case, *, requests: int, budget: float | None = None, warmup: int = 3) -> Measured:
    """``requests`` sequential GETs of ``case`` after ``warmup`` untimed ones (all must be 200).

    With a ``budget`` (seconds), the timed requests stop once they have taken that long (at least
    one is made): a route that needs seconds per answer cannot be asked 200 times in a session,
    and the table then shows the smaller ``n``. A first answer slower than a second skips the
    rest of the warm-up for the same reason.
    """
    began_case = time.perf_counter()
    first = client.get(case.path, params=list(case.params))
    first_seconds = time.perf_counter() - began_case
    if first.status_code in (404, 405) or (case.kind == "page" and "text/html" not in first.headers.get(
            "content-type", "")):  # fmt: skip
        return Measured(case, missing=f"{case.path} answered {first.status_code} (not built yet)")
    if first.status_code != 200:
        raise AssertionError(f"{case.name}: status {first.status_code}: {first.text[:500]}")
    source = _source_of(case, first)
    if case.expect_source and source != case.expect_source:
        raise AssertionError(f"{case.name}: answered from {source!r}, expected {case.expect_source!r}")
    for _ in range(warmup - 1 if first_seconds < 1.0 else 0):
        client.get(case.path, params=list(case.params))
    server: list[float] = []
    wall: list[float] = []
    timed_from = time.perf_counter()
    for i in range(requests):
        if budget is not None and server and time.perf_counter() - timed_from > budget:
            break
        params = case.params_for(i)
        began = time.perf_counter()
        response = client.get(case.path, params=params)
        wall.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise AssertionError(f"{case.name}: status {response.status_code} during the run: {response.text[:300]}")
        server.append(parse_server_timing(response.headers["server-timing"])["app"])
        if case.vary and case.expect_source and i == 0 and _source_of(case, response) != case.expect_source:
            raise AssertionError(f"{case.name}: {params} was not answered from {case.expect_source}")
    return Measured(case, percentiles(server), percentiles(wall), source, load_average())


def check_api_answer(client: Any, expected: list[tuple[str, str, str, int]]) -> None:
    """The API's rows equal the hand-written SQL's (so the floor answers the same question)."""
    for params in (list(QUESTION), [*QUESTION, ("rollups", "false")]):
        body = client.get("/api/v1/metrics/query", params=params).json()
        got = answer_rows([(r["period"], r["channel"], r["gmv"], r["orders"]) for r in body["rows"]])
        if got != expected:
            raise AssertionError(f"the API ({body['source']}) disagrees with the hand-written SQL")


# -- the load test ------------------------------------------------------------------------------


def load_test(server: ServerProcess, path: str, token: str, *, rate: float, seconds: int, connections: int) -> LoadTest:
    """wrk, paced at ``rate`` requests/s for ``seconds``, one thread, ``connections`` keep-alive
    connections; the server's access log lines written meanwhile are counted by status."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        script.write(wrk_script(rate=rate, threads=1, authorization="Bearer " + token))
    log_before = server.log.stat().st_size
    cpu_before = server.cpu_seconds()
    child_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_start = load_average()
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
                   server.base + path]  # fmt: skip
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - began
    finally:
        os.unlink(script.name)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr[-1000:]}")
    child_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = (server.cpu_seconds() - cpu_before) / wall
    client_cpu = (child_after.ru_utime + child_after.ru_stime - child_before.ru_utime - child_before.ru_stime) / wall
    time.sleep(0.5)  # the last access-log lines
    with server.log.open("rb") as f:
        f.seek(log_before)
        lines = [json.loads(x) for x in f.read().decode("utf-8", "replace").splitlines() if x.startswith("{")]
    logged = [x for x in lines if x.get("route", "").endswith(path.split("?")[0])]
    return LoadTest(
        path=path,
        rate_asked=rate,
        seconds=seconds,
        connections=connections,
        result=parse_wrk_output(done.stdout),
        logged=len(logged),
        logged_errors=sum(1 for x in logged if int(x["status"]) >= 400),
        server_cpu=server_cpu,
        client_cpu=client_cpu,
        load_start=load_start,
        load_end=load_average(),
    )


# -- the run ------------------------------------------------------------------------------------


def run(
    folder: Path,
    *,
    customers: int,
    requests: int,
    raw_requests: int,
    rate: float,
    seconds: int,
    connections: int,
    floor_runs: int,
    floor_raw_runs: int,
    overview_budget: float | None = None,
    cases: Sequence[str] = (),
) -> Report:
    """Everything, in order: build/reuse the shop, floor, server, sequential cases, load test."""
    import duckdb

    ensure_shop(folder, customers)
    load_start = load_average()
    token, notes = prepare_workspace(folder)
    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    n_orders = int(con.execute("SELECT COUNT(*) FROM orders").fetchone()[0])  # type: ignore[index]
    n_customers = int(con.execute("SELECT COUNT(*) FROM customers").fetchone()[0])  # type: ignore[index]
    con.close()
    floors, expected = measure_floor(folder, runs=floor_runs, raw_runs=floor_raw_runs)
    report = Report("", n_orders, n_customers, len(expected), floors, notes=notes)
    log = folder.parent / f"{folder.name}-serve.log"
    server = ServerProcess(folder, log)
    try:
        server.wait_ready()
        by_kind = clients(server, token)
        check_api_answer(by_kind["api"], expected)
        for case in (c for c in CASES if not cases or c.name in cases):
            n = raw_requests if case.expect_source == "raw" else requests
            measured = measure_case(
                by_kind[case.kind],
                case,
                requests=n,
                budget=overview_budget if case.name.startswith("overview") else None,
            )
            print(_case_line(measured), flush=True)
            report.measured.append(measured)
        overview = next((m for m in report.measured if m.case.name == "overview_api"), None)
        query_path = "/api/v1/metrics/query?" + "&".join(f"{k}={v}" for k, v in QUESTION)
        if overview is not None and overview.missing:
            report.notes.append("the overview API does not exist yet: only the metric query API was load-tested")
        # the metric query first: an overview that the server cannot keep up with leaves it busy
        for path in [query_path] + ([] if overview is None or overview.missing else ["/api/v1/overview"]):
            report.loads.append(load_test(server, path, token, rate=rate, seconds=seconds, connections=connections))
            print(f"load test {path}: {report.loads[-1].result.to_dict()}", flush=True)
        for client in by_kind.values():
            client.close()
    finally:
        server.stop()
    report.machine = machine_line(machine(), (load_start, load_average()))
    return report


def _case_line(m: Measured) -> str:
    if m.missing or m.server is None or m.client is None:
        return f"{m.case.name}: not measured ({m.missing})"
    return (
        f"{m.case.name}: server p50 {m.server.p50:.1f} p95 {m.server.p95:.1f} p99 {m.server.p99:.1f} ms; "
        f"client p95 {m.client.p95:.1f} ms; from {m.source or '?'}; load {m.load:.1f}"
    )


CASE_HEADERS = ("request", "answered from", "n", "server p50", "server p95", "server p99", "client p50",
                "client p95", "target (server p95)", "load avg")  # fmt: skip
LOAD_HEADERS = ("request", "asked", "achieved", "requests", "errors (wrk)", "errors (server log)", "p50", "p90",
                "p99", "max", "server CPU", "wrk CPU", "load avg start / end", "target")  # fmt: skip


def render(report: Report) -> str:
    """The Markdown section of docs/benchmarks.md."""

    def verdict(m: Measured) -> str:
        if m.case.target_ms is None or m.server is None:
            return "reported (no target)" if m.server is not None else "—"
        limit = m.case.target_ms
        return f"≤ {limit:.0f} ms: " + ("met" if m.server.p95 <= limit else "**missed**")

    rows = []
    for m in report.measured:
        if m.server is None or m.client is None:
            rows.append([m.case.label, "—", 0, "not measured: " + m.missing, "", "", "", "", "", "—"])
            continue
        rows.append([
            m.case.label, m.source or "?", m.server.n,
            f"{m.server.p50:.1f}", f"{m.server.p95:.1f}", f"{m.server.p99:.1f}",
            f"{m.client.p50:.1f}", f"{m.client.p95:.1f}", verdict(m), f"{m.load:.1f}",
        ])  # fmt: skip
    floor_rows = [
        [f.label, f.times.n, f"{f.times.p50:.1f}", f"{f.times.p95:.1f}", f"{f.times.p99:.1f}", f"{f.load:.1f}"]
        for f in report.floors
    ]
    parts = [
        "## Console and API serving / 控制台与 API 响应",
        "",
        f"`benchmarks/console_serve.py` on the demo shop (seed 42, {report.customers:,} customer records, "
        f"{report.orders:,} orders) served by `zhongtai serve` in its own process on loopback. The question is "
        f"GMV and orders by channel by month over the whole shop ({report.rows} rows). {report.machine}",
        "",
        "Sequential requests (one at a time, keep-alive, gzip) after a warm-up; server time is the "
        "`Server-Timing: app;dur=` header (routing, authentication, query, rendering), client time the wall time "
        "around the call. Times in ms.",
        "",
        markdown_table(CASE_HEADERS, rows, "llrrrrrrlr"),
        "",
        "The floor — the same question without a server, in one process (ms):",
        "",
        markdown_table(["variant", "n", "p50", "p95", "p99", "load avg"], floor_rows, "lrrrrr"),
    ]
    if report.loads:
        load_rows = []
        for lt in report.loads:
            r = lt.result
            ok = r.error_count == 0 and lt.logged_errors == 0 and r.rate >= 0.98 * lt.rate_asked
            errors = ", ".join(f"{k} {v}" for k, v in r.errors.items() if v) or "none"
            target = (f"{lt.rate_asked:.0f}/s, no errors: " + ("met" if ok else "**missed**")
                      if lt.path.startswith("/api/v1/overview") else "reference (no target)")  # fmt: skip
            load_rows.append([
                f"`{lt.path.split('?')[0]}`", f"{lt.rate_asked:.0f}/s", f"{r.rate:.1f}/s", r.requests,
                f"{r.error_count} ({errors})", f"{lt.logged_errors} of {lt.logged}", f"{r.p50_ms:.1f} ms",
                f"{r.p90_ms:.1f} ms", f"{r.p99_ms:.1f} ms", f"{r.max_ms:.0f} ms", f"{lt.server_cpu:.2f} cores",
                f"{lt.client_cpu:.2f} cores", f"{lt.load_start:.1f} / {lt.load_end:.1f}", target,
            ])  # fmt: skip
        first = report.loads[0]
        parts += [
            "",
            f"Load test: `wrk` in a second process, paced at {first.rate_asked:.0f} requests/s for {first.seconds} s "
            f"over {first.connections} keep-alive connections (one wrk thread), with an API token; the metric query "
            "is the question above, from rollups. Latency is wrk's, from sending the request to the end of the answer.",
            "",
            markdown_table(LOAD_HEADERS, load_rows, "lrrrrrrrrrrrrl"),
        ]
    if report.notes:
        parts += ["", *("Note: " + n for n in report.notes)]
    return "\n".join(parts)


def main(
    write: bool = False,
    workspace: Path = DEFAULT_WORKSPACE,
    customers: int = 1_000_000,
    requests: int = 200,
    raw_requests: int = 200,
    rate: float = 200.0,
    seconds: int = 30,
    connections: int = 50,
    floor_runs: int = 200,
    floor_raw_runs: int = 20,
    overview_budget: float | None = 120.0,
    cases: Sequence[str] = (),
) -> Report:
    report = run(
        Path(workspace),
        customers=customers,
        requests=requests,
        raw_requests=raw_requests,
        rate=rate,
        seconds=seconds,
        connections=connections,
        floor_runs=floor_runs,
        floor_raw_runs=floor_raw_runs,
        overview_budget=overview_budget,
        cases=cases,
    )
    text = render(report)
    print(text)
    out = Path(workspace).parent / f"{Path(workspace).name}-console_serve.json"
    out.write_text(json.dumps(asdict(report), default=str, indent=1, ensure_ascii=False), encoding="utf-8")
    if write:
        update_section(SECTION, text)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--workspace", type=Path, default=DEFAULT_WORKSPACE, help="demo shop folder (built if absent)")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per rollup/overview case")
    parser.add_argument("--raw-requests", type=int, default=200, help="sequential requests per raw-table case")
    parser.add_argument("--rate", type=float, default=200.0, help="load test: requests per second")
    parser.add_argument("--seconds", type=int, default=30, help="load test: duration")
    parser.add_argument("--connections", type=int, default=50, help="load test: keep-alive connections")
    parser.add_argument("--floor-runs", type=int, default=200)
    parser.add_argument("--floor-raw-runs", type=int, default=20)
    parser.add_argument(
        "--overview-budget", type=float, default=120.0, help="stop an overview case's timed requests after S s"
    )
    parser.add_argument("--cases", nargs="+", default=(), choices=[c.name for c in CASES], help="only these")
    ns = parser.parse_args()
    main(
        write=ns.write,
        workspace=ns.workspace,
        customers=ns.customers,
        requests=ns.requests,
        raw_requests=ns.raw_requests,
        rate=ns.rate,
        seconds=ns.seconds,
        connections=ns.connections,
        floor_runs=ns.floor_runs,
        floor_raw_runs=ns.floor_raw_runs,
        overview_budget=ns.overview_budget,
        cases=ns.cases,
    )
