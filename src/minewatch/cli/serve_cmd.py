"""Command: ``serve`` — the local web app for reviewing incidents in a browser."""

from __future__ import annotations

from typing import Annotated

import typer

from minewatch.cli._app import DEFAULT_DB, DbOption, app, err, open_store

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option("--secure-cookies", help="Mark cookies Secure (when served behind HTTPS)."),
    ] = False,
) -> None:
    """Serve the review web app: incidents, documents, search, decisions, accounts.

    Everything is served from the package (no CDN, no tiles); sign in with an
    account made by `minewatch users add`.

    Example: minewatch serve --db minewatch-demo/minewatch.db --port 8000
    """
    import uvicorn

    from minewatch.web import create_app

    store = open_store(db)
    users = store.users()
    if not any(u.role == "admin" and u.active for u in users):
        err.print(
            "No admin account yet. Create the first one (the password is asked for):\n"
            f"  minewatch users add NAME --role admin --db {db}"
        )
    if host not in LOOPBACK:
        err.print(
            f"warning: listening on {host}: anyone who can reach it sees the sign-in page; "
            "put it behind HTTPS and use --secure-cookies"
        )
    err.print(f"minewatch: serving {db} on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(
        create_app(store, secure_cookies=secure_cookies),
        host=host,
        port=port,
        log_level="warning",
    )
