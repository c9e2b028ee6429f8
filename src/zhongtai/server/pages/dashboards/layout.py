"""Editing a dashboard's tile list from the page's small forms: add, remove, move, resize.

Tiles flow left to right in a 12-column grid in list order, so after every edit the positions are
recomputed from the order and widths (``x`` = running width, ``y`` = row of the tile, ``h`` kept).
The metric layer validates the result when it is saved (:func:`zhongtai.metrics.dashboards.update_dashboard`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zhongtai.metrics.boards import GRID_COLUMNS

__all__ = ["moved", "new_tile", "reflow", "without"]


def reflow(layout: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tiles with positions re-flowed in list order (widths and heights kept)."""
    out: list[dict[str, Any]] = []
    x = y = row_height = 0
    for tile in layout:
        position = dict(tile.get("position") or {})
        w = min(max(int(position.get("w", 3)), 1), GRID_COLUMNS)
        h = max(int(position.get("h", 2)), 1)
        if x + w > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        out.append({**tile, "position": {"x": x, "y": y, "w": w, "h": h}})
        x += w
        row_height = max(row_height, h)
    return out


def new_tile(
    visual: str,
    metrics: Sequence[str],
    dimensions: Sequence[str],
    grain: str | None,
    width: int,
    title_zh: str = "",
    title_en: str = "",
) -> dict[str, Any]:
    """A tile as stored JSON (the metric layer checks names and combinations on save)."""
    title = {k: v.strip() for k, v in (("zh", title_zh), ("en", title_en)) if v.strip()}
    query: dict[str, Any] = {"metrics": list(metrics), "dimensions": list(dimensions)}
    if grain:
        query["grain"] = grain
    tile: dict[str, Any] = {"visual": visual, "query": query, "position": {"x": 0, "y": 0, "w": width, "h": 2}}
    if title:
        tile["title"] = title
    return tile


def without(layout: Sequence[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """The layout without tile ``index`` (an index out of range changes nothing)."""
    return [t for i, t in enumerate(layout) if i != index]


def moved(layout: Sequence[dict[str, Any]], index: int, step: int) -> list[dict[str, Any]]:
    """Tile ``index`` moved ``step`` places (−1 earlier, +1 later), clamped to the list."""
    tiles = list(layout)
    if not 0 <= index < len(tiles):
        return tiles
    target = min(max(index + step, 0), len(tiles) - 1)
    tile = tiles.pop(index)
    tiles.insert(target, tile)
    return tiles
