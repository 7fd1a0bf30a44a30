"""Store methods for the web review: accounts, login sessions, full-text search
and the paged incident list. Mixed into :class:`minewatch.store.Store`.

Passwords arrive here already hashed (``minewatch.web.auth`` hashes them);
session tokens are stored as their SHA-256, never as the cookie value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, insert, not_, select, text, update

from minewatch.model import DocumentMeta, Event, Incident
from minewatch.store import schema as t
from minewatch.store.backend import PG_STEMMED, pg_tsquery

if TYPE_CHECKING:
    from sqlalchemy import Engine

ROLES = ("viewer", "reviewer", "admin")
#: Columns the incident list may be sorted by.
SORTS = {
    "when": t.incidents.c.when_start,
    "confidence": t.incidents.c.confidence,
    "sources": t.incidents.c.independent_sources,
    "type": t.incidents.c.type,
    "country": t.incidents.c.country,
    "review": t.incidents.c.review,
}


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    password_hash: str
    created_at: str
    active: bool


@dataclass(frozen=True)
class SessionRecord:
    token_hash: str
    user: UserRecord
    csrf: str
    expires_at: str


@dataclass(frozen=True)
class SearchHit:
    """A document matching a full-text query; ``snippet`` marks hits with \\x02..\\x03."""

    meta: DocumentMeta
    snippet: str


@dataclass
class IncidentFilter:
    """What the incident list shows (every field optional)."""

    country: str | None = None
    type: str | None = None
    year: int | None = None
    review: str | None = None
    min_confidence: float | None = None
    source: str | None = None  # publisher of a member document (substring)
    sort: str = "when"
    descending: bool = False
    hide_documents: frozenset[str] = field(default_factory=frozenset)  # confidential, for viewers


class WebStoreMixin:
    """Accounts, sessions, search and incident queries (needs ``self.engine``)."""

    engine: Engine

    # -- users ------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, *, who: str) -> None:
        """Create an account; ValueError if the name is taken or the role unknown."""
        from minewatch.store.store import Store, utc_now

        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if not name or len(name) > 80 or not name.isprintable() or name.strip() != name:
            raise ValueError("a user name is 1-80 printable characters, no outer spaces")
        with self.engine.begin() as conn:
            if conn.execute(select(t.users.c.name).where(t.users.c.name == name)).first():
                raise ValueError(f"user {name!r} exists")
            conn.execute(
                insert(t.users).values(
                    name=name,
                    role=role,
                    password_hash=password_hash,
                    created_at=utc_now(),
                    active=True,
                )
            )
            Store._log(conn, who, "user_add", "user", name, {"role": role})

    def set_user(
        self,
        name: str,
        *,
        who: str,
        role: str | None = None,
        password_hash: str | None = None,
        active: bool | None = None,
    ) -> None:
        """Change an account's role, password or active flag (logged; a password
        change or deactivation ends the user's sessions)."""
        from minewatch.store.store import Store

        values: dict[str, Any] = {}
        if role is not None:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
            values["role"] = role
        if password_hash is not None:
            values["password_hash"] = password_hash
        if active is not None:
            values["active"] = active
        if not values:
            return
        with self.engine.begin() as conn:
            res = conn.execute(update(t.users).where(t.users.c.name == name).values(**values))
            if res.rowcount == 0:
                raise ValueError(f"no user {name!r}")
            if password_hash is not None or active is False or role is not None:
                conn.execute(delete(t.web_sessions).where(t.web_sessions.c.user_name == name))
            detail = {k: v for k, v in values.items() if k != "password_hash"}
            if password_hash is not None:
                detail["password"] = "changed"
            Store._log(conn, who, "user_change", "user", name, detail)

    def user(self, name: str) -> UserRecord | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(t.users).where(t.users.c.name == name)).first()
        return None if r is None else _user(r)

    def users(self) -> list[UserRecord]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(t.users).order_by(t.users.c.name))]

    # -- sessions ---------------------------------------------------------------

    def add_session(self, token_hash: str, user_name: str, csrf: str, expires_at: str) -> None:
        from minewatch.store.store import utc_now

        with self.engine.begin() as conn:
            conn.execute(delete(t.web_sessions).where(t.web_sessions.c.expires_at < utc_now()))
            conn.execute(
                insert(t.web_sessions).values(
                    token_hash=token_hash,
                    user_name=user_name,
                    csrf=csrf,
                    created_at=utc_now(),
                    expires_at=expires_at,
                )
            )

    def session(self, token_hash: str) -> SessionRecord | None:
        """A live session of an active user, or None."""
        from minewatch.store.store import utc_now

        q = (
            select(t.web_sessions, t.users)
            .join(t.users, t.users.c.name == t.web_sessions.c.user_name)
            .where(
                t.web_sessions.c.token_hash == token_hash,
                t.web_sessions.c.expires_at > utc_now(),
                t.users.c.active.is_(True),
            )
        )
        with self.engine.connect() as conn:
            r = conn.execute(q).first()
        if r is None:
            return None
        return SessionRecord(r.token_hash, _user(r), r.csrf, r.expires_at)

    def delete_session(self, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.web_sessions).where(t.web_sessions.c.token_hash == token_hash))

    # -- full-text search -------------------------------------------------------------

    def search_documents(
        self, query: str, *, limit: int = 50, hide: frozenset[str] = frozenset()
    ) -> list[SearchHit]:
        """Documents matching ``query``, best first: words (all required; English
        stems, so mine = mines = mined) and "quoted phrases".

        SQLite: the FTS5 index of migration 0005_web, ranked by bm25. PostgreSQL:
        its tsvector index (same stems, no stop words), ranked by ts_rank; a
        document matches when its text, or its title, holds every term.
        """
        terms = _terms(query)
        if not terms:
            return []
        cols = [c for c in t.documents.c if c.name != "original"]
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
                rows = conn.execute(
                    text(
                        "SELECT document_id, snippet(documents_fts, 2, char(2), char(3), '…', 24) "
                        "AS snip FROM documents_fts WHERE documents_fts MATCH :q "
                        "ORDER BY bm25(documents_fts) LIMIT :n"
                    ),
                    {"q": match, "n": limit + len(hide)},
                ).all()
                snips = {str(r[0]): str(r[1]) for r in rows if str(r[0]) not in hide}
                ids = list(snips)[:limit]
            elif self.engine.dialect.name == "postgresql":
                tsq, params = pg_tsquery(terms)
                vec = f"to_tsvector('{PG_STEMMED}', x.text)"
                title = f"to_tsvector('{PG_STEMMED}', coalesce(d.title, ''))"
                rows = conn.execute(
                    text(
                        f"SELECT x.document_id, ts_headline('{PG_STEMMED}', x.text, q, :opts) "
                        f"FROM texts x JOIN documents d ON d.id = x.document_id, "
                        f"(SELECT {tsq} AS q) AS query "
                        f"WHERE {vec} @@ q OR {title} @@ q "
                        f"ORDER BY ts_rank({vec}, q) DESC, x.document_id LIMIT :n"
                    ),
                    {
                        **params,
                        "n": limit + len(hide),
                        # the same marks as SQLite's snippet(): char(2) ... char(3)
                        "opts": "StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=12",
                    },
                ).all()
                snips = {str(r[0]): str(r[1]) for r in rows if str(r[0]) not in hide}
                ids = list(snips)[:limit]
            else:
                cond = and_(*(t.texts.c.text.ilike(f"%{term}%") for term in terms))
                ids = [
                    str(r[0])
                    for r in conn.execute(select(t.texts.c.document_id).where(cond).limit(limit))
                    if str(r[0]) not in hide
                ]
                snips = {i: "" for i in ids}
            metas = {r.id: r for r in conn.execute(select(*cols).where(t.documents.c.id.in_(ids)))}
        from minewatch.store.store import Store

        return [SearchHit(Store._meta(metas[i]), snips[i]) for i in ids if i in metas]

    # -- incidents --------------------------------------------------------------------

    def incident(self, incident_id: str) -> Incident | None:
        """One stored incident by exact id."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(t.incidents.c.payload).where(t.incidents.c.id == incident_id)
            ).first()
        return None if r is None else Incident.from_json(json.loads(r[0]))

    def incident_payload(self, incident_id: str) -> str | None:
        """The stored JSON of an incident (what its version hashes)."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(t.incidents.c.payload).where(t.incidents.c.id == incident_id)
            ).first()
        return None if r is None else str(r[0])

    def query_incidents(
        self, flt: IncidentFilter, *, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[Incident]]:
        """Filtered, sorted page of incidents and the total that match, in SQL."""
        inc, mem = t.incidents, t.incident_members
        conds: list[Any] = []
        if flt.country:
            conds.append(inc.c.country == flt.country.upper())
        if flt.type:
            conds.append(inc.c.type == flt.type)
        if flt.review:
            conds.append(inc.c.review == flt.review)
        if flt.min_confidence is not None:
            conds.append(inc.c.confidence >= flt.min_confidence)
        if flt.year is not None:
            conds.append(inc.c.when_start.like(f"{flt.year:04d}%"))
        if flt.source:
            conds.append(
                exists().where(
                    mem.c.incident_id == inc.c.id,
                    mem.c.document_id == t.documents.c.id,
                    t.documents.c.publisher.ilike(f"%{_like(flt.source)}%", escape="\\"),
                )
            )
        if flt.hide_documents:
            # an incident with any hidden (confidential) report is not listed: its
            # chosen values may come from that report
            conds.append(
                not_(
                    exists().where(
                        mem.c.incident_id == inc.c.id,
                        mem.c.document_id.in_(sorted(flt.hide_documents)),
                    )
                )
            )
        where = and_(*conds) if conds else None
        col = SORTS.get(flt.sort, inc.c.when_start)
        order = [col.desc() if flt.descending else col.asc(), inc.c.id]
        count_q = select(func.count()).select_from(inc)
        # ids first (sorted through the indexes, no payload read), then their payloads
        page_q = select(inc.c.id).order_by(*order).limit(limit).offset(offset)
        if where is not None:
            count_q, page_q = count_q.where(where), page_q.where(where)
        with self.engine.connect() as conn:
            total = int(conn.execute(count_q).scalar_one())
            ids = [str(r[0]) for r in conn.execute(page_q)]
            payloads = dict(
                conn.execute(select(inc.c.id, inc.c.payload).where(inc.c.id.in_(ids))).all()
            )
        return total, [Incident.from_json(json.loads(payloads[i])) for i in ids]

    def incident_facets(self, hide: frozenset[str] = frozenset()) -> dict[str, list[str]]:
        """Distinct countries, types, reviews, years and publishers (filter choices),
        of the incidents and documents not hidden (``hide``: document ids)."""
        inc, mem, docs = t.incidents, t.incident_members, t.documents
        shown: Any = None
        if hide:
            shown = not_(
                exists().where(mem.c.incident_id == inc.c.id, mem.c.document_id.in_(sorted(hide)))
            )
        with self.engine.connect() as conn:

            def distinct(col: Any, extra: Any = None) -> list[str]:
                q = select(col).where(col.is_not(None)).distinct().order_by(col)
                if extra is not None:
                    q = q.where(extra)
                return [str(r[0]) for r in conn.execute(q)]

            years = sorted({v[:4] for v in distinct(inc.c.when_start, shown)})
            return {
                "country": distinct(inc.c.country, shown),
                "type": distinct(inc.c.type, shown),
                "review": distinct(inc.c.review, shown),
                "year": years,
                "source": distinct(
                    docs.c.publisher, not_(docs.c.id.in_(sorted(hide))) if hide else None
                ),
            }

    def document_events(self, doc_id: str) -> list[Event]:
        """A document's stored events in local-id order (e2 before e10)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.events.c.payload).where(t.events.c.document_id == doc_id)
            ).all()
        evs = [Event.from_json(json.loads(r[0])) for r in rows]
        return sorted(evs, key=lambda e: (len(e.id), e.id))

    def incidents_of_documents(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """Incident ids per document id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.incident_members.c.document_id, t.incident_members.c.incident_id)
                .where(t.incident_members.c.document_id.in_(list(doc_ids)))
                .distinct()
            )
            out: dict[str, list[str]] = {}
            for d, i in rows:
                out.setdefault(str(d), []).append(str(i))
        return out

    def decisions_about(self, event_keys: Sequence[str], incident_id: str) -> list[Any]:
        """Human decisions whose target names this incident or any of these events."""
        from minewatch.store.store import Store

        keys = set(event_keys)
        found = []
        for d in Store.decisions(self):  # type: ignore[arg-type]
            tgt = d.target
            ids = {tgt.get("incident"), *(tgt.get("incidents") or [])}
            evs = set(tgt.get("events") or []) | set(d.payload.get("events") or [])
            if incident_id in ids or keys & evs:
                found.append(d)
        return found


def _user(r: Any) -> UserRecord:
    return UserRecord(r.name, r.role, r.password_hash, r.created_at, bool(r.active))


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a query (FTS syntax is never passed through)."""
    out: list[str] = []
    parts = query.split('"')
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes
            if part.strip():
                out.append(" ".join(part.split()))
        else:
            out.extend(w for w in part.split() if any(c.isalnum() for c in w))
    return out[:20]


__all__ = ["ROLES", "IncidentFilter", "SearchHit", "SessionRecord", "UserRecord", "WebStoreMixin"]
