"""State-changing requests: sign in/out, incident decisions, user management.

Decisions go through ``minewatch.corroborate.service`` — the same functions
the ``minewatch incidents`` commands call — so the CLI and the browser see one
state and one audit log. Each decision first checks the version the reviewer
saw (under the app's write lock): a stale page gets a conflict, never a lost
update.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from minewatch.corroborate import service
from minewatch.corroborate.decisions import EDITABLE_FIELDS
from minewatch.store.web import ROLES
from minewatch.web import auth
from minewatch.web.core import Denied, Web

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _field(form: FormData, name: str) -> str:
    v = form.get(name)
    return v.strip() if isinstance(v, str) else ""


# -- signing in ----------------------------------------------------------------------------


def login_form(web: Web, request: Request) -> Response:
    token = auth.new_token()
    resp = web.render(
        request,
        "login.j2",
        web.session(request),
        login_csrf=token,
        next=_safe_next(request.query_params.get("next")),
        error=None,
    )
    web.set_cookie(resp, auth.LOGIN_CSRF_COOKIE, token, max_age=3600)
    return resp


async def login(web: Web, request: Request) -> Response:
    form = await request.form()
    if not auth.same_token(request.cookies.get(auth.LOGIN_CSRF_COOKIE), _field(form, "csrf")):
        raise Denied("missing or wrong CSRF token: reload the sign-in page and try again.")
    name, password = _field(form, "name"), form.get("password")
    ok = isinstance(password, str) and await run_in_threadpool(
        auth.check_password, web.store, name, password
    )
    nxt = _safe_next(_field(form, "next"))
    if not ok:
        token = auth.new_token()
        resp = web.render(
            request,
            "login.j2",
            None,
            status_code=401,
            login_csrf=token,
            next=nxt,
            error="Wrong name or password.",
        )
        web.set_cookie(resp, auth.LOGIN_CSRF_COOKIE, token, max_age=3600)
        return resp
    token = await run_in_threadpool(auth.start_session, web.store, name)
    web.store.log("login", "user", name, {}, who=name)
    done = web.redirect(nxt)
    web.set_cookie(done, auth.SESSION_COOKIE, token, max_age=auth.SESSION_HOURS * 3600)
    done.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/")
    return done


async def logout(web: Web, request: Request) -> Response:
    _sess, _form = await web.form(request, "viewer")
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if cookie:
        web.store.delete_session(auth.token_hash(cookie))
    resp = web.redirect("/login")
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


def _safe_next(value: str | None) -> str:
    """Only local paths (never //host or a scheme): no open redirect after sign-in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/incidents"


# -- incident decisions ------------------------------------------------------------------------


async def decide(web: Web, request: Request) -> Response:
    """POST /incidents/{id}/{action}: confirm, reject, merge, split or edit."""
    sess, form = await web.form(request, "reviewer")
    incident_id = request.path_params["incident_id"]
    action = request.path_params["action"]
    who = sess.user.name
    reason = _field(form, "reason") or None
    builders: dict[str, Callable[[], Callable[[], service.DecisionOutcome]]] = {
        "confirm": lambda: (
            lambda: service.review(web.store, incident_id, "confirm", reason=reason, who=who)
        ),
        "reject": lambda: (
            lambda: service.review(web.store, incident_id, "reject", reason=reason, who=who)
        ),
        "merge": lambda: _merge(web, incident_id, form, reason, who),
        "split": lambda: _split(web, incident_id, form, reason, who),
        "edit": lambda: _edit(web, incident_id, form, reason, who),
    }
    if action not in builders:
        return web.render(request, "error.j2", sess, 404, message=f"no action {action!r}")
    version = _field(form, "version")

    def run() -> service.DecisionOutcome:
        job = builders[action]()  # validates the form before the lock is taken
        with web.lock:
            service.require_version(web.store, incident_id, version)
            return job()

    try:
        outcome = await run_in_threadpool(run)
    except service.VersionConflict as e:
        return web.render(
            request, "error.j2", sess, 409, title="Conflict", message=str(e), back=incident_id
        )
    except service.DecisionError as e:
        return web.render(
            request, "error.j2", sess, 400, title="Not recorded", message=str(e), back=incident_id
        )
    now = outcome.incident
    target = f"/incidents/{now.id}" if now else "/incidents"
    where = f"; the events are now in {now.id} ({now.review})" if now else ""
    return web.redirect(target, f"Recorded decision {outcome.decision_id}: {action}{where}.")


def _merge(
    web: Web, incident_id: str, form: FormData, reason: str | None, who: str
) -> Callable[[], service.DecisionOutcome]:
    other = _field(form, "other")
    if not other:
        raise service.DecisionError("choose the incident to merge with")
    return lambda: service.merge(web.store, incident_id, other, reason=reason, who=who)


def _split(
    web: Web, incident_id: str, form: FormData, reason: str | None, who: str
) -> Callable[[], service.DecisionOutcome]:
    events = [v for v in form.getlist("events") if isinstance(v, str) and v]
    if not events:
        raise service.DecisionError("tick the reports to move into an incident of their own")
    return lambda: service.split(web.store, incident_id, events, reason=reason, who=who)


def _edit(
    web: Web, incident_id: str, form: FormData, reason: str | None, who: str
) -> Callable[[], service.DecisionOutcome]:
    name, raw = _field(form, "field"), _field(form, "value")
    if not reason:
        raise service.DecisionError("an edit needs a reason")
    if name == "country" and "country" not in EDITABLE_FIELDS:
        name, raw = "where", _country_as_where(web, incident_id, raw)
    return lambda: service.edit(web.store, incident_id, f"{name}={raw}", reason=reason, who=who)


def _country_as_where(web: Web, incident_id: str, raw: str) -> str:
    """A country edit as a ``where`` edit keeping the place (decisions set the
    incident's country from ``where.country``)."""
    code = raw.upper()
    if not _COUNTRY.match(code):
        raise service.DecisionError(f"country: expected a two-letter ISO code, got {raw!r}")
    inc = web.store.incident(incident_id)
    where: Any = inc.value("where") if inc else None
    if isinstance(where, list):
        where = where[0] if where else None
    place = dict(where) if isinstance(where, dict) else {"text": code, "name": code}
    # the gazetteer entry and province belong to the old country: keep only the
    # name, text and coordinates of the place
    place.pop("place_id", None)
    place.pop("admin1", None)
    place.update(country=code)
    place.setdefault("precision", 6)
    place.setdefault("relation", "in")
    return json.dumps(place, ensure_ascii=False)


# -- users (admins) ------------------------------------------------------------------------------


async def add_user(web: Web, request: Request) -> Response:
    sess, form = await web.form(request, "admin")
    name, role, password = _field(form, "name"), _field(form, "role"), form.get("password")
    try:
        if not isinstance(password, str):
            raise ValueError("a password is required")
        pw_hash = await run_in_threadpool(auth.hash_password, password)
        web.store.add_user(name, role, pw_hash, who=sess.user.name)
    except ValueError as e:
        return web.render(request, "error.j2", sess, 400, title="Not added", message=str(e))
    return web.redirect("/users", f"Added {name} ({role}).")


async def change_user(web: Web, request: Request) -> Response:
    sess, form = await web.form(request, "admin")
    name = request.path_params["name"]
    role = _field(form, "role") or None
    active = {"1": True, "0": False}.get(_field(form, "active"))
    if name == sess.user.name and (active is False or (role and role != "admin")):
        return web.render(
            request,
            "error.j2",
            sess,
            400,
            title="Not changed",
            message="You cannot demote or disable your own account (ask another admin).",
        )
    try:
        if role is not None and role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        web.store.set_user(name, who=sess.user.name, role=role, active=active)
    except ValueError as e:
        return web.render(request, "error.j2", sess, 400, title="Not changed", message=str(e))
    return web.redirect("/users", f"Changed {name}.")
