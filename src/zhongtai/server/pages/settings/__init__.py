"""Settings: my account and password, users (admins), roles, API tokens, workspace and audit log."""

from zhongtai.server.pages.settings.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/settings", "Settings")])

__all__ = ["router"]
