"""The review app in a real browser: Debian's chromium driven by Playwright
(its Python package, pointed at /usr/bin/chromium; no browser is downloaded).

One browser for the whole module; each test gets its own copy of the store and
its own server, so the tests are independent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minewatch.cli import app as cli
from minewatch.store import Store
from web_support import HOSTILE_TITLE, PASSWORD, copy_store, master_db, serving

CHROMIUM = os.environ.get("MINEWATCH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but chromium is missing at {CHROMIUM} (.ci/run installs it)")
        pytest.skip("chromium not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    with serving(copy_store(master_db(tmp_path_factory), tmp_path)) as s:
        yield s


def signed_in(browser: Any, url: str, name: str) -> Any:
    """A page in a fresh browser context, signed in as ``name``.

    The context bypasses the app's Content-Security-Policy, so the escaping
    test proves the pages escape, not merely that CSP blocks inline script.
    """
    page = browser.new_context(bypass_csp=True).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{url}/incidents")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{url}/incidents")
    return page


def _members(store: Store, incident_id: str) -> set[str]:
    inc = next(i for i in store.incidents() if i.id == incident_id)
    return {m.event_key for m in inc.members if m.role == "member"}


def test_sign_in_and_filter_the_list(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    page = signed_in(browser, url, "vic")
    assert page.inner_text("#total") == str(len(store.incidents()))
    page.select_option("select[name=type]", "casualty")  # htmx swaps the table in place
    page.wait_for_url("**type=casualty**")
    casualty = [i for i in store.incidents() if i.type == "casualty"]
    page.wait_for_function(f"document.getElementById('total').textContent === '{len(casualty)}'")
    types = page.locator("table.list tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"casualty"}
    page.select_option("select[name=country]", "KR")
    page.wait_for_url("**country=KR**")
    want = sum(1 for i in casualty if i.country == "KR")
    page.wait_for_function(f"document.getElementById('total').textContent === '{want}'")


def test_an_incident_shows_its_evidence_highlighted(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    inc = max(store.incidents(), key=lambda i: (len(i.document_ids), i.type == "casualty"))
    page = signed_in(browser, url, "vic")
    page.goto(f"{url}/incidents/{inc.id}")
    assert page.locator("article.document").count() == len(inc.document_ids)
    marks = page.locator("mark.ev")
    assert marks.count() > 0
    link = page.locator("a.evlink").first
    target = link.get_attribute("href")
    assert target and target.startswith("#ev-")
    link.click()
    assert page.evaluate("location.hash") == target
    # the anchor sits right before a highlighted segment of the document text
    assert page.locator(f"{target} + mark.ev").count() == 1
    fields = page.locator(f"{target} + mark.ev").get_attribute("data-fields") or ""
    assert fields.strip()
    # the map: Leaflet over the offline basemap (no tiles), the incident as a marker
    page.wait_for_function("document.getElementById('map').dataset.ready !== '0'")
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() > 1
    assert page.locator("#map img.leaflet-tile").count() == 0


def test_merge_two_incidents_and_split_them_back(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    casualties = [i for i in store.incidents() if i.type == "casualty" and i.country == "KP"]
    a, b = casualties[0], casualties[1]
    members_a, members_b = _members(store, a.id), _members(store, b.id)
    page = signed_in(browser, url, "rita")
    page.goto(f"{url}/incidents/{a.id}")
    assert page.locator(f"#merge-candidates option[value='{b.id}']").count() == 1
    page.fill("#merge-form input[name=other]", b.id)
    page.fill("#merge-form input[name=reason]", "the same blast")
    page.click("#merge-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert "merge" in page.inner_text(".flash")
    merged_id = page.url.rsplit("/", 1)[1]
    assert _members(store, merged_id) == members_a | members_b
    for key in members_b:
        page.check(f"#split-form input[value='{key}']")
    page.fill("#split-form input[name=reason]", "two blasts after all")
    page.click("#split-form button[type=submit]")
    page.wait_for_selector(".flash")
    groups = [{m.event_key for m in i.members if m.role == "member"} for i in store.incidents()]
    assert members_a in groups and members_b in groups
    assert [d.kind for d in store.decisions()][-2:] == ["merge", "split"]
    assert {d.who for d in store.decisions()} == {"rita"}


def test_edit_a_country_with_a_reason(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    inc = next(
        i
        for i in store.incidents()
        if i.country == "KP" and "hostile.txt" in {m.input_id for m in i.members}
    )
    db = str(store.engine.url.database)
    before = CliRunner().invoke(
        cli, ["report", "--country", "CN", "--db", db, "--out", "-", "--format", "md"]
    )
    assert before.exit_code == 0 and f"### {inc.id}:" not in before.stdout
    page = signed_in(browser, url, "rita")
    page.goto(f"{url}/incidents/{inc.id}")
    page.select_option("#edit-form select[name=field]", "country")
    page.fill("#edit-form input[name=value]", "CN")
    page.fill("#edit-form input[name=reason]", "the farmers were across the Tumen")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert page.inner_text("#country") == "CN"
    page.goto(f"{url}/audit")
    rows = page.locator("#log tbody tr").all_inner_texts()
    edit = next(r for r in rows[:5] if "decision:edit" in r)  # newest first, then the rebuild
    assert "rita" in edit and "the farmers were across the Tumen" in edit and "CN" in edit
    cn = CliRunner().invoke(
        cli, ["report", "--country", "CN", "--db", db, "--out", "-", "--format", "md"]
    )
    assert cn.exit_code == 0, cn.output
    # the CN profile now holds the incident (it was in no CN profile before the edit)
    assert f"### {inc.id}:" in cn.stdout


def test_refused_posts_from_the_browser(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    inc = store.incidents()[0]
    post = """async ([path, token]) => {
        const body = new URLSearchParams({version: "v"});
        if (token) body.set("csrf", token);
        const r = await fetch(path, {method: "POST", body});
        return r.status;
    }"""
    viewer = signed_in(browser, url, "vic")
    viewer.goto(f"{url}/incidents/{inc.id}")
    assert viewer.locator("#edit-form").count() == 0
    token = viewer.locator("input[name=csrf]").first.get_attribute("value")
    assert viewer.evaluate(post, [f"/incidents/{inc.id}/confirm", token]) == 403
    reviewer = signed_in(browser, url, "rita")
    reviewer.goto(f"{url}/incidents/{inc.id}")
    assert reviewer.evaluate(post, [f"/incidents/{inc.id}/confirm", ""]) == 403
    assert store.decisions() == []


def test_a_hostile_title_is_inert_in_the_browser(browser: Any, site: tuple[str, Store]) -> None:
    url, store = site
    doc = next(d for d in store.documents() if d.input_id == "hostile.txt")
    inc = next(i for i in store.incidents() if doc.id in i.document_ids)
    page = signed_in(browser, url, "ada")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in (
        "/incidents",
        f"/incidents/{inc.id}",
        f"/documents/{doc.id}",
        "/search?q=firewood",
    ):
        page.goto(url + path)
        page.hover("body")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[src=x]").count() == 0, path
    page.goto(f"{url}/documents/{doc.id}")
    assert HOSTILE_TITLE in page.inner_text("h1")
    assert dialogs == []


def test_two_sessions_editing_one_incident_get_a_conflict(
    browser: Any, site: tuple[str, Store]
) -> None:
    url, store = site
    inc = next(i for i in store.incidents() if i.type == "casualty")
    rita, rob = signed_in(browser, url, "rita"), signed_in(browser, url, "rob")
    for page in (rita, rob):
        page.goto(f"{url}/incidents/{inc.id}")
    rita.fill("#edit-form input[name=value]", "2")  # first field in the list: type
    rita.select_option("#edit-form select[name=field]", "killed")
    rita.fill("#edit-form input[name=reason]", "two named in the report")
    rita.click("#edit-form button[type=submit]")
    rita.wait_for_selector(".flash")
    rob.select_option("#edit-form select[name=field]", "killed")
    rob.fill("#edit-form input[name=value]", "5")
    rob.fill("#edit-form input[name=reason]", "five in another report")
    rob.click("#edit-form button[type=submit]")
    rob.wait_for_selector("#message")
    assert rob.inner_text("h1") == "Conflict"
    assert "changed by someone else" in rob.inner_text("#message")
    assert [(d.who, d.payload.get("value", {}).get("best")) for d in store.decisions()] == [
        ("rita", 2)
    ]
