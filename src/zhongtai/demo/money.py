"""Payments and invoices (发票), and the planted mismatches between them.

Every paid order has succeeded payments summing to ``paid_amount`` (2 % split with a balance
part, 1.5 % preceded by a failed attempt; payments of fully refunded orders are ``refunded``).
Invoices are requested per channel (JD buyers most often), issued after the order completes,
``amount = paid_amount`` with 13 % VAT included, and red-lettered (红冲) when the order is fully
refunded. Per seed a small share ``reconciliation.rate`` of invoiced orders carries each kind of
mismatch (seed §6.4: 发票金额与实际收款不符), recorded in ``_truth.reconciliation``:
an invoice on the pre-discount amount, a short payment, a duplicate payment, and an invoice for
an order that was never paid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.fulfilment import STATUS, Fulfilment
from zhongtai.demo.orders import Orders
from zhongtai.demo.world import World

__all__ = ["METHODS", "MISMATCHES", "Money", "settle"]

METHODS = ("alipay", "wechat_pay", "card", "unionpay", "cash", "balance", "credit", "other")
METHOD_MIX = {  # source -> weights over METHODS
    0: (0.9, 0, 0, 0, 0, 0, 0.1, 0), 1: (0, 0.35, 0.2, 0.1, 0, 0.1, 0.2, 0.05), 2: (0.45, 0.35, 0, 0, 0, 0, 0.2, 0),
    3: (0, 0.95, 0, 0, 0, 0.05, 0, 0), 4: (0.35, 0.45, 0.1, 0.05, 0.05, 0, 0, 0),
}  # fmt: skip
INVOICE_RATE = np.array([0.15, 0.35, 0.06, 0.1, 0.12])
MISMATCHES = ("invoice_amount", "payment_short", "duplicate_payment", "invoice_without_payment")
PAYMENTS_PER_BLOCK = 10**7


@dataclass(slots=True)
class Money:
    pay_order: np.ndarray
    pay_method: np.ndarray
    pay_amount: np.ndarray
    pay_t: np.ndarray
    pay_status: np.ndarray  # 0 succeeded, 1 failed, 2 refunded
    pay_ref: np.ndarray  # provider reference number
    inv_order: np.ndarray
    inv_kind: np.ndarray  # 0 electronic, 1 normal, 2 special_vat
    inv_company: np.ndarray  # company title index, -1 personal
    inv_amount: np.ndarray
    inv_t: np.ndarray
    inv_status: np.ndarray  # 0 issued, 1 cancelled, 2 red_letter
    inv_no: np.ndarray
    mismatch_order: np.ndarray
    mismatch_kind: np.ndarray
    mismatch_expected: np.ndarray
    mismatch_found: np.ndarray


def settle(world: World, orders: Orders, ful: Fulfilment, rng: np.random.Generator) -> Money:
    n = orders.n
    days = float(world.days)
    paid = ~orders.cancelled
    method = np.zeros(n, dtype=np.int64)
    for source, mix in METHOD_MIX.items():
        m = orders.source == source
        method[m] = rng.choice(len(METHODS), int(m.sum()), p=np.array(mix) / sum(mix))
    refunded_order = ful.status == STATUS.index("refunded")
    # main payments, with a balance part for 2 % of them
    split = paid & (rng.random(n) < 0.02) & (orders.paid > 1000)
    balance = np.where(split, np.round(orders.paid * rng.uniform(0.1, 0.5, n)), 0).astype(np.int64)
    idx = np.flatnonzero(paid)
    s_idx = np.flatnonzero(split)
    failed_idx = np.flatnonzero((paid & (rng.random(n) < 0.015)) | (orders.cancelled & (rng.random(n) < 0.3)))
    orders_col = np.concatenate([failed_idx, idx, s_idx])
    method_col = np.concatenate([method[failed_idx], method[idx], np.full(len(s_idx), METHODS.index("balance"))])
    amount_col = np.concatenate(
        [
            np.where(orders.paid[failed_idx] > 0, orders.paid[failed_idx], orders.total[failed_idx]),
            orders.paid[idx] - balance[idx],
            balance[s_idx],
        ]
    )
    t_col = np.concatenate([orders.t[failed_idx] + 20 / 86_400, orders.paid_t[idx], orders.paid_t[s_idx]])
    status_col = np.concatenate(
        [np.ones(len(failed_idx), np.int64), np.where(refunded_order[idx], 2, 0), np.where(refunded_order[s_idx], 2, 0)]
    )
    # invoices after completion (or after delivery for refunded orders)
    wants = paid & (rng.random(n) < INVOICE_RATE[orders.source])
    done_t = np.where(np.isnan(ful.completed_t), ful.delivered_t, ful.completed_t)
    issued_t = done_t + rng.uniform(0.05, 2.0, n)
    inv = wants & (issued_t < days)
    kind = rng.choice(3, n, p=[0.85, 0.05, 0.10])
    company = np.where(
        kind == 2, rng.integers(0, 10_000, n), np.where(rng.random(n) < 0.12, rng.integers(0, 10_000, n), -1)
    )
    inv_idx = np.flatnonzero(inv)
    inv_amount = orders.paid[inv_idx].copy()
    inv_t = issued_t[inv_idx]
    inv_status = np.where(refunded_order[inv_idx], 2, np.where(rng.random(len(inv_idx)) < 0.005, 1, 0))
    # planted mismatches
    rate = world.params["reconciliation.rate"]
    m_order: list[np.ndarray] = []
    m_kind: list[np.ndarray] = []
    m_exp: list[np.ndarray] = []
    m_found: list[np.ndarray] = []

    def plant(candidates: np.ndarray, kind_code: int) -> np.ndarray:
        count = min(int(rng.binomial(len(inv_idx), rate)), len(candidates))
        return rng.choice(candidates, count, replace=False) if count else np.zeros(0, dtype=np.int64)

    # 1. invoice on the pre-discount amount
    pos = plant(np.flatnonzero((orders.goods[inv_idx] != orders.paid[inv_idx]) & (inv_status == 0)), 0)
    m_order.append(inv_idx[pos])
    m_kind.append(np.zeros(len(pos), np.int64))
    m_exp.append(inv_amount[pos].copy())
    inv_amount[pos] = orders.goods[inv_idx[pos]]
    m_found.append(inv_amount[pos].copy())
    # 2. a short payment (the provider settled less than the order)
    single = np.zeros(n, dtype=bool)
    single[inv_idx] = ~split[inv_idx] & ~refunded_order[inv_idx]
    main_rows = len(failed_idx) + np.searchsorted(idx, np.flatnonzero(single))
    pos = plant(np.arange(len(main_rows)), 1)
    rows = main_rows[pos]
    short = rng.integers(1, 500, len(rows))
    m_order.append(orders_col[rows])
    m_kind.append(np.ones(len(rows), np.int64))
    m_exp.append(amount_col[rows].copy())
    amount_col[rows] = np.maximum(amount_col[rows] - short, 1)
    m_found.append(amount_col[rows].copy())
    # 3. a duplicate payment
    pos = plant(np.setdiff1d(np.arange(len(main_rows)), pos), 2)
    rows = main_rows[pos]
    m_order.append(orders_col[rows])
    m_kind.append(np.full(len(rows), 2, np.int64))
    m_exp.append(amount_col[rows].copy())
    m_found.append(amount_col[rows] * 2)
    orders_col = np.concatenate([orders_col, orders_col[rows]])
    method_col = np.concatenate([method_col, method_col[rows]])
    amount_col = np.concatenate([amount_col, amount_col[rows]])
    t_col = np.concatenate([t_col, t_col[rows] + rng.uniform(1, 120, len(rows)) / 86_400])
    status_col = np.concatenate([status_col, status_col[rows]])
    # 4. an invoice for an order never paid
    never = np.flatnonzero(orders.cancelled & (orders.t + 1.0 < days))
    pick = plant(never, 3)
    m_order.append(pick)
    m_kind.append(np.full(len(pick), 3, np.int64))
    m_exp.append(np.zeros(len(pick), np.int64))
    m_found.append(orders.total[pick])
    inv_idx = np.concatenate([inv_idx, pick])
    inv_amount = np.concatenate([inv_amount, orders.total[pick]])
    inv_t = np.concatenate([inv_t, orders.t[pick] + 0.5])
    inv_status = np.concatenate([inv_status, np.zeros(len(pick), np.int64)])
    order_sort = np.lexsort((t_col, orders_col))
    return Money(
        orders_col[order_sort],
        method_col[order_sort],
        amount_col[order_sort],
        t_col[order_sort],
        status_col[order_sort],
        rng.integers(10**15, 10**18, len(order_sort)),
        inv_idx,
        kind[inv_idx],
        company[inv_idx],
        inv_amount,
        inv_t,
        inv_status,
        rng.integers(10**17, 10**18, len(inv_idx)),
        np.concatenate(m_order),
        np.concatenate(m_kind),
        np.concatenate(m_exp),
        np.concatenate(m_found),
    )
