"""Vocabularies of the demo shop's text, as data: templates with ``{slot}`` references and slots.

One module per language and text kind. Lists are written most common first (the renderer draws
early alternatives more often). Keys name an aspect or a part of a text and, after a colon, a
level of sentiment from ``-2`` (strongly negative) to ``+2`` (strongly positive).
"""

from __future__ import annotations

__all__: list[str] = []
