"""Identity resolution at scale: zhongtai vs a straightforward networkx implementation of the same rules.

    python benchmarks/identity_resolve.py [--records 1000000] [--networkx-records 1000000] [--write]

Data: ``records`` synthetic accounts of ``records / 1.8`` people, each with 3 identifiers (phone,
e-mail, device) written the ways exports write them (``+86 138 …``, ``138-…``, full-width digits,
mixed-case e-mail), plus placeholders (``13800000000``) and shared family devices, in a fresh
DuckDB warehouse (``customers`` + ``identities``). Each variant runs in its own process; peak RSS is
polled with psutil.

- ``zhongtai``: ``resolve_identities(mode="full")`` — normalisation (SQL fast path + phonenumbers
  slow path), the graph (scipy.sparse.csgraph), stable ids and the ``member_id`` rewrite.
- ``zhongtai_incremental``: after the full run, 10,000 new accounts (half of them sharing a phone
  with an existing account) are loaded and ``resolve_identities(mode="incremental")`` is timed.
- ``networkx``: Python loop normalising with phonenumbers / ``str.lower``, the same caps per type and
  the same priority passes with the conflict rule, ``networkx.connected_components`` per pass.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve()
DOCS = BENCH.parents[1] / "docs" / "benchmarks.md"
SECTION = "identity_resolve"


def make_data(folder: Path, records: int, *, seed: int = 7, start: int = 0, load_id: int = 1) -> Path:
    """Write ``records`` synthetic accounts into ``folder/warehouse.duckdb`` (appending from ``start``)."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed + start)
    people = max(1, int(records / 1.8))
    idx = np.arange(start, start + records)
    person = rng.integers(0, people, records) if start == 0 else rng.integers(0, people * 2, records)
    digits = (13_000_000_000 + (person * 7_919 + 12_345) % 8_999_999_999).astype(np.int64).astype(str)
    style = rng.integers(0, 6, records)
    phone = np.where(style == 1, np.char.add("+86 ", digits), digits)
    chars = np.ascontiguousarray(digits.astype("U11")).view("U1").reshape(-1, 11)
    part = [np.ascontiguousarray(chars[:, a:b]).view(f"U{b - a}").ravel() for a, b in ((0, 3), (3, 7), (7, 11))]
    dashed = np.char.add(np.char.add(np.char.add(np.char.add(part[0], "-"), part[1]), "-"), part[2])
    phone = np.where(style == 2, dashed, phone)
    phone = np.where(style == 3, np.char.add("0086", digits), phone)
    phone = np.where(style == 4, np.char.translate(digits, str.maketrans("0123456789", "０１２３４５６７８９")), phone)
    phone = np.where(rng.random(records) < 0.01, "13800000000", phone)
    email = np.char.add(np.char.add("u", person.astype(str)), np.where(rng.random(records) < 0.1, "@QQ.com", "@qq.com"))
    family = person // 3
    device = np.char.add(
        "dev-", np.char.zfill(np.where(rng.random(records) < 0.1, family * 10, person * 10 + 1).astype(str), 12)
    )
    source = np.array(["tmall", "jd", "douyin", "miniprogram", "pos"])[idx % 5]
    cid = np.char.add("c", idx.astype(str))
    con = duckdb.connect(str(folder / "warehouse.duckdb"))
    con.execute(
        "CREATE TABLE IF NOT EXISTS customers (source VARCHAR, customer_id VARCHAR, member_id VARCHAR, _load_id BIGINT)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS identities (source VARCHAR, customer_id VARCHAR, member_id VARCHAR, "
        "id_type VARCHAR, id_value VARCHAR, _load_id BIGINT)"
    )
    con.execute("CREATE SCHEMA IF NOT EXISTS zt_meta")
    con.execute("CREATE TABLE IF NOT EXISTS zt_meta.loads (load_id BIGINT, status VARCHAR)")
    con.execute("INSERT INTO zt_meta.loads VALUES (?, 'committed')", [load_id])
    accounts = pa.table({"source": source, "customer_id": cid, "load_id": np.full(records, load_id)})
    con.register("accounts", accounts)
    con.execute(
        "INSERT INTO customers SELECT source, customer_id, "
        "'M' || SUBSTR(MD5(source || CHR(31) || customer_id), 1, 16), "
        "load_id FROM accounts"
    )
    for id_type, values in (("phone", phone), ("email", email), ("device_id", device)):
        con.register(
            "vals", pa.table({"source": source, "customer_id": cid, "v": values, "load_id": np.full(records, load_id)})
        )
        con.execute(
            "INSERT INTO identities SELECT source, customer_id, "
            "'M' || SUBSTR(MD5(source || CHR(31) || customer_id), 1, 16), "
            "?, v, load_id FROM vals",
            [id_type],
        )
        con.unregister("vals")
    con.close()
    return folder / "warehouse.duckdb"


def _variant(name: str, folder: Path, records: int) -> dict[str, Any]:
    """Run one variant in this process (called in a child); return seconds and counts."""
    if name in ("zhongtai", "zhongtai_incremental"):
        from zhongtai.warehouse.connection import Warehouse
        from zhongtai.warehouse.identity import resolve_identities

        wh = Warehouse(folder / "warehouse.duckdb", temp_directory=folder / "tmp", memory_limit="4GB")
        if name == "zhongtai_incremental":
            wh.close()
            make_data(folder, 10_000, start=records, load_id=2)
            wh = Warehouse(folder / "warehouse.duckdb", temp_directory=folder / "tmp", memory_limit="4GB")
        started = time.perf_counter()
        result = resolve_identities(wh, mode="full" if name == "zhongtai" else "incremental")
        seconds = time.perf_counter() - started
        wh.close()
        return {"seconds": seconds, "records": result.records, "members": result.members}
    import duckdb
    import networkx as nx
    import phonenumbers

    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    rows = con.execute("SELECT source || ':' || customer_id, id_type, id_value FROM identities").fetchall()
    con.close()
    started = time.perf_counter()
    placeholders = {"+8613800000000"}
    values: dict[tuple[str, str], set[str]] = {}
    for key, id_type, raw in rows:
        if id_type == "phone":
            try:
                parsed = phonenumbers.parse(raw, "CN")
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(parsed):
                continue
            norm = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            if norm in placeholders:
                continue
        else:
            norm = raw.strip().lower()
        values.setdefault((id_type, norm), set()).add(key)
    caps = {"phone": 8, "email": 8, "device_id": 4}
    levels = [["phone", "email"], ["device_id"]]
    accounts = {k for _, k, _ in ((0, r[0], 0) for r in rows)}
    label = {k: k for k in accounts}
    anchored: set[str] = set()
    for level in levels:
        graph = nx.Graph()
        graph.add_nodes_from(set(label.values()))
        now: set[str] = set()
        for (id_type, _), holders in values.items():
            if id_type not in level or len(holders) > caps[id_type]:
                continue
            comps = {label[h] for h in holders}
            if sum(1 for c in comps if c in anchored) > 1:
                continue
            first = next(iter(comps))
            graph.add_edges_from((first, c) for c in comps)
            now.update(holders)
        mapping = {}
        for component in nx.connected_components(graph):
            lead = min(component)
            for node in component:
                mapping[node] = lead
        label = {k: mapping[v] for k, v in label.items()}
        anchored = {label[k] for k in now} | {mapping[a] for a in anchored}
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": len(label), "members": len(set(label.values()))}


def run_child(name: str, folder: Path, records: int) -> dict[str, Any]:
    """Run a variant in a fresh interpreter, polling its peak RSS."""
    import psutil

    proc = subprocess.Popen(
        [sys.executable, str(BENCH), "--variant", name, "--dir", str(folder), "--records", str(records)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    peak = 0
    handle = psutil.Process(proc.pid)
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(
                peak, handle.memory_info().rss + sum(c.memory_info().rss for c in handle.children(recursive=True))
            )
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed: {err.decode()[-2000:]}")
    result = dict(json.loads(out.decode().strip().splitlines()[-1]))
    result["peak_gb"] = peak / 1e9
    return result


def measure(records: int, networkx_records: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="zt-identity-bench-") as tmp:
        folder = Path(tmp)
        (folder / "tmp").mkdir()
        make_data(folder, records)
        for name in ("zhongtai", "zhongtai_incremental"):
            rows.append({"variant": name, "records": records, **run_child(name, folder, records)})
    if networkx_records:
        with tempfile.TemporaryDirectory(prefix="zt-identity-bench-") as tmp:
            folder = Path(tmp)
            (folder / "tmp").mkdir()
            make_data(folder, networkx_records)
            rows.append(
                {"variant": "networkx", "records": networkx_records, **run_child("networkx", folder, networkx_records)}
            )
            if networkx_records != records:
                rows.append(
                    {
                        "variant": "zhongtai",
                        "records": networkx_records,
                        **run_child("zhongtai", folder, networkx_records),
                    }
                )
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| variant | accounts (recomputed) | identifier rows | members | seconds | peak RSS (GB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ident = "10,000 new" if r["variant"] == "zhongtai_incremental" else f"{3 * r['records']:,}"
        lines.append(
            f"| {r['variant']} | {r['records']:,} | {ident} | {r['members']:,} | "
            f"{r['seconds']:.1f} | {r['peak_gb']:.2f} |"
        )
    return "\n".join(lines)


def main(write: bool = False, records: int = 1_000_000, networkx_records: int = 1_000_000) -> list[dict[str, Any]]:
    rows = measure(records, networkx_records)
    text = _table(rows)
    print(text)
    if write:
        doc = DOCS.read_text(encoding="utf-8")
        start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
        if start in doc and end in doc:
            head, rest = doc.split(start, 1)
            _, tail = rest.split(end, 1)
            DOCS.write_text(head + start + "\n" + text + "\n" + end + tail, encoding="utf-8")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--networkx-records", type=int, default=1_000_000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(_variant(args.variant, args.dir, args.records)))
    else:
        main(write=args.write, records=args.records, networkx_records=args.networkx_records)
