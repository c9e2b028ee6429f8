"""The web server: the REST API ``/api/v1`` (and, later, the console pages) over one workspace.

``create_app(workspace_path)`` builds the FastAPI application; ``zhongtai serve`` runs it with
uvicorn. Routes live one folder/module per capability (``server/api/<capability>.py``) and call
the same library functions as the CLI; they hold no business logic.
"""

from zhongtai.server.app import create_app

__all__ = ["create_app"]
