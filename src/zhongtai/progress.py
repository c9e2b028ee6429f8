"""Progress reporting shared by every long job (CLI progress bars, web job status)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    """Receives a job's phases and how far each has got."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase starts (``read``, ``validate``, ``write`` …); ``total`` in rows when known."""

    def advance(self, amount: int) -> None:
        """``amount`` more units of the current phase are done."""


class NullProgress:
    """Reports nowhere (library calls without a progress bar)."""

    def phase(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None
