"""Load statuses the ingest pages show from data, marked with ``N_`` for the catalogue test."""

from __future__ import annotations

__all__ = ["WORDS"]


def N_(message: str) -> str:
    return message


WORDS = (N_("committed"), N_("refused"), N_("failed"), N_("running"), N_("unchanged"))
