"""Bad requests are refused up front, with coded messages in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhongtai.demo.config as demo_config
from zhongtai.cli import app
from zhongtai.demo import estimate_bytes, generate_demo, parse_seed
from zhongtai.demo.config import check_customers, prepare_folder
from zhongtai.errors import ConflictError, InputError


@pytest.mark.parametrize("customers", [0, -5, "0", "-1", "abc", "1.5", 10**9, True])
def test_sizes_outside_the_range_are_refused(tmp_path: Path, customers: object) -> None:
    with pytest.raises(InputError) as caught:
        generate_demo(tmp_path / "ws", customers=customers, seed=1)
    assert caught.value.code == "demo.invalid_customers"
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("seed", ["1.5", "abc", "", "-1", "1e3", "４２", -3, 2**63])
def test_seeds_that_are_not_whole_numbers_are_refused(tmp_path: Path, seed: object) -> None:
    with pytest.raises(InputError) as caught:
        generate_demo(tmp_path / "ws", customers=500, seed=seed)
    assert caught.value.code == "demo.invalid_seed"


def test_valid_inputs_parse() -> None:
    assert parse_seed("42") == 42
    assert parse_seed(" 7 ") == 7
    assert check_customers("1000") == 1000


def test_a_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConflictError) as caught:
        generate_demo(tmp_path, customers=500, seed=1)
    assert caught.value.code == "demo.folder_not_empty"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_force_never_deletes_files_zhongtai_did_not_create(tmp_path: Path) -> None:
    (tmp_path / "zhongtai.toml").write_text("", encoding="utf-8")
    (tmp_path / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(ConflictError) as caught:
        generate_demo(tmp_path, customers=500, seed=1, force=True)
    assert caught.value.code == "demo.foreign_files"
    assert (tmp_path / "thesis.docx").exists()
    assert (tmp_path / "zhongtai.toml").exists()


def test_force_clears_an_old_workspace(tmp_path: Path) -> None:
    for name in ("zhongtai.toml", "warehouse.duckdb"):
        (tmp_path / name).write_text("old", encoding="utf-8")
    (tmp_path / "quarantine").mkdir()
    (tmp_path / "quarantine" / "load-000001.parquet").write_text("old", encoding="utf-8")
    assert prepare_folder(tmp_path, force=True) == tmp_path.resolve()
    assert list(tmp_path.iterdir()) == []


def test_not_enough_disk_is_refused_before_anything_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_config, "free_bytes", lambda path: 50 * 1024**2)
    with pytest.raises(InputError) as caught:
        generate_demo(tmp_path / "ws", customers=1_000_000, seed=1)
    assert caught.value.code == "demo.not_enough_disk"
    assert "1,000,000" in caught.value.message("en")
    assert not (tmp_path / "ws").exists()


def test_disk_estimate_grows_with_the_shop() -> None:
    small, large = estimate_bytes(1_000), estimate_bytes(10_000_000)
    assert large > 1000 * (small - estimate_bytes(0)) * 0.99 > 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--customers", "0", "--seed", "1"], "demo.invalid_customers"),
        (["--customers", "-20", "--seed", "1"], "demo.invalid_customers"),
        (["--customers", "500", "--seed", "abc"], "demo.invalid_seed"),
    ],
)
def test_cli_reports_bad_input_with_its_code_and_exit_status(tmp_path: Path, args: list[str], code: str) -> None:
    result = CliRunner().invoke(app, ["demo", *args, str(tmp_path / "ws"), "--json", "--lang", "en"])
    assert result.exit_code == 3
    assert f'"code": "{code}"' in result.output


def test_cli_messages_read_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", "--customers", "500", "--seed", "1", str(tmp_path), "--lang", "zh_CN"])
    assert result.exit_code == 5
    assert "不是空目录" in result.output
