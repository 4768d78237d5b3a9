"""The web app: dashboard pages and the REST API over the service core (`govinspect serve`)."""

from govinspect.web.app import create_app

__all__ = ["create_app"]
