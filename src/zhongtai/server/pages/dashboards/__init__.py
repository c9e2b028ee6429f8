"""Dashboards users build, save and share (including the 28-indicator promo war room)."""

from zhongtai.policy import Capability
from zhongtai.server.pages.dashboards.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/dashboards", "Dashboards", Capability.METRICS)])

__all__ = ["router"]
