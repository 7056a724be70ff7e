"""The embedded reference implementation and its fault catalogue."""

from __future__ import annotations

from fcvalidate.server.app import ServerConfig, create_app
from fcvalidate.server.background import serve_in_background
from fcvalidate.server.faults import FAULTS, Fault

__all__ = ["FAULTS", "Fault", "ServerConfig", "create_app", "serve_in_background"]
