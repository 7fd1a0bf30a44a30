"""Passwords (argon2id), login sessions and CSRF tokens for the web app.

A session cookie holds a random token; the store keeps only its SHA-256, the
user and the session's CSRF token. Every state-changing request must carry that
CSRF token in a form field (or the ``X-CSRF-Token`` header), compared in
constant time. The login form, which has no session yet, uses a double-submit
token: a cookie and a form field that must match.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from minewatch.store import Store
from minewatch.store.web import ROLES, SessionRecord

SESSION_COOKIE = "mw_session"
LOGIN_CSRF_COOKIE = "mw_login_csrf"
SESSION_HOURS = 12
#: What each role may do; a role may do everything a lower one may.
RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 8

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def check_password(store: Store, name: str, password: str) -> bool:
    """True when ``name`` is an active user with this password."""
    user = store.user(name)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(user and user.active)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start_session(store: Store, name: str) -> str:
    """A new session for ``name``; returns the cookie value."""
    token = new_token()
    expires = (datetime.now(UTC) + timedelta(hours=SESSION_HOURS)).replace(microsecond=0)
    store.add_session(token_hash(token), name, new_token(), expires.isoformat())
    return token


def current_session(store: Store, cookie: str | None) -> SessionRecord | None:
    if not cookie:
        return None
    return store.session(token_hash(cookie))


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; False when either is missing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def may(role: str, needed: str) -> bool:
    """Whether ``role`` is at least ``needed`` (viewer < reviewer < admin)."""
    return RANK.get(role, -1) >= RANK[needed]
