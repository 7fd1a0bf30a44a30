"""Gazetteer and geoparsing: offline place names for the Korean peninsula and beyond.

``load_gazetteer()`` gives a :class:`Gazetteer` with the shipped entries (North
and South Korea, the China and Russia borders, the DMZ and its features, every
country and first-level division via pycountry) plus places a user imported or
added; ``Gazetteer.find_places(text)`` returns every place mention as a
:class:`minewatch.model.Place` with relation, precision and border facts.
"""

from minewatch.geo.entry import KINDS, GazetteerEntry
from minewatch.geo.gazetteer import Gazetteer, load_gazetteer
from minewatch.geo.sources import (
    GazetteerInputError,
    read_geonames,
    read_user_places,
    save_entries,
)

__all__ = [
    "KINDS",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerInputError",
    "load_gazetteer",
    "read_geonames",
    "read_user_places",
    "save_entries",
]
