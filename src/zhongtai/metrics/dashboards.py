"""Dashboards: the built-in boards (YAML in ``board_templates/``), the overview, and the saved
dashboards of app state checked against the dictionary before they are stored.

These are the functions the REST API, the console pages and the CLI call. Storage, sharing and
permission rules live in :mod:`zhongtai.appdb.dashboards`; this module adds what app state cannot
know: that the tiles name real metrics and dimensions (validated on every create, update and
import, with each problem naming ``layout[i]`` and the field), and how a board is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from zhongtai.appdb.dashboards import (
    CreateDashboardCommand,
    DashboardDraft,
    DashboardInfo,
    DeleteDashboardCommand,
    ShareDashboardCommand,
    UpdateDashboardCommand,
    get_dashboard,
)
from zhongtai.errors import InputError, NotFoundError
from zhongtai.metrics.board_eval import BoardResult, evaluate_board, latest_data_day
from zhongtai.metrics.boards import Board, InvalidBoard, check_board, parse_board, parse_filters, resolve_period
from zhongtai.metrics.dictionary import load_dictionary
from zhongtai.metrics.query import Filter
from zhongtai.policy import Principal

__all__ = [
    "TEMPLATE_DIR",
    "board_of",
    "copy_template",
    "create_dashboard",
    "dashboard_board",
    "delete_dashboard",
    "evaluate_dashboard",
    "export_dashboard",
    "list_templates",
    "load_template",
    "overview",
    "period_range",
    "share_dashboard",
    "update_dashboard",
]

TEMPLATE_DIR = Path(__file__).with_name("board_templates")


@cache
def _templates() -> dict[str, Board]:
    out: dict[str, Board] = {}
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        board = parse_board(yaml.safe_load(path.read_text(encoding="utf-8")))
        out[board.name] = board
    return out


def list_templates() -> list[Board]:
    """The built-in boards (``overview``, ``war_room``), by name."""
    return [b for _, b in sorted(_templates().items())]


def load_template(name: str) -> Board:
    """One built-in board; an unknown name is a 404 listing the known ones."""
    try:
        return _templates()[name]
    except KeyError:
        raise NotFoundError("boards.unknown_template", name=name, known=", ".join(sorted(_templates()))) from None


def period_range(
    workspace: Any, period: str, *, as_of: date | None = None, since: date | None = None, until: date | None = None
) -> tuple[date, date]:
    """``(since, until)`` for a request: explicit dates win; otherwise ``period`` ending with
    ``as_of`` (default: the shop-local day of the newest order, else today in UTC)."""
    if since is not None and until is not None:
        return since, until
    day = as_of or latest_data_day(workspace) or date.today()
    start, end = resolve_period(period, day)
    return since or start, until or end


def overview(
    workspace: Any,
    *,
    period: str = "7d",
    as_of: date | None = None,
    filters: tuple[Filter, ...] | None = None,
    principal: Principal | None = None,
) -> BoardResult:
    """The overview board (eight KPI cards) for ``period`` ending with ``as_of``."""
    board = load_template("overview")
    since, until = period_range(workspace, period, as_of=as_of)
    return evaluate_board(workspace, board, since=since, until=until, filters=filters, principal=principal)


def board_of(data: Mapping[str, Any], *, name: str = "dashboard") -> Board:
    """A board from a dashboard's JSON (``layout`` + ``filters`` = ``{period, filters}``)."""
    defaults = data.get("filters") or {}
    if not isinstance(defaults, Mapping):
        raise InvalidBoard([InputError("boards.bad_type", at="filters", expected="{period, filters}")], board=name)
    return parse_board(
        {
            "name": name,
            "title": data.get("name"),
            "description": data.get("description"),
            "period": defaults.get("period", "30d"),
            "filters": defaults.get("filters", []),
            "tiles": data.get("layout", []),
        }
    )


def dashboard_board(info: DashboardInfo) -> Board:
    """The board a stored dashboard describes."""
    return board_of({"name": info.name, "description": info.description, "layout": info.layout,
                     "filters": info.filters}, name=str(info.id))  # fmt: skip


def _checked(workspace: Any, board: Board) -> Board:
    check_board(board, load_dictionary(workspace))
    return board


def create_dashboard(
    workspace: Any,
    principal: Principal,
    *,
    name: str,
    layout: Sequence[Any] = (),
    filters: Mapping[str, Any] | None = None,
    description: str | None = None,
    template: str | None = None,
) -> DashboardInfo:
    """Validate the tiles against the dictionary and save a new dashboard owned by ``principal``."""
    board = _checked(workspace, board_of({"name": name, "layout": list(layout), "filters": filters or {}}, name=name))
    draft = DashboardDraft(name, board.layout(), board.defaults(), description, template)
    return CreateDashboardCommand(workspace.app, principal, draft).run()


def copy_template(workspace: Any, principal: Principal, template: str, *, name: str | None = None) -> DashboardInfo:
    """A new dashboard of the caller's, copied from a built-in board (then edited like any other)."""
    board = _checked(workspace, load_template(template))
    title = name or board.title.get("zh") or board.name
    draft = DashboardDraft(title, board.layout(), board.defaults(), board.description.get("zh"), board.name)
    return CreateDashboardCommand(workspace.app, principal, draft).run()


def update_dashboard(
    workspace: Any,
    principal: Principal,
    dashboard_id: int,
    *,
    version: int,
    name: str | None = None,
    description: str | None = None,
    layout: Sequence[Any] | None = None,
    filters: Mapping[str, Any] | None = None,
) -> DashboardInfo:
    """Edit version ``version`` of a dashboard (409 ``dashboards.stale_version`` when it moved on)."""
    new_layout: list[Any] | None = None
    new_filters: dict[str, Any] | None = None
    if layout is not None or filters is not None:
        current = get_dashboard(workspace.app, principal, dashboard_id)
        data = {
            "name": name or current.name,
            "layout": list(layout) if layout is not None else current.layout,
            "filters": dict(filters) if filters is not None else current.filters,
        }
        board = _checked(workspace, board_of(data, name=str(dashboard_id)))
        new_layout = board.layout() if layout is not None else None
        new_filters = board.defaults() if filters is not None else None
    return UpdateDashboardCommand(
        workspace.app, principal, dashboard_id, version=version, name=name, description=description,
        layout=new_layout, filters=new_filters,
    ).run()  # fmt: skip


def share_dashboard(
    workspace: Any, principal: Principal, dashboard_id: int, *, everyone: bool, users: Sequence[tuple[str, str]] = ()
) -> DashboardInfo:
    """Set who else may see (``view``) or edit (``edit``) a dashboard; the list replaces the old one."""
    return ShareDashboardCommand(workspace.app, principal, dashboard_id, everyone=everyone, users=users).run()


def delete_dashboard(workspace: Any, principal: Principal, dashboard_id: int) -> DashboardInfo:
    """Delete a dashboard (owner or admin); returns what was deleted."""
    return DeleteDashboardCommand(workspace.app, principal, dashboard_id).run()


def evaluate_dashboard(
    workspace: Any,
    principal: Principal,
    dashboard_id: int,
    *,
    period: str | None = None,
    as_of: date | None = None,
    since: date | None = None,
    until: date | None = None,
    where: Sequence[str] | None = None,
) -> BoardResult:
    """A saved dashboard evaluated: its default period and filters unless the caller gives others
    (``where`` items like ``channel=tmall`` replace the default filters)."""
    info = get_dashboard(workspace.app, principal, dashboard_id)
    board = dashboard_board(info)
    start, end = period_range(workspace, period or board.period, as_of=as_of, since=since, until=until)
    filters = parse_filters(list(where), "where") if where else None
    return evaluate_board(workspace, board, since=start, until=end, filters=filters, principal=principal)


def export_dashboard(workspace: Any, principal: Principal, dashboard_id: int) -> dict[str, Any]:
    """A dashboard as portable data (``zhongtai dashboards export``; ``import`` reads it back)."""
    info = get_dashboard(workspace.app, principal, dashboard_id)
    return {"name": info.name, "description": info.description, "filters": info.filters, "layout": info.layout}
