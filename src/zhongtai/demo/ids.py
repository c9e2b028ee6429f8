"""Identifier shapes per source system, built as Arrow strings (fast) from unique numbers.

Numbers are made unique by construction (block × stride + sequence) and scrambled by a
bijection so they do not read as a counter; the shapes follow what each platform prints.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from zhongtai.demo._arrow import fixed_ids
from zhongtai.demo.segments import DOUYIN, JD, MINIPROGRAM, POS, TMALL

__all__ = ["customer_ids", "numbered", "order_ids", "per_source", "scramble"]

CUSTOMER_FORMATS: dict[int, tuple[str, int, int, int, int]] = {
    # source: (prefix, digits, base, modulus, multiplier)
    TMALL: ("t_", 10, 0, 10**10, 2_654_435_761),
    JD: ("jd_", 10, 0, 10**10, 1_597_334_677),
    DOUYIN: ("", 16, 1_000_000_000_000_000, 10**15, 3_935_559_000_370_003),
    MINIPROGRAM: ("U", 9, 0, 10**9, 961_748_941),
    POS: ("VIP", 8, 0, 10**8, 48_271),
}
ORDER_FORMATS: dict[int, tuple[str, int, int, int, int]] = {
    TMALL: ("", 19, 2_500_000_000_000_000_000, 10**15, 3_935_559_000_370_003),
    JD: ("", 12, 200_000_000_000, 10**11, 2_654_435_761),
    DOUYIN: ("", 19, 6_900_000_000_000_000_000, 10**15, 2_862_933_555_777_941_757 % 10**15),
    MINIPROGRAM: ("WX", 16, 2_025_000_000_000_000, 10**14, 1_597_334_677),
    POS: ("PS", 14, 10_000_000_000_000, 10**12, 961_748_941),
}


def scramble(numbers: np.ndarray, modulus: int, multiplier: int, add: int = 12_345) -> np.ndarray:
    """``(n · multiplier + add) mod modulus``: a bijection when gcd(multiplier, modulus) = 1."""
    if modulus > 2**50:
        raise ValueError("scramble needs a modulus below 2**50")
    values = np.asarray(numbers, dtype=np.int64) % modulus
    factor = multiplier % modulus
    # a·b mod m without 128-bit integers: estimate the quotient in floating point, then the
    # remainder in wrapping int64 arithmetic (exact because the true remainder is small)
    quotient = np.floor(values.astype(np.float64) * float(factor) / modulus).astype(np.int64)
    remainder = (values * np.int64(factor) - quotient * np.int64(modulus)) % modulus
    return (remainder + add) % modulus


def _formatted(formats: dict[int, tuple[str, int, int, int, int]], source: int, numbers: np.ndarray) -> pa.Array:
    prefix, digits, base, modulus, multiplier = formats[source]
    return fixed_ids(prefix, base + scramble(numbers, modulus, multiplier), digits)


def customer_ids(source: int, person: np.ndarray) -> pa.Array:
    """The person's id in ``source`` (person numbers are unique in the shop)."""
    return _formatted(CUSTOMER_FORMATS, source, person)


def order_ids(source: int, numbers: np.ndarray) -> pa.Array:
    return _formatted(ORDER_FORMATS, source, numbers)


def numbered(prefix: str, numbers: np.ndarray, digits: int) -> pa.Array:
    return fixed_ids(prefix, numbers, digits)


def per_source(build: Callable[[int, np.ndarray], pa.Array], source: np.ndarray, numbers: np.ndarray) -> pa.Array:
    """Ids for rows of mixed sources: each source formatted its own way, in row order."""
    pieces: list[pa.Array] = []
    positions: list[np.ndarray] = []
    for s in np.unique(source):
        rows = np.flatnonzero(source == s)
        pieces.append(build(int(s), numbers[rows]))
        positions.append(rows)
    if not pieces:
        return pa.array([], pa.string())
    merged = pa.concat_arrays(pieces)
    order = np.argsort(np.concatenate(positions), kind="stable")
    return merged.take(pa.array(order))
