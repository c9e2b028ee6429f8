"""``zhongtai serve`` is registered and refuses a workspace that does not exist with a clear error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zhongtai.cli import app

runner = CliRunner()


def test_serve_is_a_command_with_host_port_and_secure() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--secure", "--workspace"):
        assert option in result.output


def test_serve_on_a_missing_workspace_exits_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "-w", str(tmp_path / "nowhere"), "--lang", "en"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "nowhere" in result.output
