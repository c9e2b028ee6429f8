"""Ingest: files from many systems into the canonical model, with quarantine and load records."""

from zhongtai.warehouse.ingest.loader import IngestTarget, LoadResult, ingest_file
from zhongtai.warehouse.ingest.mapping import ColumnSpec, Mapping, Route, TableSpec, load_mapping, normalise_header
from zhongtai.warehouse.ingest.quarantine import export_quarantine, quarantine_file_name, read_quarantine
from zhongtai.warehouse.ingest.records import LoadRecord, TableCounts, get_load, list_loads
from zhongtai.warehouse.ingest.resolve import resolve_mapping

__all__ = [
    "ColumnSpec",
    "IngestTarget",
    "LoadRecord",
    "LoadResult",
    "Mapping",
    "Route",
    "TableCounts",
    "TableSpec",
    "export_quarantine",
    "get_load",
    "ingest_file",
    "list_loads",
    "load_mapping",
    "normalise_header",
    "quarantine_file_name",
    "read_quarantine",
    "resolve_mapping",
]
