"""The normalizer's user-table options, shared by the commands that normalize."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.normalize import check_rules
from detente.normalize.tables import Rules, TableError

RULES_HELP = (
    "A user table (CSV named <table>.csv or <name>.<table>.csv, or a folder of them) that extends or "
    "overrides a shipped table; repeat for several. Tables: see docs/tables or src/detente/normalize/data."
)
GAZETTEER_HELP = "A user gazetteer CSV (same columns as the shipped one): added variants, new entities, overridden canonical forms."


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
        typer.echo(f"detente: error: {exc}", err=True)
        raise typer.Exit(2) from None
