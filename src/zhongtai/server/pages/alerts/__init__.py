"""Metric alerts: the list (status and severity filters, pages), one alert with its chart, ack/resolve."""

from zhongtai.policy import Capability
from zhongtai.server.pages.alerts.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/alerts", "Alerts", Capability.METRICS)])

__all__ = ["router"]
