"""The overview (经营概览): the eight headline KPIs with period-over-period change and sparklines."""

from zhongtai.policy import Capability
from zhongtai.server.pages.overview.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/", "Overview", Capability.METRICS)])

__all__ = ["router"]
