"""PII masking throughput: zhongtai's vectorised maskers against a plain per-value Python regex loop.

    python benchmarks/masking.py [--rows 1000000] [--repeat 3] [--write]

What a user would otherwise write is a loop over the values with Python's ``re`` (or
``Series.map`` with such a function). Each variant masks the same generated values (fixed seed)
and must produce the same output as zhongtai's per-value reference (checked before timing); the
table reports the best of ``--repeat`` runs, as seconds per million rows and rows per second:

- *phone column*: mainland mobiles in every written form (full-width digits, spaces and dashes,
  +86) -> ``138****8000``; the plain loop is ``re.sub`` on each value;
- *free text*: customer-service messages (zh/en, ~60 characters) with phones, e-mails and ID
  numbers inside, scrubbed for a role that may see no PII; the plain loop runs the same four
  patterns per value with ``re.sub``;
- *customer frame*: ``zhongtai.policy.mask`` on a 4-column Arrow table (name, phone, e-mail,
  remark) against ``pandas.Series.map`` with the per-value maskers.

``--write`` puts the table into the ``masking`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyarrow as pa

SEED = 20251125
SECTION = "masking"


@dataclass(frozen=True, slots=True)
class Timing:
    workload: str
    variant: str
    rows: int
    seconds: float

    @property
    def per_million(self) -> float:
        return self.seconds * 1_000_000 / self.rows

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_WORDS_ZH = ["您好", "我的", "订单", "还没有", "发货", "请", "联系", "电话", "邮箱", "退款", "谢谢", "地址", "身份证"]
_WORDS_EN = ["hello", "my", "order", "has", "not", "shipped", "please", "call", "mail", "refund", "thanks"]


def _phone(rng: random.Random) -> str:
    digits = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    style = rng.randrange(5)
    if style == 0:
        return digits
    if style == 1:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 2:
        return f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 3:
        return digits.translate(_WIDE)
    return f"0086{digits}"


def _email(rng: random.Random) -> str:
    local = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789._") for _ in range(rng.randint(1, 12)))
    return rng.choice("abcxyz") + local + "@" + rng.choice(["qq.com", "163.com", "example.com", "gmail.com"])


def _id(rng: random.Random) -> str:
    return (
        str(rng.randint(110000, 659999)) + f"{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}"
        f"{rng.randint(1, 28):02d}" + f"{rng.randint(0, 999):03d}" + rng.choice("0123456789X")
    )


def _message(rng: random.Random) -> str:
    words = [rng.choice(_WORDS_ZH if rng.random() < 0.6 else _WORDS_EN) for _ in range(rng.randint(4, 10))]
    pii = rng.random()
    if pii < 0.3:
        words.insert(rng.randrange(len(words) + 1), _phone(rng))
    elif pii < 0.45:
        words.insert(rng.randrange(len(words) + 1), _email(rng))
    elif pii < 0.5:
        words.insert(rng.randrange(len(words) + 1), _id(rng))
    return " ".join(words)


def generate(rows: int, seed: int = SEED) -> dict[str, list[str]]:
    """Deterministic columns: phone, free text, name, e-mail."""
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    return {
        "phone": [_phone(rng) for _ in range(rows)],
        "remark": [_message(rng) for _ in range(rows)],
        "name": [
            rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2))) for _ in range(rows)
        ],
        "email": [_email(rng) for _ in range(rows)],
    }


# -- what a user would write -------------------------------------------------------------------

_PLAIN_PHONE = re.compile(r"[^0-9０-９]")
_PLAIN_MOBILE = re.compile(r"^(?:[0０]{0,2}[8８][6６])?([1１][3-9３-９][0-9０-９])[0-9０-９]{4}([0-9０-９]{4})$")


def plain_phone_loop(values: list[str]) -> list[str]:
    """A per-value Python loop with the same rule as zhongtai's (the outputs are checked to agree)."""
    out = []
    for value in values:
        digits = _PLAIN_PHONE.sub("", value)
        if _PLAIN_MOBILE.search(digits):
            out.append(_PLAIN_MOBILE.sub(r"\1****\2", digits))
        else:
            out.append("****" + digits[-4:] if len(digits) >= 7 else "****")
    return out


def plain_text_loop(values: list[str]) -> list[str]:
    """Free-text scrubbing with Python ``re``, value by value (zhongtai's patterns, so outputs agree)."""
    from zhongtai.policy.maskers import PERSONAL_CLASSES, text_passes

    compiled = [(re.compile(p), r) for p, r in text_passes(PERSONAL_CLASSES)]
    out = []
    for value in values:
        for pattern, rewrite in compiled:
            value = pattern.sub(rewrite, value)
        out.append(value)
    return out


def _best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(rows: int = 1_000_000, repeat: int = 3) -> list[Timing]:
    """Time every variant on ``rows`` values per column; outputs are checked to agree first."""
    import pandas as pd

    from zhongtai.policy import PERSONAL_CLASSES, Principal, Role, mask, scrub_text
    from zhongtai.policy.maskers import mask_email, mask_name, mask_phone
    from zhongtai.policy.vector import mask_phone_array, scrub_text_array

    data = generate(rows)
    phones, texts = pa.array(data["phone"]), pa.array(data["remark"])
    viewer = Principal(user_id=None, name="bench", role=Role.VIEWER)
    table = pa.table(data)
    frame = pd.DataFrame(data)
    sample = slice(0, min(rows, 20_000))

    reference_phone = [mask_phone(v) for v in data["phone"][sample]]
    assert mask_phone_array(phones[sample]).to_pylist() == reference_phone
    assert plain_phone_loop(data["phone"][sample]) == reference_phone
    reference_text = [scrub_text(v) for v in data["remark"][sample]]
    assert scrub_text_array(texts[sample]).to_pylist() == reference_text
    assert plain_text_loop(data["remark"][sample]) == reference_text

    class _NoAudit:  # a viewer sees nothing unmasked, so nothing is ever recorded
        def record_disclosure(self, principal: Principal, disclosure: object) -> None:
            raise AssertionError("a viewer must not be shown unmasked PII")

    timings: list[Timing] = []

    def add(workload: str, variant: str, work: Callable[[], Any]) -> None:
        seconds, _ = _best(repeat, work)
        timings.append(Timing(workload, variant, rows, seconds))
        print(f"{workload:15} {variant:42} {seconds:8.3f} s", flush=True)

    add("phone column", "zhongtai (Arrow RE2 kernels)", lambda: mask_phone_array(phones))
    add("phone column", "plain Python loop (re.sub per value)", lambda: plain_phone_loop(data["phone"]))
    add("free text", "zhongtai (Arrow RE2 kernels)", lambda: scrub_text_array(texts, PERSONAL_CLASSES))
    add("free text", "plain Python loop (re.sub per value)", lambda: plain_text_loop(data["remark"]))
    add(
        "customer frame",
        "zhongtai mask() on an Arrow table",
        lambda: mask(table, viewer, table="customers", audit=_NoAudit(), what="bench"),
    )
    add(
        "customer frame",
        "pandas Series.map per value",
        lambda: frame.assign(
            phone=frame["phone"].map(mask_phone),
            name=frame["name"].map(mask_name),
            email=frame["email"].map(mask_email),
            remark=frame["remark"].map(scrub_text),
        ),
    )
    return timings


def render(timings: list[Timing], load: tuple[float, float] = (0.0, 0.0)) -> str:
    """The results table; ``load`` is the 1-minute load average at the start and end of the run."""
    from _harness import machine, machine_line, markdown_table

    rows = []
    by_workload: dict[str, list[Timing]] = {}
    for timing in timings:
        by_workload.setdefault(timing.workload, []).append(timing)
    for workload, group in by_workload.items():
        ours = group[0]
        for timing in group:
            rows.append(
                [
                    workload,
                    timing.variant,
                    f"{timing.per_million:.2f} s",
                    f"{timing.rate / 1e6:.2f} M/s",
                    "1.0×" if timing is ours else f"{timing.seconds / ours.seconds:.1f}× slower",
                ]
            )
    header = f"## PII masking ({timings[0].rows:,} rows, best of the runs)\n\n" + machine_line(machine(), load) + "\n\n"
    return header + markdown_table(
        ["workload", "variant", "per million rows", "rows per second", "vs zhongtai"], rows, "llrrr"
    )


def main(write: bool = False, rows: int = 1_000_000, repeat: int = 3) -> list[Timing]:
    from _harness import load_average

    started = load_average()
    timings = run(rows, repeat)
    text = render(timings, (started, load_average()))
    print("\n" + text)
    if write:
        from _harness import update_section

        update_section(SECTION, text)
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    main(write=args.write, rows=args.rows, repeat=args.repeat)
