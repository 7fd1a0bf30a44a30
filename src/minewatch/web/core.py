"""What every request handler shares: the store, templates, the signed-in user,
role and CSRF checks, and the write lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from minewatch.corroborate.present import fmt_count, fmt_place, fmt_value, fmt_when
from minewatch.store import Store
from minewatch.store.web import SessionRecord
from minewatch.web import auth

FLASH_COOKIE = "mw_flash"


class Denied(HTTPException):
    """A request refused (403) with a reason shown to the user."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=403, detail=detail)


@dataclass
class Web:
    """The app's state: one store, the templates, and a lock serialising decisions."""

    store: Store
    secure_cookies: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("minewatch.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            count=fmt_count, when=fmt_when, place=fmt_place, value=fmt_value, short=_short_id
        )

    # -- who is asking ----------------------------------------------------------------

    def session(self, request: Request) -> SessionRecord | None:
        return auth.current_session(self.store, request.cookies.get(auth.SESSION_COOKIE))

    def require(self, request: Request, role: str = "viewer") -> SessionRecord:
        """The signed-in session with at least ``role``; else redirect to login / 403."""
        sess = self.session(request)
        if sess is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(303, headers={"Location": f"/login?next={quote(target)}"})
        if not auth.may(sess.user.role, role):
            raise Denied(f"{sess.user.name} is a {sess.user.role}; this needs a {role}.")
        return sess

    async def form(self, request: Request, role: str) -> tuple[SessionRecord, FormData]:
        """Session and form of a state-changing request: role and CSRF token checked."""
        sess = self.session(request)
        if sess is None:
            raise Denied("not signed in (or the session expired): sign in again.")
        data = await request.form()
        given = request.headers.get("x-csrf-token") or _str(data.get("csrf"))
        if not auth.same_token(sess.csrf, given):
            raise Denied("missing or wrong CSRF token: reload the page and try again.")
        if not auth.may(sess.user.role, role):
            raise Denied(f"{sess.user.name} is a {sess.user.role}; this needs a {role}.")
        return sess, data

    def hidden_documents(self, sess: SessionRecord) -> frozenset[str]:
        """Documents this user may not see: confidential ones, for viewers."""
        if auth.may(sess.user.role, "reviewer"):
            return frozenset()
        return self.store.confidential_document_ids()

    # -- responses --------------------------------------------------------------------

    def render(
        self,
        request: Request,
        template: str,
        sess: SessionRecord | None,
        status_code: int = 200,
        **ctx: Any,
    ) -> HTMLResponse:
        raw_flash = request.cookies.get(FLASH_COOKIE)
        flash = unquote(raw_flash) if raw_flash else None
        html = self.env.get_template(template).render(
            request=request,
            user=sess.user if sess else None,
            csrf=sess.csrf if sess else "",
            may=lambda role: bool(sess and auth.may(sess.user.role, role)),
            flash=flash,
            **ctx,
        )
        resp = HTMLResponse(html, status_code=status_code)
        if flash:
            resp.delete_cookie(FLASH_COOKIE, path="/")
        return resp

    def redirect(self, url: str, flash: str | None = None) -> RedirectResponse:
        resp = RedirectResponse(url, status_code=303)
        if flash:
            self.set_cookie(resp, FLASH_COOKIE, flash[:300], max_age=60)
        return resp

    def set_cookie(self, resp: Response, name: str, value: str, max_age: int | None) -> None:
        resp.set_cookie(
            name,
            quote(value, safe=""),
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.secure_cookies,
        )


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _short_id(doc_id: str) -> str:
    """``sha256:abcdef…`` -> ``abcdef12``."""
    return doc_id.removeprefix("sha256:")[:12]
