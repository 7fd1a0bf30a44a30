"""History a document recalls as background: shown in a profile, never counted.

Corroboration makes incidents of news only; an event a document mentions
only as background ("In 1998, North Korea admitted laying mines", the 2018
clearance of the Joint Security Area in a 2025 report) recalls no incident
and is left out of them. A country profile still tells that history, as Mine
Action Review's narrative does. :func:`background_incidents` corroborates
those events among themselves (two reports of the 2018 clearance are one
item), so the profile can cite them like incidents; the profile keeps them
apart from the incidents (no table, chart, count or timeline holds them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from minewatch.model import DocumentMeta, Event, Incident, event_key


def background_events(
    items: Sequence[tuple[DocumentMeta, Event]], incidents: Sequence[Incident]
) -> list[tuple[DocumentMeta, Event]]:
    """Background events that are no member, mention or recall of any incident
    (period totals are not events of history and stay out)."""
    used = {m.event_key for inc in incidents for m in inc.members}
    return [
        (meta, ev)
        for meta, ev in items
        if ev.context and not ev.aggregate and event_key(meta.id, ev.id) not in used
    ]


def background_incidents(
    items: Sequence[tuple[DocumentMeta, Event]],
    text_of: Callable[[str], str | None],
    gazetteer: Any = None,
) -> list[Incident]:
    """``items`` (background events) corroborated among themselves into
    one-item-per-event-of-history incidents, each marked as background."""
    if not items:
        return []
    from minewatch.corroborate.build import corroborate

    texts = {meta.id: text_of(meta.id) or "" for meta, _ in items}
    # as news, so that corroboration groups them instead of setting them aside
    news = [(meta, dataclasses.replace(ev, context=False)) for meta, ev in items]
    out = []
    for inc in corroborate(news, texts, gazetteer=gazetteer).incidents:
        if "context" in inc.fields:
            inc.fields["context"] = dataclasses.replace(inc.fields["context"], value=True)
        out.append(inc)
    return out
