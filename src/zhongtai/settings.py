"""Workspace settings: ``zhongtai.toml``.

Only settings live here; secrets come from the environment and are never written to the file.
"""

from __future__ import annotations

import tomllib
import zoneinfo
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from zhongtai.errors import ConfigError

__all__ = ["FORMAT_VERSION", "IngestSettings", "Settings", "ShopSettings", "read_settings", "write_settings"]

FORMAT_VERSION = 1
"""The workspace layout this release writes. Older layouts are migrated on open; newer are refused."""

SETTINGS_FILE = "zhongtai.toml"
CURRENCIES = ("CNY", "USD", "EUR", "GBP", "HKD", "JPY", "AUD", "CAD", "SGD")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceSection(_Section):
    format_version: int = FORMAT_VERSION
    created_with: str = ""


class ShopSettings(_Section):
    """The shop the workspace belongs to."""

    name: str = "My shop"
    currency: str = "CNY"
    timezone: str = "Asia/Shanghai"
    language: Literal["zh_CN", "en"] = "zh_CN"

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value.upper() not in CURRENCIES:
            raise ValueError(f"currency must be one of {', '.join(CURRENCIES)}")
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class IngestSettings(_Section):
    """How loads behave."""

    max_reject_rate: float = Field(0.5, ge=0, le=1)
    """A load whose share of rejected rows exceeds this is refused as a whole (likely a wrong mapping)."""
    memory_limit: str = "1GB"
    """Memory budget of the whole loading process (``1GB``, ``512MiB`` or ``25%`` of the machine):
    DuckDB gets 55 % of what the process does not already hold (at least 384 MiB), and larger files
    spill to the workspace's tmp/ folder."""


class Settings(_Section):
    workspace: WorkspaceSection = WorkspaceSection()
    shop: ShopSettings = ShopSettings()
    ingest: IngestSettings = IngestSettings()


def read_settings(folder: Path) -> Settings:
    """Parse and validate ``zhongtai.toml``; every problem is named with its key."""
    file = folder / SETTINGS_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        from zhongtai.errors import NotFoundError

        raise NotFoundError("workspace.not_found", path=str(folder)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("workspace.invalid_settings", file=str(file), problems=str(exc)) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError("workspace.invalid_settings", file=str(file), problems=problems) from None


def write_settings(folder: Path, settings: Settings) -> None:
    text = "# zhongtai workspace settings (secrets come from the environment, never from here)\n"
    text += tomli_w.dumps(settings.model_dump(mode="json"))
    (folder / SETTINGS_FILE).write_text(text, encoding="utf-8")
