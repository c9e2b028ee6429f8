"""Boards as data: tiles (visual + metric query + grid position), their validation and periods.

A :class:`Board` is a list of :class:`Tile` values plus default filters and period; it is plain data,
read from YAML (the built-in boards), from JSON (a saved dashboard, the REST API) or written in code.
Everything here is pure: :func:`parse_board` turns JSON-like data into a board, collecting *every*
problem with its place (``layout[3].query.metrics[0]``) in one :class:`InvalidBoard`;
:func:`check_board` checks it against the metric dictionary; :mod:`zhongtai.metrics.board_plan`
groups the tiles into as few metric queries as possible and :mod:`zhongtai.metrics.board_eval` runs them.

Visuals (ECharts on the console, but nothing here depends on it):

- ``kpi``: one metric, no dimension, no grain: the value over the period, the previous period's
  value and change (环比 by default, 同比 with ``compare: previous_year``) and a sparkline
  (daily up to 62 days, weekly up to two years, monthly beyond; or the tile's ``sparkline``).
- ``line``: needs a grain; ``bar``: needs a grain or a dimension; ``pie``: one metric and one
  dimension, no grain; ``table``: anything.

The grid has 12 columns (:data:`GRID_COLUMNS`); ``x + w`` may not exceed it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from zhongtai.errors import InputError, ZhongtaiError
from zhongtai.metrics.dictionary import Dictionary, suggest
from zhongtai.metrics.query import COMPARISONS, FILTER_OPS, Filter, Grain

__all__ = [
    "GRID_COLUMNS",
    "MAX_TILES",
    "MAX_TILE_HEIGHT",
    "Board",
    "InvalidBoard",
    "Position",
    "Tile",
    "TileQuery",
    "Visual",
    "check_board",
    "check_filters",
    "parse_board",
    "parse_filters",
    "parse_tiles",
    "resolve_period",
    "sparkline_grain",
]

GRID_COLUMNS = 12
MAX_TILES = 60
MAX_TILE_HEIGHT = 24
_PERIOD = re.compile(r"(\d{1,3})d")


class Visual(StrEnum):
    KPI = "kpi"
    LINE = "line"
    BAR = "bar"
    TABLE = "table"
    PIE = "pie"


class InvalidBoard(InputError):
    """A board or tile spec with problems; ``problems`` names each (place, field, reason) in zh/en."""

    def __init__(self, problems: Sequence[ZhongtaiError], *, board: str = "") -> None:
        super().__init__("boards.invalid", board=board, count=len(problems))
        self.problems = list(problems)

    def message(self, lang: str | None = None) -> str:
        return "\n".join([super().message(lang)] + [f"- {p.message(lang)}" for p in self.problems])

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out = super().to_dict(lang)
        out["problems"] = [p.to_dict(lang) for p in self.problems]
        return out


@dataclass(frozen=True, slots=True)
class TileQuery:
    """The metric query of a tile, without the period (the board supplies it)."""

    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    grain: Grain | None = None
    filters: tuple[Filter, ...] = ()
    compare: str | None = None
    order_by: tuple[str, ...] = ()
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": list(self.metrics),
            "dimensions": list(self.dimensions),
            "grain": self.grain.value if self.grain else None,
            "filters": [_filter_dict(f) for f in self.filters],
            "compare": self.compare,
            "order_by": list(self.order_by),
            "limit": self.limit,
        }


@dataclass(frozen=True, slots=True)
class Position:
    """Grid cell of the top-left corner (``x`` column 0–11, ``y`` row) and size in grid units."""

    x: int
    y: int
    w: int
    h: int

    def to_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


@dataclass(frozen=True, slots=True)
class Tile:
    """One tile. ``title`` holds ``zh`` and ``en`` (empty: the first metric's dictionary label)."""

    visual: Visual
    query: TileQuery
    position: Position
    title: dict[str, str] = field(default_factory=dict)
    sparkline: Grain | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": dict(self.title),
            "visual": self.visual.value,
            "query": self.query.to_dict(),
            "position": self.position.to_dict(),
        }
        if self.sparkline is not None:
            out["sparkline"] = self.sparkline.value
        return out


@dataclass(frozen=True, slots=True)
class Board:
    """A board: tiles, the default period (``7d``, ``30d``, ``mtd``, ``ytd``) and default filters."""

    name: str
    tiles: tuple[Tile, ...]
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    period: str = "30d"
    filters: tuple[Filter, ...] = ()

    def layout(self) -> list[dict[str, Any]]:
        """The tiles as JSON (what a saved dashboard stores)."""
        return [t.to_dict() for t in self.tiles]

    def defaults(self) -> dict[str, Any]:
        """The default period and filters as JSON (what a saved dashboard stores)."""
        return {"period": self.period, "filters": [_filter_dict(f) for f in self.filters]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": dict(self.title),
            "description": dict(self.description),
            **self.defaults(),
            "tiles": self.layout(),
        }


def _filter_dict(f: Filter) -> dict[str, Any]:
    return {"dimension": f.dimension, "op": f.op, "values": list(f.values)}


# -- parsing (structure) ---------------------------------------------------------------------------


class _Problems(list[ZhongtaiError]):
    def add(self, code: str, **params: Any) -> None:
        self.append(InputError(code, **params))


def _texts(value: Any, at: str, problems: _Problems) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"zh": value.strip(), "en": value.strip()} if value.strip() else {}
    if isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        out = {k: v.strip() for k, v in value.items() if k in ("zh", "en") and v.strip()}
        if "zh" in out and "en" not in out:
            out["en"] = out["zh"]
        if "en" in out and "zh" not in out:
            out["zh"] = out["en"]
        if any(len(v) > 200 for v in out.values()):
            problems.add("boards.text_too_long", at=at, max=200)
        return out
    problems.add("boards.bad_type", at=at, expected="text | {zh, en}")
    return {}


def _names(value: Any, at: str, problems: _Problems, *, required: bool = False) -> tuple[str, ...]:
    if value is None:
        if required:
            problems.add("boards.missing_field", at=at)
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add("boards.bad_type", at=at, expected="[text]")
        return ()
    if required and not value:
        problems.add("boards.missing_field", at=at)
    names = tuple(v.strip() for v in value)
    if len(set(names)) != len(names):
        problems.add("boards.duplicate", at=at)
        return tuple(dict.fromkeys(names))
    return names


def parse_filters(value: Any, at: str, problems: list[ZhongtaiError] | None = None) -> tuple[Filter, ...]:
    """Filters from JSON: ``"channel=tmall"`` text or ``{dimension, op, values}`` objects.

    Problems are appended to ``problems`` when given; otherwise the first raises an :class:`InvalidBoard`.
    """
    from zhongtai.metrics.query import parse_where

    own = _Problems()
    out: list[Filter] = []
    if value is None:
        value = []
    if not isinstance(value, list | tuple):
        own.add("boards.bad_type", at=at, expected="[filter]")
        value = []
    for j, item in enumerate(value):
        where = f"{at}[{j}]"
        if isinstance(item, str):
            try:
                out.append(parse_where(item))
            except InputError:
                own.add("boards.bad_filter", at=where, text=item[:100])
            continue
        if not isinstance(item, Mapping):
            own.add("boards.bad_type", at=where, expected="text | {dimension, op, values}")
            continue
        dimension, op, values = item.get("dimension"), item.get("op", "eq"), item.get("values", item.get("value"))
        if not isinstance(dimension, str) or not dimension.strip():
            own.add("boards.missing_field", at=where + ".dimension")
            continue
        if op not in FILTER_OPS:
            own.add("boards.bad_value", at=where + ".op", value=str(op)[:40], known=", ".join(FILTER_OPS))
            continue
        if not isinstance(values, list | tuple):
            values = [values] if values is not None else []
        if not values or not all(isinstance(v, str | int | float | bool) for v in values):
            own.add("boards.missing_field", at=where + ".values")
            continue
        if op not in ("in", "not_in") and len(values) != 1:
            own.add("boards.filter_one_value", at=where + ".values", op=op)
            continue
        out.append(Filter(dimension.strip(), op, tuple(values)))
    if problems is not None:
        problems.extend(own)
    elif own:
        raise InvalidBoard(own)
    return tuple(out)


def _int(value: Any, at: str, problems: _Problems, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add("boards.bad_type", at=at, expected="integer")
        return low
    if not low <= value <= high:
        problems.add("boards.bad_position", at=at, min=low, max=high)
    return value


def _tile(raw: Any, i: int, problems: _Problems) -> Tile | None:
    at = f"layout[{i}]"
    if not isinstance(raw, Mapping):
        problems.add("boards.bad_type", at=at, expected="{title, visual, query, position}")
        return None
    before = len(problems)
    known = {"title", "visual", "query", "position", "sparkline"}
    for key in sorted(set(raw) - known, key=str):
        problems.add("boards.unknown_field", at=f"{at}.{key}", known=", ".join(sorted(known)))
    title = _texts(raw.get("title"), at + ".title", problems)
    visual_text = raw.get("visual")
    try:
        visual = Visual(str(visual_text))
    except ValueError:
        if visual_text is None:
            problems.add("boards.missing_field", at=at + ".visual")
        else:
            known_visuals = ", ".join(v.value for v in Visual)
            problems.add("boards.bad_value", at=at + ".visual", value=str(visual_text)[:40], known=known_visuals)
        visual = Visual.TABLE
    q = raw.get("query")
    if not isinstance(q, Mapping):
        problems.add("boards.missing_field" if q is None else "boards.bad_type", at=at + ".query", expected="{}")
        q = {"metrics": ["-"]}  # reported once, not again field by field
    qat = at + ".query"
    metrics = _names(q.get("metrics"), qat + ".metrics", problems, required=True)
    dimensions = _names(q.get("dimensions"), qat + ".dimensions", problems)
    grain = _grain(q.get("grain"), qat + ".grain", problems)
    filters = parse_filters(q.get("filters"), qat + ".filters", problems)
    compare = q.get("compare")
    if compare is not None and compare not in COMPARISONS:
        problems.add("boards.bad_value", at=qat + ".compare", value=str(compare)[:40], known=", ".join(COMPARISONS))
        compare = None
    order_by = _names(q.get("order_by"), qat + ".order_by", problems)
    limit = q.get("limit")
    if limit is not None:
        limit = _int(limit, qat + ".limit", problems, low=1, high=10_000)
    p = raw.get("position")
    if not isinstance(p, Mapping):
        problems.add("boards.missing_field" if p is None else "boards.bad_type", at=at + ".position", expected="{}")
        p = {"x": 0, "y": 0, "w": 1, "h": 1}
    pat = at + ".position"
    placed = len(problems)
    x = _int(p.get("x"), pat + ".x", problems, low=0, high=GRID_COLUMNS - 1)
    w = _int(p.get("w"), pat + ".w", problems, low=1, high=GRID_COLUMNS)
    if len(problems) == placed and x + w > GRID_COLUMNS:
        problems.add("boards.bad_position", at=pat + ".w", min=1, max=GRID_COLUMNS - x)
    y = _int(p.get("y"), pat + ".y", problems, low=0, high=10_000)
    h = _int(p.get("h"), pat + ".h", problems, low=1, high=MAX_TILE_HEIGHT)
    sparkline = _grain(raw.get("sparkline"), at + ".sparkline", problems)
    if len(problems) > before:
        return None
    query = TileQuery(metrics, dimensions, grain, filters, compare, order_by, limit)
    return Tile(visual, query, Position(x, y, w, h), title, sparkline)


def _grain(value: Any, at: str, problems: _Problems) -> Grain | None:
    if value is None:
        return None
    try:
        return Grain(value)
    except ValueError:
        problems.add("boards.bad_value", at=at, value=str(value)[:40], known=", ".join(g.value for g in Grain))
        return None


def parse_tiles(layout: Any, problems: list[ZhongtaiError]) -> tuple[Tile, ...]:
    """Tiles from a JSON list; every problem is appended to ``problems`` with its place."""
    own = _Problems()
    if not isinstance(layout, list | tuple):
        own.add("boards.bad_type", at="layout", expected="[tile]")
        problems.extend(own)
        return ()
    if len(layout) > MAX_TILES:
        own.add("boards.too_many_tiles", at="layout", max=MAX_TILES)
        problems.extend(own)
        return ()
    tiles = [_tile(raw, i, own) for i, raw in enumerate(layout)]
    problems.extend(own)
    return tuple(t for t in tiles if t is not None)


def parse_board(data: Any, *, name: str | None = None) -> Board:
    """A board from JSON/YAML data (``name, title, description, period, filters, tiles``).

    Raises :class:`InvalidBoard` naming every problem. The dictionary is not consulted here
    (see :func:`check_board`).
    """
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise InvalidBoard([InputError("boards.bad_type", at="board", expected="{name, tiles}")], board=name or "")
    board_name = name if name is not None else data.get("name")
    if not isinstance(board_name, str) or not board_name.strip():
        problems.add("boards.missing_field", at="name")
        board_name = ""
    known = {"name", "title", "description", "period", "filters", "tiles"}
    for key in sorted(set(data) - known, key=str):
        problems.add("boards.unknown_field", at=str(key), known=", ".join(sorted(known)))
    title = _texts(data.get("title"), "title", problems)
    description = _texts(data.get("description"), "description", problems)
    period = data.get("period", "30d")
    if not isinstance(period, str) or not _period_ok(period):
        problems.add("boards.bad_period", at="period", period=str(period)[:40])
        period = "30d"
    filters = parse_filters(data.get("filters"), "filters", problems)
    tiles = parse_tiles(data.get("tiles", []), problems)
    if problems:
        raise InvalidBoard(problems, board=board_name)
    return Board(board_name.strip(), tiles, title, description, period, filters)


# -- checking against the dictionary ---------------------------------------------------------------


def check_board(board: Board, dictionary: Dictionary) -> None:
    """Raise :class:`InvalidBoard` unless every tile's metrics, dimensions and filters resolve in
    ``dictionary``, each metric can be split by the tile's dimensions and filters, and each visual
    gets the shape it needs. Every problem names the tile (``layout[i]``) and the field."""
    problems = _Problems()
    _check_filters(board.filters, "filters", dictionary, problems)
    for i, tile in enumerate(board.tiles):
        _check_tile(tile, f"layout[{i}]", dictionary, problems)
    if problems:
        raise InvalidBoard(problems, board=board.name)


def check_filters(filters: Sequence[Filter], at: str, dictionary: Dictionary) -> None:
    """Raise :class:`InvalidBoard` unless every filter names a dictionary dimension (``at`` says
    where the filters came from, e.g. ``where`` for a request's filters)."""
    problems = _Problems()
    _check_filters(filters, at, dictionary, problems)
    if problems:
        raise InvalidBoard(problems)


def _check_filters(filters: Sequence[Filter], at: str, dictionary: Dictionary, problems: _Problems) -> None:
    for j, f in enumerate(filters):
        if f.dimension not in dictionary.dimensions:
            suggestion = suggest(f.dimension, dictionary.dimensions)
            problems.add(
                "boards.unknown_dimension", at=f"{at}[{j}].dimension", dimension=f.dimension, suggestion=suggestion
            )


def _check_tile(tile: Tile, at: str, d: Dictionary, problems: _Problems) -> None:
    q = tile.query
    qat = at + ".query"
    known_metrics = [m for m in q.metrics if m in d.metrics]
    for j, m in enumerate(q.metrics):
        if m not in d.metrics:
            problems.add("boards.unknown_metric", at=f"{qat}.metrics[{j}]", metric=m, suggestion=suggest(m, d.metrics))
    used = [(f"{qat}.dimensions[{j}]", name) for j, name in enumerate(q.dimensions)]
    used += [(f"{qat}.filters[{j}].dimension", f.dimension) for j, f in enumerate(q.filters)]
    for where, name in used:
        if name not in d.dimensions:
            problems.add("boards.unknown_dimension", at=where, dimension=name, suggestion=suggest(name, d.dimensions))
            continue
        for m in known_metrics:
            allowed = d.dimensions_for(m)
            if name not in allowed:
                problems.add(
                    "boards.dimension_not_allowed", at=where, metric=m, dimension=name, allowed=", ".join(allowed)
                )
    n_metrics, n_dims = len(q.metrics), len(q.dimensions)
    if tile.visual is Visual.KPI and (n_metrics != 1 or n_dims or q.grain or q.order_by or q.limit):
        problems.add("boards.kpi_shape", at=at + ".visual")
    if tile.visual is Visual.PIE and (n_metrics != 1 or n_dims != 1 or q.grain):
        problems.add("boards.pie_shape", at=at + ".visual")
    if tile.visual is Visual.LINE and q.grain is None:
        problems.add("boards.line_needs_grain", at=at + ".visual")
    if tile.visual is Visual.BAR and q.grain is None and not n_dims:
        problems.add("boards.bar_needs_axis", at=at + ".visual")
    if tile.sparkline is not None and tile.visual is not Visual.KPI:
        problems.add("boards.sparkline_kpi_only", at=at + ".sparkline")
    columns = {"period", *q.dimensions, *q.metrics}
    for j, key in enumerate(q.order_by):
        if key.removeprefix("-") not in columns:
            problems.add("boards.bad_order", at=f"{qat}.order_by[{j}]", column=key, known=", ".join(sorted(columns)))


# -- periods ---------------------------------------------------------------------------------------


def _period_ok(period: str) -> bool:
    match = _PERIOD.fullmatch(period)
    return period in ("mtd", "ytd") or (match is not None and 1 <= int(match.group(1)) <= 366)


def resolve_period(period: str, as_of: date) -> tuple[date, date]:
    """``(since, until)`` of a named period ending with day ``as_of`` (included); ``until`` is exclusive.

    ``Nd`` = the N days up to and including ``as_of`` (1–366); ``mtd`` / ``ytd`` = month / year to date.
    """
    if not _period_ok(period):
        raise InputError("boards.bad_period", at="period", period=period[:40])
    until = as_of + timedelta(days=1)
    if period == "mtd":
        return as_of.replace(day=1), until
    if period == "ytd":
        return as_of.replace(month=1, day=1), until
    match = _PERIOD.fullmatch(period)
    assert match is not None
    return until - timedelta(days=int(match.group(1))), until


def sparkline_grain(since: date, until: date) -> Grain:
    """Daily up to 62 days, weekly up to two years, monthly beyond."""
    days = (until - since).days
    return Grain.DAY if days <= 62 else Grain.WEEK if days <= 731 else Grain.MONTH
