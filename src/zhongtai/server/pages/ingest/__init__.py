"""Loading files from the console: upload with progress, the load report, quarantined rows by role."""

from zhongtai.policy import Capability
from zhongtai.server.pages.ingest.routes import router
from zhongtai.server.pages.templating import NavItem, register_nav

register_nav([NavItem("/ingest", "Ingest", Capability.INGEST)])

__all__ = ["router"]
