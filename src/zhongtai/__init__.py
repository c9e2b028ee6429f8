"""zhongtai (中台): a data middle platform for e-commerce teams.

import zhongtai
ws = zhongtai.open("demo-workspace")
print(ws.overview().tables)
"""

from zhongtai._version import __version__
from zhongtai.errors import (
    ConfigError,
    ConflictError,
    EngineError,
    IngestError,
    InputError,
    NotFoundError,
    PermissionDenied,
    WorkspaceLockedError,
    ZhongtaiError,
)
from zhongtai.workspace import Overview, TableSummary, Workspace, init_workspace, open_workspace

open = open_workspace
init = init_workspace

__all__ = [
    "ConfigError",
    "ConflictError",
    "EngineError",
    "IngestError",
    "InputError",
    "NotFoundError",
    "Overview",
    "PermissionDenied",
    "TableSummary",
    "Workspace",
    "WorkspaceLockedError",
    "ZhongtaiError",
    "__version__",
    "init",
    "init_workspace",
    "open",
    "open_workspace",
]
