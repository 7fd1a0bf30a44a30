"""Commands: the ``users`` group — accounts of the web app (add, list, set)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from minewatch.cli._app import DEFAULT_DB, DbOption, JsonOption, app, err, fail, open_store

users_app = typer.Typer(
    help=(
        "Accounts of the review web app: viewers read, reviewers decide, admins manage "
        "users.\n\nExample: minewatch users add alice --role reviewer"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(users_app, name="users")

RoleOption = Annotated[
    str, typer.Option("--role", help="viewer (reads), reviewer (decides) or admin (manages users).")
]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


def _who() -> str:
    from minewatch.store import default_who

    return default_who()


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (what they sign in with).")],
    role: RoleOption = "viewer",
    db: DbOption = DEFAULT_DB,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account; the password is asked for (twice) and stored hashed (argon2id).

    Example: minewatch users add alice --role admin --db minewatch-demo/minewatch.db
    """
    from minewatch.web.auth import hash_password

    store = open_store(db)
    try:
        store.add_user(name, role, hash_password(_password(password_stdin)), who=_who())
    except ValueError as e:
        raise fail(str(e)) from None
    err.print(f"added {name} ({role}); `minewatch serve --db {db}` and sign in")


@users_app.command("set")
def set_(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOption = DEFAULT_DB,
    role: Annotated[str | None, typer.Option("--role", help="New role.")] = None,
    password: Annotated[
        bool, typer.Option("--password", help="Set a new password (asked for).")
    ] = False,
    password_stdin: PasswordStdin = False,
    disable: Annotated[bool, typer.Option("--disable", help="Disable the account.")] = False,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the account again.")] = False,
) -> None:
    """Change an account's role or password, or disable it (its sessions end).

    Example: minewatch users set alice --role reviewer
    """
    from minewatch.web.auth import hash_password

    store = open_store(db)
    try:
        pw = hash_password(_password(password_stdin)) if (password or password_stdin) else None
        active = False if disable else True if enable else None
        store.set_user(name, who=_who(), role=role, password_hash=pw, active=active)
    except ValueError as e:
        raise fail(str(e)) from None
    err.print(f"changed {name}")


@users_app.command("list")
def list_(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """List accounts: name, role, active, created.

    Example: minewatch users list --json
    """
    import json

    rows = [
        {"name": u.name, "role": u.role, "active": u.active, "created_at": u.created_at}
        for u in open_store(db).users()
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        err.print("no accounts (minewatch users add NAME --role admin)")
    for r in rows:
        state = "active" if r["active"] else "disabled"
        print(f"{r['name']}\t{r['role']}\t{state}\t{r['created_at']}")
