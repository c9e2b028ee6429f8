"""Helpers of ``console_serve.py``: percentiles, the ``Server-Timing`` header, a paced wrk script.

Kept apart from the benchmark so that tests can check them on hand-made numbers without a server.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from string import Template
from typing import Any

__all__ = [
    "LoadResult",
    "Percentiles",
    "parse_server_timing",
    "parse_wrk_output",
    "percentile",
    "percentiles",
    "wrk_script",
]


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks.

    This is definition 7 of Hyndman & Fan, "Sample quantiles in statistical packages", The American
    Statistician 50(4), 1996 (R's default ``type = 7`` and numpy's default ``linear``): with the
    values sorted as x[0] … x[n-1], h = (n - 1) p / 100 and the answer is
    x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within [0, 100], got {p}")
    xs = sorted(values)
    h = (len(xs) - 1) * p / 100
    low = math.floor(h)
    high = min(low + 1, len(xs) - 1)
    return xs[low] + (h - low) * (xs[high] - xs[low])


@dataclass(frozen=True, slots=True)
class Percentiles:
    """p50 / p95 / p99 and the maximum of a sample (same unit as the sample, here milliseconds)."""

    n: int
    p50: float
    p95: float
    p99: float
    max: float


def percentiles(values: Sequence[float]) -> Percentiles:
    return Percentiles(len(values), percentile(values, 50), percentile(values, 95), percentile(values, 99), max(values))


def parse_server_timing(header: str) -> dict[str, float]:
    """Metric name → ``dur`` (milliseconds) from a W3C ``Server-Timing`` header value.

    ``app;dur=12.5, db;desc="query";dur=3`` → ``{"app": 12.5, "db": 3.0}``. Metrics without a
    ``dur`` are left out; a malformed ``dur`` raises ``ValueError`` (a benchmark must not guess).
    """
    found: dict[str, float] = {}
    for metric in header.split(","):
        parts = [p.strip() for p in metric.split(";")]
        if not parts[0]:
            continue
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "dur":
                found[parts[0]] = float(value.strip().strip('"'))
    return found


_WRK_LUA = Template(
    r"""-- Paced wrk script written by benchmarks/console_serve.py: requests leave at fixed times.
-- Each wrk thread owns 1/threads of the rate; request k of a thread is due at start + k * interval,
-- so the offered rate does not drift. If the server falls behind, delay() returns 0 and the achieved
-- rate shows it. Latency is wrk's own (from writing the request to the end of the response).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } zt_timespec;
int clock_gettime(int clock_id, zt_timespec *tp);
]]
local ts = ffi.new("zt_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = $interval_ms
local started = nil
local sent = 0

wrk.method = "GET"
wrk.headers["Authorization"] = "$authorization"
wrk.headers["Accept-Encoding"] = "gzip"

function delay()
  local now = now_ms()
  if started == nil then started = now end
  local due = started + sent * interval
  sent = sent + 1
  if due <= now then return 0 end
  return math.floor(due - now)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'ZT_WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""
)


def wrk_script(*, rate: float, threads: int, authorization: str) -> str:
    """The Lua script that makes ``wrk -t threads`` offer ``rate`` requests per second in total."""
    if rate <= 0 or threads < 1:
        raise ValueError("rate must be positive and threads at least 1")
    if '"' in authorization or "\\" in authorization or "\n" in authorization:
        raise ValueError("the Authorization value may not contain quotes, backslashes or newlines")
    return _WRK_LUA.substitute(interval_ms=repr(1000.0 * threads / rate), authorization=authorization)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What wrk measured: requests completed, the achieved rate and its latency percentiles (ms)."""

    requests: int
    seconds: float
    errors: dict[str, int]
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @property
    def rate(self) -> float:
        """Completed requests per second over wrk's whole run."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        """Socket errors (connect, read, write, timeout) plus answers with status ≥ 400."""
        return sum(self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": self.seconds,
            "rate": self.rate,
            "errors": self.errors,
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "mean_ms": self.mean_ms,
        }


def parse_wrk_output(text: str) -> LoadResult:
    """The ``ZT_WRK {...}`` line that :func:`wrk_script`'s ``done`` prints (microseconds → ms)."""
    for line in text.splitlines():
        if line.startswith("ZT_WRK "):
            data = json.loads(line[len("ZT_WRK ") :])
            return LoadResult(
                requests=int(data["requests"]),
                seconds=data["duration_us"] / 1e6,
                errors={k: int(data[k]) for k in ("connect", "read", "write", "status", "timeout")},
                p50_ms=data["p50_us"] / 1000,
                p90_ms=data["p90_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                max_ms=data["max_us"] / 1000,
                mean_ms=data["mean_us"] / 1000,
            )
    raise ValueError("wrk printed no ZT_WRK line:\n" + text[-2000:])
