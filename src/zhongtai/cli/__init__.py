"""The ``zhongtai`` command line: ``zhongtai <noun> <verb>``, every command with --workspace,
--json and --lang. Commands parse, call one library function and render; no logic lives here."""

from __future__ import annotations

import typer

from zhongtai.cli import (
    alerts_cmds,
    ask_cmds,
    audit_cmds,
    brand_cmds,
    customers_cmds,
    dashboards_cmds,
    datasets_cmds,
    demo_cmds,
    identity_cmds,
    ingest_cmds,
    jobs_cmds,
    metrics_cmds,
    metrics_explain_cmds,
    quality_cmds,
    serve_cmds,
    users_cmds,
    workspace_cmds,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="zhongtai",
    help="zhongtai (中台): the data middle platform for e-commerce teams. / 电商数据中台。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for module in (workspace_cmds, ingest_cmds):
    app.registered_commands += module.app.registered_commands
app.add_typer(ingest_cmds.quarantine_app, name="quarantine")
app.add_typer(jobs_cmds.app, name="jobs")
app.add_typer(datasets_cmds.app, name="datasets")
app.add_typer(users_cmds.app, name="users")
app.add_typer(users_cmds.tokens_app, name="tokens")
app.add_typer(audit_cmds.app, name="audit")
app.add_typer(audit_cmds.keys_app, name="keys")
app.add_typer(demo_cmds.app, name="demo")
app.add_typer(quality_cmds.app, name="quality")
app.add_typer(alerts_cmds.app, name="alerts")
app.add_typer(identity_cmds.app, name="identity")
app.add_typer(customers_cmds.app, name="customers")
app.add_typer(brand_cmds.app, name="brand")
app.add_typer(dashboards_cmds.app, name="dashboards")
app.registered_commands += ask_cmds.app.registered_commands  # zhongtai ask "…"
app.registered_commands += serve_cmds.app.registered_commands  # zhongtai serve
metrics_explain_cmds.register(metrics_cmds.app)  # zhongtai metrics explain
app.add_typer(metrics_cmds.app, name="metrics")


def main() -> None:
    app()
