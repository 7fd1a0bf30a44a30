"""The local web app for reviewing incidents in a browser (``minewatch serve``)."""

from minewatch.web.app import create_app

__all__ = ["create_app"]
