"""Where a data set's files are: an explicit folder, ``ZHONGTAI_DATA``, or (Online Retail) the sample.

A folder may be laid out like ``../shared/data`` (``cdnow/CDNOW_master.txt``) or hold the files
directly (``CDNOW_master.txt``). The package never looks for ``../shared``: without a folder only
the bundled Online Retail sample is available.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from zhongtai.datasets._spec import DatasetSpec
from zhongtai.errors import NotFoundError

__all__ = ["ENV_VAR", "NO_FOLDER", "Located", "available", "find_file", "locate", "resolve_folder"]

ENV_VAR = "ZHONGTAI_DATA"
NO_FOLDER = f"${ENV_VAR} (not set)"


@dataclass(frozen=True, slots=True)
class Located:
    """The files of one data set, by part name."""

    files: dict[str, Path]
    folder: Path | None
    sample: bool


def resolve_folder(path: str | os.PathLike[str] | None) -> Path | None:
    """``path`` if given, else ``$ZHONGTAI_DATA`` if set, else ``None``."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else None


def find_file(folder: Path, relative: str) -> Path | None:
    """``folder/relative``, else ``folder/<file name>``; ``None`` when neither is a file."""
    for candidate in (folder / relative, folder / Path(relative).name):
        if candidate.is_file():
            return candidate
    return None


@contextmanager
def locate(spec: DatasetSpec, path: str | os.PathLike[str] | None) -> Iterator[Located]:
    """The data set's files; without a folder, its bundled sample (if any).

    Raises :class:`NotFoundError` ``datasets.missing_files`` naming every missing file.
    """
    folder = resolve_folder(path)
    if folder is None and spec.sample is not None:
        sample = resources.files("zhongtai.datasets").joinpath("samples", spec.sample)
        with resources.as_file(sample) as sample_file:
            yield Located({spec.parts[0].name: sample_file}, None, True)
        return
    found: dict[str, Path] = {}
    missing: list[str] = []
    for part in spec.parts:
        file = find_file(folder, part.file) if folder is not None else None
        if file is None:
            missing.append(part.file)
        else:
            found[part.name] = file
    if missing:
        raise NotFoundError(
            "datasets.missing_files",
            name=spec.name,
            files=", ".join(missing),
            path=str(folder) if folder is not None else NO_FOLDER,
        )
    yield Located(found, folder, False)


def available(spec: DatasetSpec, folder: Path | None) -> bool:
    """Whether every file of ``spec`` is under ``folder``."""
    return folder is not None and all(find_file(folder, p.file) is not None for p in spec.parts)
