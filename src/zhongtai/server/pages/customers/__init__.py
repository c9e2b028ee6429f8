"""The customer 360 in the console: find a member, then everything the shop knows, masked by role."""

from zhongtai.policy import Capability
from zhongtai.server.pages.customers.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/customers", "Customers", Capability.CUSTOMERS)])

__all__ = ["router"]
