"""A result cache for metric queries, for a process that owns the warehouse (the server).

The console's overview and dashboards ask the same few questions again and again; some of them
(distinct buyers, visitors, new customers) cannot be answered from additive rollups and scan raw
tables, which at a million customers costs seconds. Metabase and Superset answer repeats from a
result cache; zhongtai does the same, safely:

* the key is the exact SQL that would run (so the caller's data scope, the period, the filters and
  whether rollups answer are all part of it) plus the load ledger's last committed load (a new load
  changes the key, so nothing stale is served after a load);
* the owner of the cache clears it after every write it makes (the server does so when it releases
  its write lock: ingest, quality runs, identity resolution through the API), which also covers
  writes the ledger does not record;
* a cache is attached only where one process owns the warehouse (``zhongtai serve``); the CLI and
  library calls have none and always run the query.

Entries are immutable :class:`~zhongtai.metrics.serve.MetricResult` objects (Arrow tables), kept
least-recently-used up to ``size`` entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["ResultCache"]


class ResultCache:
    """A thread-safe LRU of metric results; ``hits``/``misses`` count lookups since the last clear."""

    def __init__(self, size: int = 512) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every result (call after writing to the warehouse)."""
        with self._lock:
            self._items.clear()
            self.hits = 0
            self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
