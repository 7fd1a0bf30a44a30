"""The web app over HTTP (Starlette's TestClient): sign-in, roles, CSRF, escaping,
the version check, search, confidential documents, the users commands."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from typer.testing import CliRunner

from minewatch.cli import app as cli
from minewatch.store import Store
from minewatch.web import create_app
from web_support import PASSWORD, copy_store, login, master_db

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def store(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Store:
    s = Store.open(copy_store(master_db(tmp_path_factory), tmp_path))
    yield s
    s.close()


def client(store: Store) -> TestClient:
    return TestClient(create_app(store), follow_redirects=True)


def _version(html: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _hostile(store: Store) -> tuple[str, str]:
    doc = next(d for d in store.documents() if d.input_id == "hostile.txt")
    inc = next(i for i in store.incidents() if doc.id in i.document_ids)
    return doc.id, inc.id


def test_every_page_needs_a_signed_in_user_and_a_right_password(store: Store) -> None:
    c = client(store)
    for path in ("/incidents", "/search?q=mine", "/audit", "/users", "/map/basemap.geojson"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    r = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    bad = c.post("/login", data={"name": "rita", "password": "wrong password", "csrf": token})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    assert "mw_session" not in c.cookies
    login(c, "rita")
    page = c.get("/incidents")
    assert page.status_code == 200 and "rita (reviewer)" in page.text
    cookie = page.headers.get("set-cookie", "") + c.get("/login").headers.get("set-cookie", "")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert cookie == "" or "httponly" in cookie.lower()


def test_session_cookie_is_httponly_and_samesite(store: Store) -> None:
    c = client(store)
    r = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"name": "vic", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    set_cookie = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
    session = next(v for v in set_cookie if v.startswith("mw_session="))
    assert "HttpOnly" in session and "SameSite=strict" in session
    # the store keeps a hash of the token, never the cookie value
    value = session.split(";")[0].split("=", 1)[1]
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT token_hash FROM web_sessions").all()
    assert rows and all(value not in r[0] for r in rows)


def test_a_viewer_may_read_but_not_decide(store: Store) -> None:
    c = client(store)
    csrf = login(c, "vic")
    inc = store.incidents()[0]
    page = c.get(f"/incidents/{inc.id}")
    assert page.status_code == 200 and "Confirm" not in page.text
    before = len(store.decisions())
    r = c.post(f"/incidents/{inc.id}/confirm", data={"csrf": csrf, "version": "x"})
    assert r.status_code == 403 and "viewer" in r.text
    assert len(store.decisions()) == before
    assert c.get("/audit").status_code == 403
    assert c.get("/users").status_code == 403


def test_a_post_without_its_csrf_token_is_refused(store: Store) -> None:
    c = client(store)
    csrf = login(c, "rita")
    inc = store.incidents()[0]
    version = _version(c.get(f"/incidents/{inc.id}").text)
    before = len(store.decisions())
    for data in ({"version": version}, {"version": version, "csrf": csrf[:-2] + "xx"}):
        r = c.post(f"/incidents/{inc.id}/confirm", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    assert len(store.decisions()) == before
    ok = c.post(f"/incidents/{inc.id}/confirm", data={"version": version, "csrf": csrf})
    assert ok.status_code == 200 and len(store.decisions()) == before + 1
    # the sign-in form has its own token too
    c2 = client(store)
    r = c2.post("/login", data={"name": "rita", "password": PASSWORD})
    assert r.status_code == 403


def test_a_hostile_title_is_inert_on_every_page(store: Store) -> None:
    c = client(store)
    login(c, "ada")
    doc_id, inc_id = _hostile(store)
    pages = {
        "list": c.get("/incidents?type=casualty"),
        "incident": c.get(f"/incidents/{inc_id}"),
        "document": c.get(f"/documents/{doc_id}"),
        "search": c.get("/search?q=firewood"),
        "audit": c.get("/audit"),
    }
    for name, r in pages.items():
        assert r.status_code == 200, name
        assert "<script>window.__xss" not in r.text, name
        assert 'onerror="window' not in r.text and "<b onmouseover" not in r.text, name
    for name in ("incident", "document", "search"):
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in pages[name].text, name
    assert "&lt;b onmouseover=alert(1)&gt;" in pages["document"].text


def test_the_second_of_two_reviewers_gets_a_conflict(store: Store) -> None:
    rita, rob = client(store), client(store)
    csrf_rita, csrf_rob = login(rita, "rita"), login(rob, "rob")
    inc = next(i for i in store.incidents() if i.type == "casualty")
    v_rita = _version(rita.get(f"/incidents/{inc.id}").text)
    v_rob = _version(rob.get(f"/incidents/{inc.id}").text)
    assert v_rita == v_rob
    before = len(store.decisions())
    first = rita.post(
        f"/incidents/{inc.id}/edit",
        data={
            "csrf": csrf_rita,
            "version": v_rita,
            "field": "killed",
            "value": "3",
            "reason": "the ministry gives three",
        },
    )
    assert first.status_code == 200 and "Recorded decision" in first.text
    second = rob.post(
        f"/incidents/{inc.id}/edit",
        data={
            "csrf": csrf_rob,
            "version": v_rob,
            "field": "killed",
            "value": "4",
            "reason": "another count",
        },
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.text and "not saved" in second.text
    decisions = store.decisions()
    assert len(decisions) == before + 1 and decisions[-1].who == "rita"
    assert decisions[-1].payload["value"]["best"] == 3


def test_an_edit_needs_a_reason(store: Store) -> None:
    c = client(store)
    csrf = login(c, "rita")
    inc = store.incidents()[0]
    version = _version(c.get(f"/incidents/{inc.id}").text)
    before = len(store.decisions())
    r = c.post(
        f"/incidents/{inc.id}/edit",
        data={"csrf": csrf, "version": version, "field": "killed", "value": "2", "reason": " "},
    )
    assert r.status_code == 400 and "reason" in r.text
    assert len(store.decisions()) == before


def test_search_goes_through_the_store_index(store: Store) -> None:
    hits = store.search_documents("firewood farmers")
    assert [h.meta.input_id for h in hits] == ["hostile.txt"]
    assert "\x02" in hits[0].snippet
    assert store.search_documents('"firewood farmers"') == []  # not adjacent words
    # English stems: "farmer" finds "farmers"
    assert "hostile.txt" in [h.meta.input_id for h in store.search_documents("farmer firewood")]
    # FTS query syntax is never passed through: operators are searched as words
    assert store.search_documents("* ^ ( :") == []
    assert all("\x02not\x03" in h.snippet.lower() for h in store.search_documents("NOT"))
    store.add_document(
        original=b"A mine was found by a shepherd near Kaesong.",
        media_type="text/plain",
        input_id="new.txt",
        text="A mine was found by a shepherd near Kaesong.",
        extractor="plain",
        extractor_version="1",
        who="test",
    )
    assert [h.meta.input_id for h in store.search_documents("shepherd")] == ["new.txt"]
    c = client(store)
    login(c, "vic")
    page = c.get("/search?q=shepherd")
    assert '<span id="hits">1</span>' in page.text and "<mark>shepherd</mark>" in page.text


def test_confidential_documents_are_hidden_from_viewers(store: Store) -> None:
    doc_id, inc_id = _hostile(store)
    store.set_confidential(doc_id, reason="a source at risk", who="test")
    viewer, reviewer = client(store), client(store)
    login(viewer, "vic")
    login(reviewer, "rita")
    # not even the publisher of a confidential document is offered as a filter
    assert "Evil" not in viewer.get("/incidents").text
    assert "&lt;i&gt;Evil&lt;/i&gt; Gazette" in reviewer.get("/incidents").text
    for c, visible in ((viewer, False), (reviewer, True)):
        assert (c.get(f"/documents/{doc_id}").status_code == 200) is visible
        assert (c.get(f"/incidents/{inc_id}").status_code == 200) is visible
        assert (inc_id in c.get("/incidents?type=casualty").text) is visible
        assert (
            "hostile" in c.get("/search?q=firewood").text.lower()
            or "Evil" in c.get("/search?q=firewood").text
        ) is visible


def test_admins_manage_users_in_the_browser(store: Store) -> None:
    admin = client(store)
    csrf = login(admin, "ada")
    r = admin.post(
        "/users",
        data={"csrf": csrf, "name": "newbie", "role": "viewer", "password": "long enough pw"},
    )
    assert r.status_code == 200 and "newbie" in r.text
    assert store.user("newbie") is not None and store.user("newbie").role == "viewer"
    short = admin.post(
        "/users", data={"csrf": csrf, "name": "x", "role": "viewer", "password": "short"}
    )
    assert short.status_code == 400 and store.user("x") is None
    self_demote = admin.post("/users/ada", data={"csrf": csrf, "role": "viewer", "active": "1"})
    assert self_demote.status_code == 400 and store.user("ada").role == "admin"
    actions = [e.action for e in store.log_entries()]
    assert "user_add" in actions


def test_users_commands_and_the_first_run_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "m.db"
    runner = CliRunner()
    calls: list[object] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append(k))
    res = runner.invoke(cli, ["serve", "--db", str(db)])
    assert res.exit_code == 0 and calls
    assert f"minewatch users add NAME --role admin --db {db}" in res.output
    res = runner.invoke(
        cli,
        ["users", "add", "ada", "--role", "admin", "--db", str(db), "--password-stdin"],
        input="a good password\n",
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        cli, ["users", "add", "ada", "--db", str(db), "--password-stdin"], input="a good password\n"
    )
    assert res.exit_code == 1 and "exists" in res.output
    res = runner.invoke(
        cli,
        ["users", "add", "bo", "--role", "boss", "--db", str(db), "--password-stdin"],
        input="a good password\n",
    )
    assert res.exit_code == 1 and "unknown role" in res.output
    listed = json.loads(runner.invoke(cli, ["users", "list", "--db", str(db), "--json"]).stdout)
    assert [(u["name"], u["role"]) for u in listed] == [("ada", "admin")]
    stored = Store.open(db).user("ada")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    res = runner.invoke(cli, ["serve", "--db", str(db)])
    assert "users add NAME" not in res.output
