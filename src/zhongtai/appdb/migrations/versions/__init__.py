"""One module per migration, oldest first (``v0001_…``)."""

__all__: list[str] = []
