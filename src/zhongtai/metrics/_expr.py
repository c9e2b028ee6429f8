"""SQL expressions written in the dictionary, parsed once into SQLGlot trees.

Dictionary expressions (``paid_amount``, ``ch.platform``, ``ROW_NUMBER() OVER (...)``) are written
in DuckDB syntax by whoever maintains the catalogue. They are parsed with SQLGlot and must be a
single plain expression: statements, sub-queries and semicolons are refused, so a workspace YAML
file cannot smuggle a second statement into a query. User *values* never pass through here: they
become literals in :mod:`zhongtai.metrics.compiler`.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

__all__ = ["ExpressionProblem", "columns_of", "parse_expression"]

_FORBIDDEN = (exp.Query, exp.Subquery, exp.DDL, exp.DML, exp.Command, exp.Into, exp.Table)


class ExpressionProblem(ValueError):
    """An expression that is not a single plain SQL expression; the message says why (English)."""


@lru_cache(maxsize=4096)
def _parse(text: str) -> exp.Expr:
    if ";" in text:
        raise ExpressionProblem("a ';' is not allowed in an expression")
    try:
        statements = sqlglot.parse(text, read="duckdb")
    except ParseError as problem:
        raise ExpressionProblem(str(problem).splitlines()[0]) from None
    if len(statements) != 1 or statements[0] is None:
        raise ExpressionProblem("expected exactly one expression")
    tree = statements[0]
    bad = next((node for node in tree.walk() if isinstance(node, _FORBIDDEN)), None)
    if bad is not None:
        raise ExpressionProblem(f"{type(bad).__name__.lower()} is not allowed in an expression")
    return tree


def parse_expression(text: str) -> exp.Expr:
    """A fresh copy of the parsed tree of ``text`` (raises :class:`ExpressionProblem`)."""
    return _parse(text.strip()).copy()


def columns_of(tree: exp.Expr) -> list[exp.Column]:
    """Column references in ``tree`` (not the ones inside window specs' own names)."""
    return list(tree.find_all(exp.Column))
