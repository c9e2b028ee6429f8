"""Named random streams: every part of the shop draws from its own reproducible stream.

A stream is keyed by the seed and a path of names and integers (``("block", 17, "orders")``), so
changing how one part draws does not shift the numbers any other part sees, and block ``17`` gets
the same numbers whatever chunk it is generated in (``numpy.random.SeedSequence`` spawn keys).
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["rng_for"]


def _key(part: int | str) -> int:
    if isinstance(part, str):
        return zlib.crc32(part.encode("utf-8"))
    return int(part)


def rng_for(seed: int, *path: int | str) -> np.random.Generator:
    """A PCG64 generator for ``seed`` and the stream ``path`` (names are hashed with CRC-32)."""
    sequence = np.random.SeedSequence(seed, spawn_key=tuple(_key(p) for p in path))
    return np.random.Generator(np.random.PCG64(sequence))
