"""Alembic environment: runs on the connection :meth:`zhongtai.appdb.AppDB.migrate` hands over.

SQLite gets ``render_as_batch`` (it cannot ALTER most things in place, so Alembic copies the
table); constraint names come from the models' naming convention, identical on both backends.
"""

from __future__ import annotations

from alembic import context

from zhongtai.appdb import models
from zhongtai.appdb.types import Base

assert models.User.__table__ is not None  # importing the models registers their tables on Base.metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("zhongtai migrations run through zhongtai.appdb.AppDB.migrate(), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
