"""Loaders for the real public data sets used by tests, benchmarks and demos.

    from zhongtai.datasets import datasets, load_dataset, read_dataset
    [d.name for d in datasets()]                       # what is known, and available where
    frame = read_dataset("cookie_cats", path="../shared/data")   # as published, typed
    load_dataset(ws, "online_retail")                  # canonical tables + raw table

Files are looked for under ``path``, else ``$ZHONGTAI_DATA``; the package bundles none of them
except a small sample of UCI Online Retail (CC BY 4.0), loaded when no folder is given.
Each data set fills canonical tables through the ingest engine (with quarantine and load
records) and is also written as published into schema ``datasets`` (see ``docs/en/datasets.md``).
"""

from zhongtai.datasets.catalogue import DatasetInfo, datasets
from zhongtai.datasets.loading import DatasetLoad, load_dataset, read_dataset

__all__ = ["DatasetInfo", "DatasetLoad", "datasets", "load_dataset", "read_dataset"]
