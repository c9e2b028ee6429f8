"""One block of people, end to end: the processes, then every canonical and truth table.

A block is ``config.block`` consecutive people generated from their own random streams, so its output
is the same whichever chunk or worker process makes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
import pyarrow as pa

from zhongtai.demo.accounts import build_accounts
from zhongtai.demo.content import ContentPlan
from zhongtai.demo.events import build_events
from zhongtai.demo.experiments import run_experiments
from zhongtai.demo.feedback import plan_feedback
from zhongtai.demo.fulfilment import fulfil
from zhongtai.demo.membership import draw_consents, draw_tiers
from zhongtai.demo.money import settle
from zhongtai.demo.orders import build_orders
from zhongtai.demo.people import draw_persons
from zhongtai.demo.purchases import draw_purchases
from zhongtai.demo.sessions import draw_sessions
from zhongtai.demo.streams import rng_for
from zhongtai.demo.textgen import TextGenerators
from zhongtai.demo.world import World

__all__ = ["BlockResult", "generate_block"]


@dataclass(slots=True)
class BlockResult:
    block: int
    tables: dict[str, pa.Table]
    truth: dict[str, pa.Table]
    sales_key: np.ndarray  # (sku · stock sites + site) · weeks + week
    sales_units: np.ndarray
    orders_by_day: np.ndarray  # (sources, days) paid orders
    revenue_by_day: np.ndarray  # (sources, days) paid cents
    acquired_by_day: np.ndarray  # (ad channels, days) people acquired by paid media
    duplicated_events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def generate_block(world: World, block: int, text: TextGenerators | ModuleType) -> BlockResult:
    from zhongtai.demo.assemble import assemble  # table building lives in its own module

    seed = world.config.seed
    n = world.config.block_size(block)
    clock: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        clock[name] = clock.get(name, 0.0) + now - started
        started = now

    def rng(name: str) -> np.random.Generator:
        return rng_for(seed, "block", block, name)

    persons = draw_persons(world, block, n, rng("persons"))
    purchases, life = draw_purchases(world, persons, rng("purchases"))
    sessions = draw_sessions(world, persons, life, rng("sessions"))
    purchases, exposures = run_experiments(world, persons, life, sessions, purchases, rng("experiments"))
    lap("processes")
    orders, lines = build_orders(world, persons, purchases, block, rng("orders"))
    ful = fulfil(world, persons, orders, lines, rng("fulfilment"))
    money = settle(world, orders, ful, rng("money"))
    lap("orders")
    accounts = build_accounts(world, persons, orders, rng("accounts"), rng("accounts_linked"))
    lap("accounts")
    events = build_events(world, persons, life, sessions, exposures, orders, lines, block, rng("events"))
    lap("events")
    feedback = plan_feedback(world, persons, life, orders, lines, ful, rng("feedback"))
    consents = draw_consents(world, persons, life, rng("consents"))
    tiers = draw_tiers(world, persons, orders)
    lap("feedback")
    result = assemble(
        world,
        block,
        text,
        persons,
        life,
        sessions,
        exposures,
        orders,
        lines,
        ful,
        money,
        accounts,
        events,
        feedback,
        consents,
        tiers,
        rng,
        clock,
    )
    lap("tables")
    result.seconds = clock
    result.duplicated_events = events.duplicated
    return result


def content_touch_candidates(
    content: ContentPlan, source: np.ndarray, start: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """For visits (source, start time): a piece published on that channel in the 14 days before
    (uniformly among them), or -1."""
    piece = np.full(len(start), -1, dtype=np.int64)
    for s in np.unique(source):
        times, idx = content.recent(int(s))
        rows = np.flatnonzero(source == s)
        if not len(idx) or not len(rows):
            continue
        lo = np.searchsorted(times, start[rows] - 14.0)
        hi = np.searchsorted(times, start[rows])
        ok = hi > lo
        pick = lo + np.floor(rng.random(len(rows)) * np.maximum(hi - lo, 1)).astype(np.int64)
        piece[rows[ok]] = idx[np.minimum(pick[ok], len(idx) - 1)]
    return piece, piece >= 0
