"""pytest plugin (pytest11 entry point): conformance inside another repository's test suite.

Silent unless asked: without --fc-base-url it adds no items and no fixture touches the network.
"""

from __future__ import annotations
