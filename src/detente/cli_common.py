"""What the commands share: the usage-error exit and the normalizer's --skip and user-table options."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.normalize import STAGES, check_rules
from detente.normalize.tables import Rules, TableError

RULES_HELP = (
    "A user table (CSV named <table>.csv or <name>.<table>.csv, or a folder of them) that extends or "
    "overrides a shipped table; repeat for several. Tables: see docs/tables or src/detente/normalize/data."
)
GAZETTEER_HELP = "A user gazetteer CSV (same columns as the shipped one): added variants, new entities, overridden canonical forms."


def fail(message: str, code: int = 2) -> typer.Exit:
    """Say what is wrong on stderr; the caller raises the returned Exit (2: a usage error)."""
    typer.echo(f"detente: error: {message}", err=True)
    return typer.Exit(code)


def check_skip(skip: list[str] | None) -> set[str]:
    """The stages named by --skip; an unknown one is a usage error (exit 2)."""
    bad = [s for s in skip or [] if s not in (*STAGES, "language")]
    if bad:
        raise fail(f"unknown stage for --skip: {', '.join(bad)} (choose from {', '.join(STAGES)}, language)")
    return set(skip or [])


def load_rules(rules: list[Path] | None, gazetteer: list[Path] | None) -> Rules:
    """Shipped tables plus the user's; a user gazetteer file may have any name. A bad table
    is a usage error (exit 2) with the table's own message."""
    try:
        # --rules files are recognized by name; a --gazetteer file is a gazetteer whatever its name.
        extra: list = list(rules or []) + [("gazetteer", p) for p in gazetteer or []]
        loaded = Rules.load(extra)
        if extra:
            check_rules(loaded)
        return loaded
    except TableError as exc:
        raise fail(str(exc)) from None
