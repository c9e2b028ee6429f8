"""Custom-SQL quality checks are accepted only as one read-only SELECT over canonical tables.

The text is parsed by SQLGlot (DuckDB dialect) and the *tree* is inspected; what runs later is the
tree re-rendered, never the text as written. Refused, each with its own error code and the file
and line of the check:

- anything but exactly one statement (``SELECT …; DROP …``);
- a statement that is not a query (INSERT, UPDATE, DELETE, CREATE, COPY, ATTACH, PRAGMA, SET …),
  also when hidden inside a CTE (``WITH x AS (DELETE … RETURNING *) SELECT …``);
- a table that is not a canonical warehouse table or a CTE of the query: this refuses file paths
  (``FROM '/etc/passwd'``), other schemas (``zt_meta``, the demo's scoring schema) and attached databases;
- table functions and scalar functions that read files, the environment or the catalogue
  (``read_csv``, ``read_text``, ``glob``, ``getenv``, ``query``, ``duckdb_settings`` …): every
  function SQLGlot does not know as a standard function is refused unless listed in
  :data:`ALLOWED_UNKNOWN_FUNCTIONS`.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from zhongtai.errors import ConfigError
from zhongtai.warehouse.model import TABLES

__all__ = ["ALLOWED_UNKNOWN_FUNCTIONS", "validate_custom_sql"]

_FORBIDDEN_NODES: tuple[type[exp.Expr], ...] = (
    exp.DML,
    exp.DDL,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Copy,
    exp.Attach,
    exp.Detach,
    exp.Pragma,
    exp.Set,
    exp.Command,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.LoadData,
    exp.Install,
    exp.Export,
    exp.Summarize,
    exp.Describe,
    exp.Show,
    exp.Cache,
    exp.Uncache,
    exp.Refresh,
    exp.Grant,
    exp.Revoke,
    exp.Analyze,
    exp.TruncateTable,
    exp.Kill,
    exp.Declare,
)
_FILE_READERS: tuple[type[exp.Expr], ...] = (exp.ReadCSV, exp.ReadParquet)

ALLOWED_UNKNOWN_FUNCTIONS = frozenset(
    {"date_diff", "datediff", "date_part", "strftime", "round_even", "list_contains", "bool_and", "bool_or"}
)
"""DuckDB functions SQLGlot parses as ``Anonymous`` that are pure (no files, no settings)."""


def _fail(code: str, file: str, line: int, **params: str) -> ConfigError:
    return ConfigError(code, file=file, line=line, **params)


def validate_custom_sql(text: str, *, file: str, line: int) -> exp.Query:
    """The parsed SELECT of a custom check, or :class:`ConfigError` saying why it is refused."""
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except (ParseError, TokenError) as exc:
        raise _fail("quality.sql_parse_error", file, line, detail=str(exc).splitlines()[0][:200]) from None
    if len(statements) != 1:
        raise _fail("quality.sql_not_single_statement", file, line, count=str(len(statements)))
    tree = statements[0]
    for node in tree.walk():
        if isinstance(node, _FILE_READERS):
            raise _fail("quality.sql_forbidden_function", file, line, function=type(node).__name__.lower())
        if isinstance(node, _FORBIDDEN_NODES):
            raise _fail("quality.sql_forbidden_statement", file, line, statement=type(node).__name__.upper())
    if not isinstance(tree, exp.Query):
        raise _fail("quality.sql_forbidden_statement", file, line, statement=type(tree).__name__.upper())
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            name = table.this.name if isinstance(table.this, exp.Anonymous) else type(table.this).__name__
            raise _fail("quality.sql_forbidden_function", file, line, function=name.lower())
        name = table.name
        schema = table.db.lower() if table.db else ""
        if table.catalog or schema not in ("", "main"):
            raise _fail("quality.sql_forbidden_table", file, line, table=table.sql(dialect="duckdb"))
        if not schema and name.lower() in ctes:
            continue
        if name not in TABLES:
            raise _fail("quality.sql_forbidden_table", file, line, table=name)
    for function in tree.find_all(exp.Anonymous):
        if function.name.lower() not in ALLOWED_UNKNOWN_FUNCTIONS:
            raise _fail("quality.sql_forbidden_function", file, line, function=function.name.lower())
    return tree
