"""The ASGI application of ``minewatch serve`` (Starlette, Jinja2 templates).

Every page needs a signed-in user; viewers read, reviewers decide, admins
manage users. Static assets (htmx, Leaflet, CSS) ship in ``static/``; nothing
is loaded from another origin (the Content-Security-Policy says so too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from minewatch.store import Store
from minewatch.web import actions, pages
from minewatch.web.core import Web
from minewatch.web.mapdata import basemap_json

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        resp = await call_next(request)
        for k, v in HEADERS.items():
            resp.headers.setdefault(k, v)
        if not request.url.path.startswith("/static/"):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp


def create_app(store: Store, *, secure_cookies: bool = False) -> Starlette:
    """The web app over ``store``; ``secure_cookies`` when served behind HTTPS."""
    web = Web(store, secure_cookies=secure_cookies)

    def sync(fn: Callable[[Web, Request], Response]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            return fn(web, request)

        return endpoint

    def async_(
        fn: Callable[[Web, Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await fn(web, request)

        return endpoint

    def basemap(request: Request) -> Response:
        web.require(request)
        return Response(
            basemap_json(),
            media_type="application/geo+json",
            headers={"Cache-Control": "private, max-age=3600"},
        )

    def home(request: Request) -> Response:
        return RedirectResponse("/incidents", status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code in (301, 302, 303, 307) and exc.headers:
            return Response(status_code=exc.status_code, headers=exc.headers)
        titles: dict[int, str] = {403: "Refused", 404: "Not found", 405: "Not allowed"}
        return web.render(
            request,
            "error.j2",
            web.session(request),
            exc.status_code,
            title=titles.get(exc.status_code, "Error"),
            message=str(exc.detail),
        )

    static = resources.files("minewatch.web") / "static"
    routes: list[Any] = [
        Route("/", home),
        Route("/login", sync(actions.login_form), methods=["GET"]),
        Route("/login", async_(actions.login), methods=["POST"]),
        Route("/logout", async_(actions.logout), methods=["POST"]),
        Route("/incidents", sync(pages.incident_list)),
        Route("/incidents/{incident_id}", sync(pages.incident_page)),
        Route("/incidents/{incident_id}/{action}", async_(actions.decide), methods=["POST"]),
        Route("/documents/{doc:path}", sync(pages.document_page)),
        Route("/search", sync(pages.search_page)),
        Route("/audit", sync(pages.audit_page)),
        Route("/users", sync(pages.users_page), methods=["GET"]),
        Route("/users", async_(actions.add_user), methods=["POST"]),
        Route("/users/{name}", async_(actions.change_user), methods=["POST"]),
        Route("/map/basemap.geojson", basemap),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.web = web
    return app
