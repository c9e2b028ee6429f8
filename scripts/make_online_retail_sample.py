"""Make the bundled UCI Online Retail sample from the full published file.

    python scripts/make_online_retail_sample.py [FULL_FILE] [TARGET]

defaults: ``../shared/data/online_retail_uci/Online_Retail.csv.gz`` →
``src/zhongtai/datasets/samples/online_retail_sample.csv.gz``.

The sample keeps every line of about 300 invoices, byte for byte and in file order (same
header), so loading it exercises the same mapping and the same quarantine rules as the full
file. Invoices are taken in the order of the SHA-256 of their number (a fixed pseudo-random
order, no seed needed): the first 260, then the next ones that add what the sample must show
until each minimum is met — cancellations (``C…``), invoices with exact duplicate lines, zero
prices, negative quantities outside cancellations, and a bad-debt adjustment (``A…``).
The gzip stream carries no file name or time stamp, so the output is identical on every run.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "online_retail_uci" / "Online_Retail.csv.gz"
DEFAULT_TARGET = REPO / "src" / "zhongtai" / "datasets" / "samples" / "online_retail_sample.csv.gz"

BASE_INVOICES = 290
MINIMUMS = {"cancelled": 40, "duplicate": 16, "zero_price": 12, "negative_quantity": 6, "adjustment": 1}


def features(lines: list[str]) -> dict[str, set[str]]:
    """For each feature the sample must show, the invoices that have it."""
    found: dict[str, set[str]] = {name: set() for name in MINIMUMS}
    seen: Counter[str] = Counter()
    for line in lines:
        invoice, _stock, _description, quantity, _date, price, _customer, _country = next(csv.reader([line]))
        seen[line] += 1
        if seen[line] == 2:
            found["duplicate"].add(invoice)
        if invoice.startswith("C"):
            found["cancelled"].add(invoice)
        elif invoice.startswith("A"):
            found["adjustment"].add(invoice)
        else:
            if float(price) == 0:
                found["zero_price"].add(invoice)
            if int(quantity) <= 0:
                found["negative_quantity"].add(invoice)
    return found


def choose(invoices: list[str], found: dict[str, set[str]]) -> set[str]:
    ranked = sorted(invoices, key=lambda i: hashlib.sha256(i.encode("ascii")).hexdigest())
    chosen = set(ranked[:BASE_INVOICES])
    for name, minimum in MINIMUMS.items():
        for invoice in ranked:
            if len(chosen & found[name]) >= minimum:
                break
            if invoice in found[name]:
                chosen.add(invoice)
    return chosen


def main(source: Path, target: Path) -> None:
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        header, *lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    numbers = [line.split(",", 1)[0] for line in lines]
    chosen = choose(sorted(set(numbers)), features(lines))
    kept = [line for line, number in zip(lines, numbers, strict=True) if number in chosen]
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(("\n".join([header, *kept]) + "\n").encode("utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    shown = features(kept)
    print(f"{target}: {len(chosen)} invoices, {len(kept)} lines, {len(buffer.getvalue())} bytes")
    print(", ".join(f"{name} {len(shown[name])}" for name in MINIMUMS))


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    main(args[0] if args else DEFAULT_SOURCE, args[1] if len(args) > 1 else DEFAULT_TARGET)
