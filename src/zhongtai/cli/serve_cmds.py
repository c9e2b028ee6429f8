"""``zhongtai serve``: run the web console and the REST API on a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._common import Output, WorkspaceOpt, command

app = typer.Typer(help="Web server. / Web 服务。")


@app.command("serve")
@command
def serve(
    out: Output,
    host: Annotated[str, typer.Option(help="Address to listen on / 监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port / 端口")] = 8000,
    secure: Annotated[
        bool, typer.Option("--secure", help="Behind TLS: Secure cookies and HSTS / 部署在 TLS 之后")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Serve the web console and the REST API /api/v1 (one process owns the warehouse). / 启动控制台与 REST API。"""
    import logging

    import uvicorn

    from zhongtai.appdb import renew_owner_one_time_password
    from zhongtai.server import create_app

    access = logging.getLogger("zhongtai.server.access")  # one JSON line per request, to stderr
    access.setLevel(logging.INFO)
    access.addHandler(logging.StreamHandler())

    application = create_app(workspace, secure=secure)
    base = f"{'https' if secure else 'http'}://{host}:{port}"
    out.say("cli.serve.listening", url=base + "/", api=base + "/api/v1")
    first = renew_owner_one_time_password(application.state.zhongtai.workspace.app)
    if first is not None:
        out.say("cli.serve.first_admin", username=first.username, password=first.one_time_password)
    uvicorn.run(application, host=host, port=port, workers=1, access_log=False, log_level="warning")
