"""Corroboration: incidents from many reports, independent sources, conflicts.

Library first (pure, in memory, on :mod:`minewatch.model` dataclasses):
:func:`corroborate` turns (document, event) pairs plus document texts into
:class:`~minewatch.model.Incident` records. :mod:`.service` runs it against
the store and re-applies human decisions.
"""

from minewatch.corroborate.build import CorroborationResult, corroborate, incident_id
from minewatch.corroborate.decisions import HumanDecision, parse_edit_value

__all__ = [
    "CorroborationResult",
    "HumanDecision",
    "corroborate",
    "incident_id",
    "parse_edit_value",
]
