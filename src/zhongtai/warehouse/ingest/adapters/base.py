"""The adapter contract: one module per platform export, each a mapping plus its provenance.

How to write an adapter
-----------------------
1. Find the platform's real export header (the merchant back-office download, not an API) and
   cite where it comes from in ``reference`` (documentation page, public sample file, or a
   public repository that parses it). Build a small fixture from that header under
   ``tests/fixtures/adapters/`` with rows that exercise the awkward parts of the format.
2. Declare a :class:`~zhongtai.warehouse.ingest.mapping.Mapping`: which header feeds which
   canonical column, with alternatives for known header variants, code ``values`` for status
   words, ``group_rows`` where order fields repeat on every line (so money is counted once),
   and ``timezone``/``currency`` of the export.
3. Personal columns (receiver name, phone, address) map onto canonical columns whose PII class
   the model declares; the adapter never logs or echoes them.
4. Idempotency comes from the natural key of each canonical table (order id, line number); an
   adapter must map every key column. Re-loading the same export is then a no-op and a
   corrected export updates only what changed.
5. Register the adapter in ``adapters/__init__.py`` and add a test that loads the fixture and
   checks the numbers a person would compute by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhongtai.warehouse.ingest.mapping import Mapping

__all__ = ["Adapter", "mapping_from_dict"]


@dataclass(frozen=True, slots=True)
class Adapter:
    """A named, documented mapping for one platform export."""

    name: str
    platform: str
    en: str
    zh: str
    mapping: Mapping
    reference: str
    formats: tuple[str, ...] = ("csv",)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "platform": self.platform,
            "en": self.en,
            "zh": self.zh,
            "tables": sorted(self.mapping.tables),
            "formats": list(self.formats),
            "reference": self.reference,
        }


def mapping_from_dict(data: dict[str, Any]) -> Mapping:
    """Build a validated mapping from a plain dict (adapters write mappings as Python data)."""
    return Mapping.model_validate(data)
