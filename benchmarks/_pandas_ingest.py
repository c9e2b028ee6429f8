"""The comparison pipeline: zhongtai's validation of an Online Retail export, written in pandas.

This is what a careful analyst would write instead of calling zhongtai: ``pd.read_csv`` with
every column as text, vectorised parsing (``to_numeric``, ``to_datetime(format=…)``, time zone
localise and convert), the same rules with the same precedence as
``zhongtai.warehouse.ingest.validate`` for the benchmarks' mapping, and a write into a DuckDB
file through ``con.register`` + ``CREATE TABLE … AS SELECT`` (the fastest idiomatic route).

Rules, per row (a row breaking any rule is quarantined whole, one quarantine record per problem):

- exact duplicate of an earlier row (``row.duplicate``), repeated header, totals line;
- invoice ``C…`` → refunds (quantity and amount negated), anything else → orders and order lines;
- required order id / order time / quantity / refund id; ids that went through a float
  (``2.0E+18``); non-integer quantities; unparsable prices and times; more than 4 decimals on
  a unit price; negative amounts and item counts; refund quantity below 1; non-positive line
  quantity; zero and negative unit prices; times more than a day in the future or outside
  1900–2200;
- an order whose lines disagree on customer or country (``conflict.values``, every line), and the
  other lines of an order any of whose lines broke a rule (``group.incomplete``).

Left out, because the UCI file does not need them (zhongtai pays for them on every cell):
full-width digits and signs, ``="…"``-wrapped ids, Excel apostrophes, money written as
``¥1,234`` / ``(12.50)`` / ``1.2万``, day/month-order detection, offsets inside time texts, and
the load record, file hash and bilingual quarantine reasons. :func:`stream` assumes that an
invoice's lines are contiguous in the file (true of the UCI file's order and of the generated
large file); zhongtai assumes nothing about order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

__all__ = [
    "COLUMNS",
    "NULL_TOKENS",
    "TOTALS_WORDS",
    "WHITESPACE",
    "Frames",
    "read_chunks",
    "read_raw",
    "stream",
    "validate",
    "write_duckdb",
]

COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")
# The three constants below are zhongtai's (parsers.NULL_TOKENS, validate.TOTALS_WORDS,
# parsers.WHITESPACE); tests/test_benchmarks_smoke.py checks they have not drifted apart.
NULL_TOKENS = ("null", "none", "nan", "n/a", "#n/a", "na", "-", "--", "无", "/", "nil", "空")
TOTALS_WORDS = ("合计", "总计", "小计", "总合计", "汇总", "total", "totals", "grand total", "sum", "subtotal")
WHITESPACE = " \t\r\n\u3000\u00a0\ufeff"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_SCIENTIFIC = r"[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+"


@dataclass(slots=True)
class Frames:
    """What one validation pass produced (row numbers count the header as row 1)."""

    orders: pd.DataFrame
    order_items: pd.DataFrame
    refunds: pd.DataFrame
    quarantine: pd.DataFrame  # row, table, column, rule + the row's cells

    def counts(self) -> dict[str, int]:
        return {
            "orders": len(self.orders),
            "order_items": len(self.order_items),
            "refunds": len(self.refunds),
            "quarantined": int(self.quarantine["row"].nunique()),
        }


def read_raw(path: str | Path) -> pd.DataFrame:
    """Every cell as written (only empty cells become NaN), like zhongtai's all-VARCHAR staging."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def read_chunks(path: str | Path, chunksize: int) -> Iterator[pd.DataFrame]:
    """:func:`read_raw` in chunks of ``chunksize`` rows."""
    with pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], chunksize=chunksize) as reader:
        yield from reader


def validate(
    raw: pd.DataFrame,
    *,
    rows: np.ndarray | None = None,
    source: str = "uci",
    timezone: str = "Europe/London",
    currency: str = "GBP",
    now: datetime | None = None,
) -> Frames:
    """Apply the rules (module docstring) to ``raw``; ``rows`` are its file row numbers (default 2, 3, …)."""
    raw = raw.reset_index(drop=True)
    numbers = pd.Series(np.arange(2, len(raw) + 2, dtype="int64") if rows is None else np.asarray(rows, dtype="int64"))
    now_utc = pd.Timestamp(now or datetime.now(UTC).replace(tzinfo=None))
    cells = raw[list(COLUMNS)]
    text = {c: _text(cells[c]) for c in COLUMNS}

    header = np.logical_and.reduce([(text[c] == c).fillna(False).to_numpy(dtype=bool) for c in COLUMNS])
    first = text[COLUMNS[0]]
    for c in COLUMNS[1:]:
        first = first.fillna(text[c])
    totals = first.str.lower().str.rstrip(":： ").isin(TOTALS_WORDS).to_numpy(dtype=bool) & ~header
    duplicate = cells.duplicated(keep="first").to_numpy() & ~header & ~totals
    plain = ~header & ~totals & ~duplicate

    is_refund = text["InvoiceNo"].str.startswith("C", na=False).to_numpy(dtype=bool)
    routed = {"orders": ~is_refund, "order_items": ~is_refund, "refunds": is_refund}

    order_id, order_id_lost = _identifier(_typed(text["InvoiceNo"]))
    customer, customer_lost = _identifier(_typed(text["CustomerID"]))
    sku, sku_lost = _identifier(_typed(text["StockCode"]))

    quantity_text = _typed(text["Quantity"])
    quantity_number = pd.to_numeric(quantity_text, errors="coerce")
    quantity_bad = quantity_text.notna() & (quantity_number.isna() | (quantity_number % 1 != 0))
    quantity = quantity_number.where(~quantity_bad)

    price_text = _typed(text["UnitPrice"])
    price_number = pd.to_numeric(price_text, errors="coerce")
    price_unparsed = (price_text.notna() & price_number.isna()) | (price_number.abs() >= 1e16)
    scaled = price_number * 10_000
    price_too_precise = ~price_unparsed & ((scaled - scaled.round()).abs() > 1e-3)
    price = price_number.where(~price_unparsed & ~price_too_precise)

    amount_unparsed = (quantity_text.notna() & quantity_number.isna()) | (price_text.notna() & price_number.isna())
    amount = (quantity_number * price_number).round(2)

    time_text = _typed(text["InvoiceDate"])
    local = pd.to_datetime(time_text, format=TIME_FORMAT, errors="coerce")
    time_unparsed = time_text.notna() & local.isna()
    implausible = (local.dt.year < 1900) | (local.dt.year > 2200)
    utc = (
        local.dt.tz_localize(timezone, ambiguous=np.zeros(len(local), dtype=bool), nonexistent="shift_forward")
        .dt.tz_convert("UTC")
        .dt.tz_localize(None)
    )
    future = utc > now_utc + timedelta(days=1)
    time_rules = [
        (time_unparsed, "parse.timestamp"),
        (implausible, "range.implausible_date"),
        (future, "range.future_date"),
    ]

    errors = _Errors(numbers)

    errors.add(header, None, None, "row.repeated_header")
    errors.add(totals, None, None, "row.totals_row")
    errors.add(duplicate, None, None, "row.duplicate")

    def cell(table: str, column: str, *rules: tuple[pd.Series | np.ndarray, str]) -> None:
        errors.add_first(routed[table] & plain, table, column, rules)

    amount_rules = [(amount_unparsed, "parse.decimal"), (amount < 0, "range.below_minimum")]
    cell("orders", "order_id", (order_id_lost, "parse.id_precision_lost"), (order_id.isna(), "required.missing"))
    cell("orders", "customer_id", (customer_lost, "parse.id_precision_lost"))
    cell("orders", "order_time", *time_rules, (utc.isna(), "required.missing"))
    cell("orders", "goods_amount", *amount_rules)
    cell("orders", "total_amount", *amount_rules)
    cell("orders", "item_count", (quantity_bad, "parse.integer"), (quantity < 0, "range.below_minimum"))
    cell("order_items", "order_id", (order_id_lost, "parse.id_precision_lost"), (order_id.isna(), "required.missing"))
    cell("order_items", "sku", (sku_lost, "parse.id_precision_lost"))
    cell("order_items", "quantity", (quantity_bad, "parse.integer"), (quantity.isna(), "required.missing"))
    cell("order_items", "unit_price", (price_unparsed, "parse.decimal"), (price_too_precise, "parse.too_many_decimals"))
    cell("order_items", "amount", *amount_rules)
    cell("order_items", "quantity", (quantity <= 0, "range.non_positive_quantity"))
    cell("order_items", "unit_price", (price == 0, "range.zero_price"))
    cell("order_items", "unit_price", (price < 0, "range.negative_price"))
    cell("refunds", "refund_id", (order_id_lost, "parse.id_precision_lost"), (order_id.isna(), "required.missing"))
    cell("refunds", "customer_id", (customer_lost, "parse.id_precision_lost"))
    cell("refunds", "sku", (sku_lost, "parse.id_precision_lost"))
    cell("refunds", "quantity", (quantity_bad, "parse.integer"), (-quantity < 1, "range.below_minimum"))
    cell("refunds", "amount", (amount_unparsed, "parse.decimal"), (-amount < 0, "range.below_minimum"))
    cell("refunds", "requested_at", *time_rules)

    # An order's lines must agree on customer and country (NaN does not disagree).
    orders_ok = routed["orders"] & plain & ~errors.any
    group = pd.DataFrame({"order_id": order_id, "customer_id": customer, "country": text["Country"]})[orders_ok]
    distinct = group.groupby("order_id", sort=False)[["customer_id", "country"]].nunique()
    for column in ("customer_id", "country"):
        conflicting = distinct.index[distinct[column] > 1]
        errors.add(routed["orders"] & order_id.isin(conflicting).to_numpy(), "orders", column, "conflict.values")
    # An order lands whole or not at all: the other lines of an order with a bad line wait.
    failed = order_id[routed["orders"] & errors.any_but_duplicate].dropna().unique()
    errors.add(
        routed["orders"] & ~errors.any & order_id.isin(failed).to_numpy(),
        "orders",
        "source,order_id",
        "group.incomplete",
    )
    parents = order_id[routed["orders"] & ~errors.any]
    orphan = routed["order_items"] & ~errors.any & order_id.notna().to_numpy() & ~order_id.isin(parents).to_numpy()
    errors.add(orphan, "order_items", "source,order_id", "ref.missing_parent")

    accepted = plain & ~errors.any
    take = accepted & routed["orders"]
    lines = pd.DataFrame(
        {
            "order_id": order_id[take],
            "customer_id": customer[take],
            "order_time": utc[take],
            "country": text["Country"][take],
            "amount": amount[take],
            "quantity": quantity[take],
        }
    )
    orders = (
        lines.groupby("order_id", sort=False)
        .agg(
            customer_id=("customer_id", "first"),
            order_time=("order_time", "min"),
            country=("country", "first"),
            goods_amount=("amount", "sum"),
            item_count=("quantity", "sum"),
        )
        .reset_index()
    )
    orders["total_amount"] = orders["goods_amount"]
    orders["source"], orders["currency"] = source, currency
    orders["member_id"] = _member_ids(source, orders["customer_id"])

    items = pd.DataFrame(
        {
            "order_id": order_id[take],
            "sku": sku[take],
            "product_name": text["Description"][take],
            "quantity": quantity[take],
            "unit_price": price[take],
            "amount": amount[take],
        }
    )
    items.insert(1, "line_no", items.groupby("order_id", sort=False).cumcount() + 1)
    items["source"] = source

    take = accepted & routed["refunds"]
    refunds = pd.DataFrame(
        {
            "refund_id": order_id[take],
            "customer_id": customer[take],
            "sku": sku[take],
            "quantity": -quantity[take],
            "amount": -amount[take],
            "requested_at": utc[take],
        }
    )
    refunds.insert(1, "line_no", refunds.groupby("refund_id", sort=False).cumcount() + 1)
    refunds["source"], refunds["currency"] = source, currency
    refunds["member_id"] = _member_ids(source, refunds["customer_id"])

    quarantine = errors.frame()
    with_cells = cells.assign(row=numbers.to_numpy())
    quarantine = quarantine.merge(with_cells, on="row", how="left").sort_values(["row", "rule"], kind="stable")
    return Frames(orders, items, refunds, quarantine.reset_index(drop=True))


def stream(
    path: str | Path,
    con: duckdb.DuckDBPyConnection,
    *,
    chunksize: int = 250_000,
    now: datetime | None = None,
    **options: str,
) -> dict[str, int]:
    """Validate ``path`` in chunks and append each to ``con``; return the counts.

    The rows of the last invoice in a chunk wait for the next chunk, so orders, duplicates and
    line numbers are judged on whole invoices (this needs an invoice's lines to be contiguous).
    """
    counts = {"orders": 0, "order_items": 0, "refunds": 0, "quarantined": 0}
    now = now or datetime.now(UTC).replace(tzinfo=None)
    carry: pd.DataFrame | None = None
    next_row = 2
    created = False

    def flush(batch: pd.DataFrame) -> None:
        nonlocal created
        frames = validate(batch, rows=batch["_row"].to_numpy(), now=now, **options)
        write_duckdb(con, frames, append=created)
        created = True
        for key, value in frames.counts().items():
            counts[key] += value

    for chunk in read_chunks(path, chunksize):
        chunk.insert(0, "_row", np.arange(next_row, next_row + len(chunk), dtype="int64"))
        next_row += len(chunk)
        if carry is not None:
            chunk = pd.concat([carry, chunk], ignore_index=True)
        last = chunk["InvoiceNo"].iloc[-1]
        waiting = (chunk["InvoiceNo"] == last).to_numpy() if isinstance(last, str) else np.zeros(len(chunk), bool)
        carry = chunk[waiting]
        if (~waiting).any():
            flush(chunk[~waiting])
    if carry is not None and len(carry):
        flush(carry)
    return counts


def write_duckdb(con: duckdb.DuckDBPyConnection, frames: Frames, *, append: bool = False) -> None:
    """Write the four frames: ``CREATE TABLE … AS SELECT`` (typed like zhongtai's), or append."""
    orders = frames.orders[list(_ORDER_COLUMNS)]
    items = frames.order_items[list(_ITEM_COLUMNS)]
    refunds = frames.refunds[list(_REFUND_COLUMNS)]
    quarantine = frames.quarantine[["row", "table", "column", "rule", *COLUMNS]]
    if append:
        for name, frame in (
            ("orders", orders),
            ("order_items", items),
            ("refunds", refunds),
            ("quarantine", quarantine),
        ):
            if len(frame):
                con.append(name, frame)
        return
    con.register("orders_df", orders)
    con.register("items_df", items)
    con.register("refunds_df", refunds)
    con.register("quarantine_df", quarantine)
    # Every column typed explicitly: a chunk may hold no rows (or no customer ids) for a table.
    con.execute(
        "CREATE TABLE orders AS SELECT CAST(source AS VARCHAR) AS source, CAST(customer_id AS VARCHAR) AS customer_id, "
        "CAST(member_id AS VARCHAR) AS member_id, CAST(order_id AS VARCHAR) AS order_id, "
        "CAST(order_time AS TIMESTAMP) AS order_time, CAST(currency AS VARCHAR) AS currency, "
        "CAST(item_count AS BIGINT) AS item_count, CAST(goods_amount AS DECIMAL(18, 2)) AS goods_amount, "
        "CAST(total_amount AS DECIMAL(18, 2)) AS total_amount, CAST(country AS VARCHAR) AS country FROM orders_df"
    )
    con.execute(
        "CREATE TABLE order_items AS SELECT CAST(source AS VARCHAR) AS source, CAST(order_id AS VARCHAR) AS order_id, "
        "CAST(line_no AS BIGINT) AS line_no, CAST(sku AS VARCHAR) AS sku, "
        "CAST(product_name AS VARCHAR) AS product_name, CAST(quantity AS BIGINT) AS quantity, "
        "CAST(unit_price AS DECIMAL(18, 4)) AS unit_price, CAST(amount AS DECIMAL(18, 2)) AS amount FROM items_df"
    )
    con.execute(
        "CREATE TABLE refunds AS SELECT CAST(source AS VARCHAR) AS source, "
        "CAST(customer_id AS VARCHAR) AS customer_id, CAST(member_id AS VARCHAR) AS member_id, "
        "CAST(refund_id AS VARCHAR) AS refund_id, CAST(line_no AS BIGINT) AS line_no, CAST(sku AS VARCHAR) AS sku, "
        "CAST(quantity AS BIGINT) AS quantity, CAST(amount AS DECIMAL(18, 2)) AS amount, "
        "CAST(currency AS VARCHAR) AS currency, CAST(requested_at AS TIMESTAMP) AS requested_at FROM refunds_df"
    )
    con.execute(
        'CREATE TABLE quarantine AS SELECT CAST("row" AS BIGINT) AS "row", CAST("table" AS VARCHAR) AS "table", '
        'CAST("column" AS VARCHAR) AS "column", CAST(rule AS VARCHAR) AS rule, '
        "CAST(InvoiceNo AS VARCHAR) AS InvoiceNo, CAST(StockCode AS VARCHAR) AS StockCode, "
        "CAST(Description AS VARCHAR) AS Description, CAST(Quantity AS VARCHAR) AS Quantity, "
        "CAST(InvoiceDate AS VARCHAR) AS InvoiceDate, CAST(UnitPrice AS VARCHAR) AS UnitPrice, "
        "CAST(CustomerID AS VARCHAR) AS CustomerID, CAST(Country AS VARCHAR) AS Country FROM quarantine_df"
    )
    for name in ("orders_df", "items_df", "refunds_df", "quarantine_df"):
        con.unregister(name)


_ORDER_COLUMNS = (
    "source",
    "customer_id",
    "member_id",
    "order_id",
    "order_time",
    "currency",
    "item_count",
    "goods_amount",
    "total_amount",
    "country",
)
_ITEM_COLUMNS = ("source", "order_id", "line_no", "sku", "product_name", "quantity", "unit_price", "amount")
_REFUND_COLUMNS = (
    "source",
    "customer_id",
    "member_id",
    "refund_id",
    "line_no",
    "sku",
    "quantity",
    "amount",
    "currency",
    "requested_at",
)


class _Errors:
    """Quarantine records gathered rule by rule, and which rows have any."""

    def __init__(self, rows: pd.Series) -> None:
        self.rows = rows.to_numpy()
        self.any = np.zeros(len(rows), dtype=bool)
        self.any_but_duplicate = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, table: str | None, column: str | None, rule: str | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.any |= mask
        if not (isinstance(rule, str) and rule == "row.duplicate"):
            self.any_but_duplicate |= mask
        rules = rule[mask] if isinstance(rule, np.ndarray) else rule
        self.parts.append(pd.DataFrame({"row": self.rows[mask], "table": table, "column": column, "rule": rules}))

    def add_first(
        self, where: np.ndarray, table: str, column: str, rules: tuple[tuple[pd.Series | np.ndarray, str], ...]
    ) -> None:
        """One record per cell: the first rule (in order) the cell breaks."""
        conditions = [np.asarray(c, dtype=bool) for c, _ in rules]
        rule = np.select(conditions, [r for _, r in rules], default="")
        self.add(where & (rule != ""), table, column, rule)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "row": pd.Series(dtype="int64"),
                    "table": pd.Series(dtype=object),
                    "column": pd.Series(dtype=object),
                    "rule": pd.Series(dtype=object),
                }
            )
        return pd.concat(self.parts, ignore_index=True)


def _text(raw: pd.Series) -> pd.Series:
    """Trimmed text; blank cells are missing."""
    trimmed = raw.str.strip(WHITESPACE)
    return trimmed.mask(trimmed == "")


def _typed(text: pd.Series) -> pd.Series:
    """Text of a typed column: null words (``NULL``, ``N/A``, ``无`` …) are missing."""
    return text.mask(text.str.lower().isin(NULL_TOKENS))


def _identifier(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Ids stay text; ``12345.0`` loses ``.0``; a float-mangled id (``2.0E+18``) is an error."""
    value = text.copy()
    lost = np.zeros(len(text), dtype=bool)
    odd = text.str.contains(r"[.eE]", na=False).to_numpy(dtype=bool)
    if odd.any():
        sub = text[odd]
        broken = (sub.str.fullmatch(_SCIENTIFIC) | sub.str.fullmatch(r"[0-9]{16,}\.0+")).to_numpy(dtype=bool)
        whole = sub.str.fullmatch(r"[0-9]{1,15}\.0+").to_numpy(dtype=bool)
        lost[np.flatnonzero(odd)[broken]] = True
        value[lost] = np.nan
        value.iloc[np.flatnonzero(odd)[whole]] = sub[whole].str.extract(r"^([0-9]+)", expand=False)
    return value, lost


def _member_ids(source: str, customers: pd.Series) -> pd.Series:
    """zhongtai's provisional member id: ``M`` + 16 hex digits of md5(source, U+001F, customer id)."""
    ids = {
        c: "M" + hashlib.md5(f"{source}\x1f{c}".encode(), usedforsecurity=False).hexdigest()[:16]
        for c in customers.dropna().unique()
    }
    return customers.map(ids)
