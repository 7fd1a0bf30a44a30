"""Property tests: any text, never a crash, valid Event JSON, evidence inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.extract import extract_document
from minewatch.extract.places import PlaceFinder
from minewatch.model import (
    DATE_PRECISIONS,
    EVENT_TYPES,
    RELATIONS,
    STATUSES,
    VICTIM_GROUPS,
    DocumentMeta,
    Event,
)

WORDS = [
    "landmine", "mine", "mines", "killed", "injured", "wounded", "exploded", "laid", "cleared",
    "float", "found", "several", "about", "a dozen", "five", "since", "August", "mid-October",
    "late 2023", "Monday", "coal", "minefield", "of mine", "soldiers", "civilians", "could",
    "accused", "denied", "near", "Musan", "the border", "60 metres", "km²", ".", ",", "\n",
    "\n\n", "“", "”", "2015", "in", "the", "—", "¹", "\t", "ŭ", "무산",
]  # fmt: skip

texty = st.lists(st.sampled_from(WORDS), max_size=200).map(" ".join)
published = st.one_of(
    st.none(), st.sampled_from(["2023-11-07", "2020-10", "2025", "bogus", "2023-02-30"])
)


def check(text: str, events: list[Event]) -> None:
    for i, ev in enumerate(events, 1):
        assert ev.id == f"e{i}"
        d = ev.to_json()
        assert Event.from_json(d).to_json() == d
        assert d["type"] in EVENT_TYPES and d["status"] in STATUSES
        assert d["when"]["precision"] in DATE_PRECISIONS
        assert d["victims"] is None or d["victims"] in VICTIM_GROUPS
        for c in ("killed", "injured", "casualties"):
            if d[c] is not None:
                assert d[c]["low"] >= 0
                assert d[c]["best"] is None or d[c]["best"] >= d[c]["low"]
        for p in d["where"]:
            assert p["relation"] in RELATIONS
        for e in ev.evidence:
            assert 0 <= e.start < e.end <= len(text)
        for q in ev.quantities:
            assert 0 <= q.start < q.end <= len(text)
        assert ev.summary


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), published)
def test_any_unicode_never_crashes(text: str, pub: str | None) -> None:
    meta = DocumentMeta(id="sha256:x", input_id="x", published=pub)
    check(text, extract_document(text, meta, gazetteer=PlaceFinder()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty, published)
def test_mine_vocabulary_soup_gives_valid_events(text: str, pub: str | None) -> None:
    meta = DocumentMeta(id="sha256:x", input_id="x", published=pub)
    check(text, extract_document(text, meta, gazetteer=PlaceFinder()))


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=50), st.integers(min_value=200_000, max_value=1_000_000))
def test_one_megabyte_of_text(chunk: str, size: int) -> None:
    text = (chunk + " landmine killed 3 soldiers near Musan in mid-October. ") * (
        size // (len(chunk) + 52) + 1
    )
    text = text[:size]
    meta = DocumentMeta(id="sha256:x", input_id="x", published="2023-11-07")
    check(text, extract_document(text, meta, gazetteer=PlaceFinder()))
