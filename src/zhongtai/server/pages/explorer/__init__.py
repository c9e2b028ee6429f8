"""The metric explorer: metrics × dimensions × grain × period → chart, table, SQL and exports."""

from zhongtai.policy import Capability
from zhongtai.server.pages.explorer.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/explore", "Explore", Capability.METRICS)])

__all__ = ["router"]
