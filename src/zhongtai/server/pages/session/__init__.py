"""Sign-in, sign-out and the forced password change of the console."""

from zhongtai.server.pages.session.routes import router

__all__ = ["router"]
