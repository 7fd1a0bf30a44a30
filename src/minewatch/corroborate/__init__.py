"""Corroboration: incidents from many reports, independent sources, conflicts.

Library first (pure, in memory, on :mod:`minewatch.model` dataclasses):
:func:`corroborate` turns (document, event) pairs plus document texts into
:class:`~minewatch.model.Incident` records. :mod:`.service` runs it against
the store and re-applies human decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minewatch.corroborate.build import CorroborationResult, corroborate, incident_id
from minewatch.corroborate.compat import GazetteerLike
from minewatch.corroborate.decisions import HumanDecision, parse_edit_value
from minewatch.model import Incident

if TYPE_CHECKING:
    from minewatch.store import Store


def corroborate_store(
    store: Store, *, gazetteer: GazetteerLike | None = None, who: str | None = None
) -> list[Incident]:
    """Rebuild the store's incidents (re-applying human decisions); see :mod:`.service`."""
    from minewatch.corroborate.service import rebuild

    return rebuild(store, gazetteer=gazetteer, who=who).incidents


__all__ = [
    "CorroborationResult",
    "HumanDecision",
    "corroborate",
    "corroborate_store",
    "incident_id",
    "parse_edit_value",
]
