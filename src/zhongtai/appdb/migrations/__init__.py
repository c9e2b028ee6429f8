"""Alembic migrations of app state, shipped in the package and run by :meth:`zhongtai.appdb.AppDB.migrate`."""

__all__: list[str] = []
