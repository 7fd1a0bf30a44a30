#!/usr/bin/env python3
"""Screenshots of the review app's main pages for docs/ (Playwright + Debian chromium).

Builds the demo database in a temporary directory, adds a reviewer, serves it
on a local port and saves docs/web-incidents.png, docs/web-incident.png,
docs/web-document.png and docs/web-search.png.

Usage: python scripts/web_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from minewatch.demo import demo_corpus_dir, run_pipeline
from minewatch.store import Store
from minewatch.web.auth import hash_password

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "screenshot password"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "minewatch.db"
        store = Store.open(db)
        run_pipeline(store, None, demo_corpus_dir())
        store.add_user("reviewer", "reviewer", hash_password(PASSWORD), who="screenshots")
        inc = max(store.incidents(), key=lambda i: (i.type == "casualty", len(i.document_ids)))
        doc = inc.document_ids[0]
        store.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from minewatch.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
            ],
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                for _ in range(100):
                    try:
                        page.goto(f"{url}/login")
                        break
                    except Exception:
                        time.sleep(0.2)
                page.fill("input[name=name]", "reviewer")
                page.fill("input[name=password]", PASSWORD)
                page.click("form.login button[type=submit]")
                page.wait_for_url(f"{url}/incidents")
                page.screenshot(path=str(args.out / "web-incidents.png"))
                page.goto(f"{url}/incidents/{inc.id}")
                page.wait_for_selector("#map[data-ready]:not([data-ready='0'])")
                page.screenshot(path=str(args.out / "web-incident.png"), full_page=False)
                page.locator("article.document").first.scroll_into_view_if_needed()
                page.screenshot(path=str(args.out / "web-incident-evidence.png"))
                page.goto(f"{url}/documents/{doc}")
                page.screenshot(path=str(args.out / "web-document.png"))
                page.goto(f"{url}/search?q=Musan+mine")
                page.screenshot(path=str(args.out / "web-search.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
