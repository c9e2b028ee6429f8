"""Words the alert pages show from data (statuses, severities, directions, history actions),
marked with ``N_`` so the catalogue test finds them; they are translated where shown."""

from __future__ import annotations

__all__ = ["WORDS"]


def N_(message: str) -> str:
    return message


WORDS = (
    N_("open"), N_("acknowledged"), N_("resolved"), N_("opened"), N_("updated"),
    N_("critical"), N_("warning"), N_("up"), N_("down"), N_("both"), N_("day"), N_("hour"),
)  # fmt: skip
