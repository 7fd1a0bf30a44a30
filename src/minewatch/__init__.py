"""minewatch: an open-source landmine monitor."""

__version__ = "0.1.0"
