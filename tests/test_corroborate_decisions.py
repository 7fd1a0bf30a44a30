"""Human decisions: recorded with who/when/why, re-applied, never undone by re-runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from minewatch.corroborate import HumanDecision, corroborate, parse_edit_value, service
from minewatch.corroborate.decisions import KeyResolver, constraints, fingerprint
from minewatch.model import Count, DocumentMeta, Event, Evidence, Incident, Place, When
from minewatch.store import Store

MUSAN = Place("Musan", "Musan", "kp-musan", "KP", "North Hamgyong", 42.23, 129.21, 2, "near")
HYESAN = Place("Hyesan", "Hyesan", "kp-hyesan", "KP", "Ryanggang", 41.40, 128.18, 1, "in")
MID_OCT = When("2023-10-11", "2023-10-20", "month_part", "mid-October")
OCT = When("2023-10-01", "2023-10-31", "month", "October")
SEPT = When("2023-09-01", "2023-09-30", "month", "September")

TEXTS = {
    "a.txt": (
        "Five people trying to leave the country were hurt or killed by mines close to Musan "
        "in the middle of October, a local contact said. In September three others died in a "
        "blast near the same town."
    ),
    "b.txt": (
        "Mines near Musan claimed five casualties in October among people crossing the river. "
        "Separately, two soldiers were wounded in Hyesan that month while burying mines."
    ),
    "c.txt": (
        "Two would-be defectors were killed and three hurt by a mine by Musan in mid-October."
    ),
}


def _ev(eid: str, when: When, place: Place, text: str, anchor: str, **kw: object) -> Event:
    s = text.index(anchor)
    return Event(
        id=eid,
        type="casualty",
        when=when,
        where=[dataclasses.replace(place)],
        evidence=[Evidence("casualties", s, s + len(anchor))],
        **kw,  # type: ignore[arg-type]
    )


def events_for(name: str, renumber: bool = False) -> list[Event]:
    t = TEXTS[name]
    if name == "a.txt":
        evs = [
            _ev(
                "e1",
                MID_OCT,
                MUSAN,
                t,
                "Five people",
                casualties=Count.exact(5),
                victims="civilian",
            ),
            _ev(
                "e2", SEPT, MUSAN, t, "three others died", killed=Count.exact(3), victims="civilian"
            ),
        ]
    elif name == "b.txt":
        evs = [
            _ev(
                "e1",
                OCT,
                MUSAN,
                t,
                "five casualties",
                casualties=Count.exact(5),
                victims="civilian",
            ),
            _ev("e2", OCT, HYESAN, t, "two soldiers", injured=Count.exact(2), victims="military"),
        ]
    else:
        evs = [
            _ev(
                "e1",
                MID_OCT,
                MUSAN,
                t,
                "Two would-be",
                killed=Count.exact(2),
                injured=Count.exact(3),
                victims="civilian",
            ),
        ]
    if renumber:  # a new extractor version that numbers events the other way round
        evs = [dataclasses.replace(e, id=f"e{len(evs) - i}") for i, e in enumerate(evs)]
    return evs


PUB = {
    "a.txt": ("Daily NK", "2023-11-07"),
    "b.txt": ("NK News", "2023-11-10"),
    "c.txt": ("Yonhap", "2023-11-12"),
}


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    for name, text in TEXTS.items():
        publisher, published = PUB[name]
        doc_id, _ = s.add_document(
            original=text.encode(),
            media_type="text/plain",
            input_id=name,
            text=text,
            extractor="plain",
            extractor_version="1",
            metadata={"publisher": publisher, "published": published},
            who="tester",
        )
        s.replace_events(doc_id, events_for(name), "x1", who="tester")
    return s


def _doc(store: Store, name: str) -> str:
    doc = store.resolve(name)
    assert doc is not None
    return doc


def holding(incidents: list[Incident], key: str) -> Incident:
    hits = [
        i for i in incidents if any(m.event_key == key and m.role == "member" for m in i.members)
    ]
    assert len(hits) == 1, key
    return hits[0]


def reextract(store: Store, renumber: bool) -> None:
    for name in TEXTS:
        store.replace_events(_doc(store, name), events_for(name, renumber), "x2", who="tester")


def test_clustering_baseline(store: Store) -> None:
    res = service.rebuild(store, gazetteer=None, who="tester")
    a1 = f"{_doc(store, 'a.txt')}#e1"
    oct_musan = holding(res.incidents, a1)
    assert {m.document_id for m in oct_musan.members} == {
        _doc(store, n) for n in ("a.txt", "b.txt", "c.txt")
    }
    assert oct_musan.independent_sources == 3
    hyesan = holding(res.incidents, f"{_doc(store, 'b.txt')}#e2")
    assert hyesan is not oct_musan
    assert len(store.incidents()) == len(res.incidents) == 3


@pytest.mark.parametrize("renumber", [False, True])
def test_split_survives_reextraction_and_recorroboration(store: Store, renumber: bool) -> None:
    service.rebuild(store, gazetteer=None, who="tester")
    c1 = f"{_doc(store, 'c.txt')}#e1"
    a1 = f"{_doc(store, 'a.txt')}#e1"
    inc = holding(store.incidents(), c1)
    out = service.split(store, inc.id, ["c.txt#e1"], reason="different toll", who="alice")
    assert out.incident is not None and [m.event_key for m in out.incident.members] == [c1]
    reextract(store, renumber)
    res = service.rebuild(store, gazetteer=None, who="tester")
    c_now = f"{_doc(store, 'c.txt')}#e1"  # c has one event: same key either way
    a_now = f"{_doc(store, 'a.txt')}#{'e2' if renumber else 'e1'}"
    assert holding(res.incidents, c_now) is not holding(res.incidents, a_now)
    assert {m.event_key for m in holding(res.incidents, c_now).members} == {c_now}
    # a and b still together: the split only separated c
    b_now = f"{_doc(store, 'b.txt')}#{'e2' if renumber else 'e1'}"
    assert holding(res.incidents, a_now) is holding(res.incidents, b_now)
    del a1


def test_merge_confirm_edit_survive_reextraction(store: Store) -> None:
    res = service.rebuild(store, gazetteer=None, who="tester")
    a1, a2 = (f"{_doc(store, 'a.txt')}#e{i}" for i in (1, 2))
    b2 = f"{_doc(store, 'b.txt')}#e2"
    oct_id, sept_id = holding(res.incidents, a1).id, holding(res.incidents, a2).id
    # confirm the October incident, edit its killed count, merge September's into Hyesan's (a
    # deliberately odd merge: humans may overrule the machine)
    service.review(store, oct_id, "confirm", reason="checked", who="alice")
    service.edit(store, oct_id, "killed=2", reason="Yonhap gives the split", who="bob")
    service.merge(
        store, sept_id, holding(store.incidents(), b2).id, reason="same blast", who="carol"
    )
    for renumber in (True, False):
        reextract(store, renumber)
        res = service.rebuild(store, gazetteer=None, who="tester")
        a_oct = f"{_doc(store, 'a.txt')}#{'e2' if renumber else 'e1'}"
        a_sep = f"{_doc(store, 'a.txt')}#{'e1' if renumber else 'e2'}"
        b_hye = f"{_doc(store, 'b.txt')}#{'e1' if renumber else 'e2'}"
        octo = holding(res.incidents, a_oct)
        assert octo.review == "confirmed" and octo.confidence >= 0.95
        assert octo.value("killed") == {"low": 2, "best": 2, "high": 2}
        assert "human edit" in octo.fields["killed"].rule and "bob" in octo.fields["killed"].rule
        assert octo.fields["killed"].reported  # the reports stay visible
        assert holding(res.incidents, a_sep) is holding(res.incidents, b_hye)
    kinds = [(e.action, e.who) for e in store.log_entries() if e.action.startswith("decision:")]
    assert kinds == [
        ("decision:confirm", "alice"),
        ("decision:edit", "bob"),
        ("decision:merge", "carol"),
    ]
    reasons = [d.reason for d in store.decisions()]
    assert reasons == ["checked", "Yonhap gives the split", "same blast"]


def test_reject_is_kept(store: Store) -> None:
    res = service.rebuild(store, gazetteer=None, who="tester")
    b2 = f"{_doc(store, 'b.txt')}#e2"
    service.review(store, holding(res.incidents, b2).id, "reject", reason="not a mine", who="dan")
    res = service.rebuild(store, gazetteer=None, who="tester")
    inc = holding(res.incidents, b2)
    assert inc.review == "rejected" and inc.confidence == 0.0


def test_bad_decisions_are_refused(store: Store) -> None:
    res = service.rebuild(store, gazetteer=None, who="tester")
    a1 = f"{_doc(store, 'a.txt')}#e1"
    inc = holding(res.incidents, a1)
    with pytest.raises(service.DecisionError):
        service.edit(store, inc.id, "killed=2", reason="", who="x")
    with pytest.raises(service.DecisionError):
        service.edit(store, inc.id, "colour=red", reason="r", who="x")
    with pytest.raises(service.DecisionError):
        service.split(store, inc.id, [m.event_key for m in inc.members], reason="r", who="x")
    with pytest.raises(service.DecisionError):
        service.merge(store, inc.id, inc.id, reason="r", who="x")
    with pytest.raises(service.DecisionError):
        service.review(store, "inc-doesnotexist", "confirm", who="x")
    assert store.decisions() == []


def test_later_decision_wins_on_the_same_pair() -> None:
    keys = ["d1#e1", "d2#e1", "d3#e1"]
    r = KeyResolver(keys, ["f1", "f2", "f3"])
    split = HumanDecision(1, "split", {}, {"events": ["d1#e1"], "rest": ["d2#e1"]})
    merge = HumanDecision(2, "merge", {"events": ["d1#e1", "d2#e1"]}, {})
    must, cannot = constraints([split, merge], r)
    assert must == [[0, 1]] and cannot == []
    must, cannot = constraints(
        [dataclasses.replace(merge, id=1), dataclasses.replace(split, id=2)], r
    )
    assert must == [[0]] and cannot == [(0, 1)]  # the split-off event stands alone


def test_fingerprint_finds_renumbered_events() -> None:
    e = Event("e1", "casualty", when=OCT, where=[MUSAN], killed=Count.exact(3))
    other = Event("e2", "casualty", when=SEPT, where=[MUSAN], killed=Count.exact(1))
    # after re-extraction e1 is now called e2, and a different event took the name e1
    r = KeyResolver(["d#e1", "d#e2"], [fingerprint(other), fingerprint(e)])
    assert r.resolve("d#e1", {"d#e1": fingerprint(e)}) == 1
    assert r.resolve("d#e1") == 0  # without a fingerprint the key is taken as is


def test_merge_of_same_document_events_in_memory() -> None:
    meta = DocumentMeta("sha256:aa", "x.txt", published="2023-11-01")
    e1 = Event("e1", "casualty", when=OCT, where=[MUSAN], killed=Count.exact(1))
    e2 = Event("e2", "casualty", when=OCT, where=[MUSAN], injured=Count.exact(2))
    items = [(meta, e1), (meta, e2)]
    assert len(corroborate(items).incidents) == 2  # one document: kept apart
    d = HumanDecision(1, "merge", {"events": ["sha256:aa#e1", "sha256:aa#e2"]}, {})
    assert len(corroborate(items, decisions=[d]).incidents) == 1


@pytest.mark.parametrize(
    ("field", "raw", "want"),
    [
        ("killed", "3", {"low": 3, "best": 3, "high": 3}),
        ("killed", "2-4", {"low": 2, "best": 2, "high": 4}),
        ("injured", "5-?", {"low": 5, "best": 5, "high": None}),
        ("casualties", "null", None),
        (
            "when",
            "2023-10-11..2023-10-20",
            {
                "start": "2023-10-11",
                "end": "2023-10-20",
                "precision": "month_part",
                "text": "2023-10-11..2023-10-20",
            },
        ),
        ("devices", "AP mine, AV mine", ["AP mine", "AV mine"]),
        ("context", "true", True),
        ("victims", "civilian", "civilian"),
        ("country", "kp", "KP"),
    ],
)
def test_parse_edit_value(field: str, raw: str, want: object) -> None:
    assert parse_edit_value(field, raw) == want


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("killed", "many"),
        ("killed", "5-2"),
        ("colour", "red"),
        ("when", "2023-10-20..2023-10-01"),
        ("country", "North Korea"),
    ],
)
def test_parse_edit_value_refuses(field: str, raw: str) -> None:
    with pytest.raises(ValueError):
        parse_edit_value(field, raw)


def test_decisions_through_the_cli(store: Store, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from minewatch.cli import app

    db = tmp_path / "d.db"
    disk = Store.open(db)
    for meta in store.documents():
        text = store.text_of(meta.id)
        doc_id, _ = disk.add_document(
            original=store.original_of(meta.id),
            media_type="text/plain",
            input_id=meta.input_id,
            text=text,
            extractor="plain",
            extractor_version="1",
            metadata={"publisher": meta.publisher, "published": meta.published},
            who="t",
        )
        disk.replace_events(doc_id, [e for _, e in store.events(meta.id)], "x1", who="t")
    run = CliRunner()

    def cli(*args: str) -> str:
        res = run.invoke(app, [*args, "--db", str(db)])
        assert res.exit_code == 0, res.output
        return res.stdout

    cli("corroborate")
    incs = json.loads(cli("incidents", "--json"))
    c_key = f"{_doc(disk, 'c.txt')}#e1"
    oct_id = next(i["id"] for i in incs if any(m["event_key"] == c_key for m in i["members"]))
    cli("incidents", "confirm", oct_id, "--reason", "checked", "--who", "alice")
    cli("incidents", "edit", oct_id, "killed=2", "--reason", "Yonhap split", "--who", "bob")
    cli("incidents", "split", oct_id, "--events", "c.txt#e1", "--reason", "other", "--who", "eve")
    after = json.loads(cli("incidents", "--json"))
    alone = next(i for i in after if any(m["event_key"] == c_key for m in i["members"]))
    assert [m["event_key"] for m in alone["members"]] == [c_key]
    rest = next(i for i in after if i["id"] == oct_id)
    assert rest["review"] == "confirmed" and rest["values"]["killed"]["best"] == 2
    hy = next(i["id"] for i in after if i["values"]["victims"] == "military")
    cli("incidents", "reject", hy, "--reason", "not a mine")
    cli("incidents", "merge", alone["id"], oct_id, "--reason", "same after all")
    final = json.loads(cli("incidents", "--json"))
    assert any(c_key in [m["event_key"] for m in i["members"]] and i["id"] == oct_id for i in final)
    assert next(i for i in final if i["id"] == hy)["review"] == "rejected"
    log = [e for e in disk.log_entries() if e.action.startswith("decision:")]
    assert [e.who for e in log][:3] == ["alice", "bob", "eve"]
    # errors: no reason for an edit, unknown incident, bad value
    assert run.invoke(app, ["incidents", "edit", oct_id, "killed=2", "--db", str(db)]).exit_code
    assert run.invoke(app, ["incidents", "confirm", "inc-nope", "--db", str(db)]).exit_code == 1
    bad = run.invoke(
        app, ["incidents", "edit", oct_id, "killed=lots", "--reason", "x", "--db", str(db)]
    )
    assert bad.exit_code == 1


def test_country_is_editable_and_stays_edited(store: Store) -> None:
    res = service.rebuild(store, gazetteer=None, who="tester")
    inc = holding(res.incidents, f"{_doc(store, 'b.txt')}#e2")
    assert inc.country == "KP" and inc.fields["country"].value == "KP"
    out = service.edit(store, inc.id, "country=cn", reason="border guards on the Chinese side")
    assert out.incident is not None and out.incident.country == "CN"
    again = service.rebuild(store, gazetteer=None, who="tester")  # a re-run keeps it
    now = holding(again.incidents, f"{_doc(store, 'b.txt')}#e2")
    assert now.country == "CN" and "human edit" in now.fields["country"].rule
    stored = next(i for i in store.incidents() if i.id == now.id)
    assert stored.country == "CN" and stored.to_json()["values"]["country"] == "CN"


def test_corroborate_on_an_empty_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from minewatch.cli import app

    db = tmp_path / "empty.db"
    res = CliRunner().invoke(app, ["corroborate", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["incidents"] == 0
    res = CliRunner().invoke(app, ["incidents", "candidates", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == {
        "candidates": [],
        "background_only": [],
    }
