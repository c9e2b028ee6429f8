"""The data-quality board: the latest result per table and check, the trend over runs, run now."""

from zhongtai.policy import Capability
from zhongtai.server.pages.quality.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/quality", "Data quality", Capability.METRICS)])

__all__ = ["router"]
