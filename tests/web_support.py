"""Shared by the web tests: a reviewed-looking store built from the bundled demo
corpus (plus one hostile document), accounts, and a live server in a thread."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from minewatch.demo import demo_corpus_dir
from minewatch.store import Store
from minewatch.web.auth import hash_password

PASSWORD = "correct horse battery"
USERS = {"ada": "admin", "rita": "reviewer", "rob": "reviewer", "vic": "viewer"}
#: A title that would run script if any page failed to escape it.
HOSTILE_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">Mines'
HOSTILE_TEXT = (
    "A landmine exploded near Musan in North Hamgyong Province on 3 May 2024, "
    "killing two farmers who were gathering firewood, local sources said.\n"
    "<b onmouseover=alert(1)>Residents</b> said the area had been mined in 2023.\n"
)


def build_store(path: Path) -> None:
    """The demo corpus, one hostile document, corroborated; four accounts."""
    from minewatch.pipeline import Pipeline

    store = Store.open(path)
    pipe = Pipeline(store=store, who="test")
    pipe.ingest([demo_corpus_dir()])
    store.add_document(
        original=HOSTILE_TEXT.encode(),
        media_type="text/plain",
        input_id="hostile.txt",
        text=HOSTILE_TEXT,
        extractor="plain",
        extractor_version="1",
        metadata={
            "title": HOSTILE_TITLE,
            "publisher": "<i>Evil</i> Gazette",
            "published": "2024-05-04",
        },
        who="test",
    )
    pipe.extract()
    pipe.corroborate()
    for name, role in USERS.items():
        store.add_user(name, role, hash_password(PASSWORD), who="test")
    store.close()


def copy_store(master: Path, tmp: Path) -> Path:
    target = tmp / "web.db"
    shutil.copyfile(master, target)
    return target


def login(client: object, name: str, password: str = PASSWORD) -> str:
    """Sign a Starlette TestClient in; returns the session's CSRF token."""
    r = client.get("/login")  # type: ignore[attr-defined]
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    r = client.post(  # type: ignore[attr-defined]
        "/login",
        data={"name": name, "password": password, "csrf": token, "next": "/incidents"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get("/incidents")  # type: ignore[attr-defined]
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[tuple[str, Store]]:
    """uvicorn serving ``db`` on a free local port; yields (base URL, store)."""
    import uvicorn

    from minewatch.web import create_app

    store = Store.open(db)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        server.should_exit = True
        thread.join(5)
        store.close()


def master_db(tmp_path_factory: object) -> Path:
    """The session's master store, built once and shared by every web test module."""
    base = tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    path = Path(base) / "web-master.db"
    if not path.exists():
        build_store(path.with_suffix(".tmp"))
        path.with_suffix(".tmp").rename(path)
    return path
