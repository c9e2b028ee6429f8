"""Named jobs and post-load hooks.

Jobs are registered by the package that owns them (``@job("ingest")``); hooks let a capability
react to new data (quality checks, rollups, identity) without ingest importing it: a capability
calls :func:`register_post_load`, or publishes a ``zhongtai.post_load`` entry point that the
runner loads on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from zhongtai.errors import NotFoundError

if TYPE_CHECKING:
    from zhongtai.jobs.runner import HookContext, JobContext

__all__ = ["Hook", "JobSpec", "get_job", "job", "jobs", "post_load_hooks", "register_post_load", "unregister"]

JobFunction = Callable[["JobContext"], dict[str, Any]]
HookFunction = Callable[["HookContext"], dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    function: JobFunction
    en: str
    zh: str
    triggers_hooks: bool = False  # the job loads data, so post-load hooks run after it


@dataclass(frozen=True, slots=True)
class Hook:
    """A function run after every successful load that touched one of ``tables`` (all if empty)."""

    name: str
    function: HookFunction
    tables: tuple[str, ...] = field(default=())

    def wants(self, changed: set[str]) -> bool:
        return not self.tables or bool(changed & set(self.tables))


_JOBS: dict[str, JobSpec] = {}
_HOOKS: dict[str, Hook] = {}
_ENTRY_POINTS_LOADED = False


def job(name: str, *, en: str, zh: str, triggers_hooks: bool = False) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under ``name``."""

    def register(function: JobFunction) -> JobFunction:
        _JOBS[name] = JobSpec(name, function, en, zh, triggers_hooks)
        return function

    return register


def jobs() -> list[JobSpec]:
    _load_builtin()
    return sorted(_JOBS.values(), key=lambda j: j.name)


def get_job(name: str) -> JobSpec:
    _load_builtin()
    try:
        return _JOBS[name]
    except KeyError:
        raise NotFoundError("jobs.unknown", job=name, known=", ".join(sorted(_JOBS))) from None


def register_post_load(name: str, function: HookFunction, *, tables: tuple[str, ...] = ()) -> None:
    """Run ``function`` after each committed load that changed one of ``tables``."""
    _HOOKS[name] = Hook(name, function, tables)


def unregister(name: str) -> None:
    """Remove a post-load hook (tests and plugins that unload)."""
    _HOOKS.pop(name, None)


def post_load_hooks() -> list[Hook]:
    global _ENTRY_POINTS_LOADED
    if not _ENTRY_POINTS_LOADED:
        _ENTRY_POINTS_LOADED = True
        for point in entry_points(group="zhongtai.post_load"):
            target = point.load()
            register_post_load(point.name, target, tables=tuple(getattr(target, "tables", ())))
    return sorted(_HOOKS.values(), key=lambda h: h.name)


def _load_builtin() -> None:
    from zhongtai.jobs import builtin  # noqa: F401  (registers the built-in jobs)
