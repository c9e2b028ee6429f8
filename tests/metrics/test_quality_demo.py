"""Quality checks on the cached demo shop find what the generator planted (scored against _truth)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from zhongtai.metrics.quality import quality_board, run_quality
from zhongtai.workspace import open_workspace

AS_OF = datetime(2026, 1, 1)  # the demo period ends 2025-12-31 (shop time)


def test_demo_shop_planted_problems_show_up(
    demo_shop: Path, demo_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # A private copy: the cached shop is shared (read-only), and DuckDB refuses a second connection
    # to the same file with another configuration in one process.
    copy = tmp_path / "shop"
    copy.mkdir()
    for name in ("warehouse.duckdb", "zhongtai.toml"):
        shutil.copy2(demo_shop / name, copy / name)
    with open_workspace(copy) as ws:
        run = run_quality(ws, as_of=AS_OF)
        board = quality_board(ws)
    assert run.stored is True
    assert board.row("invoices").failed_rows == run.table("invoices").failed_rows
    assert board.score == run.score

    # Invoice/payment mismatches (seed §6.4): every planted one, nothing else.
    planted = demo_db.execute("SELECT COUNT(*) FROM _truth.reconciliation").fetchone()
    assert planted is not None
    assert planted[0] > 0
    assert run.result("invoices.matches_payments").failed_rows == planted[0]

    # Events exported twice by the SDK are quarantined at load; the check counts them.
    duplicates = demo_db.execute("SELECT size FROM _truth.anomalies WHERE kind = 'duplicate_events'").fetchone()
    assert duplicates is not None
    assert run.result("events.quarantined_at_load").failed_rows == int(duplicates[0])

    # The delayed collection job: late events are exactly the planted channel's, in its window.
    late = run.result("events.arrives_within_a_day").failed_rows
    delayed = demo_db.execute(
        "SELECT source, starts_on, ends_before FROM _truth.anomalies WHERE kind = 'delayed_load'"
    ).fetchone()
    assert delayed is not None
    assert late > 0
    outside = demo_db.execute(
        "SELECT COUNT(*) FROM events WHERE received_at > event_time + INTERVAL 24 HOUR "
        "AND NOT (source = ? AND event_time >= CAST(? AS TIMESTAMP) - INTERVAL 1 DAY "
        "AND event_time < CAST(? AS TIMESTAMP) + INTERVAL 1 DAY)",
        [delayed[0], delayed[1], delayed[2]],
    ).fetchone()
    assert outside == (0,)

    # What the generator did not break stays green, and the score is the documented formula.
    assert run.result("orders.key").status == "passed"
    assert run.result("orders.fresh").status == "passed"
    checked = sum(r.checked_rows for r in run.results if r.counted)
    failed = sum(r.failed_rows for r in run.results if r.counted)
    assert run.score == (checked - failed) / checked
