"""The ``detente`` command line: a thin shell over the library's functions."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import IO, Iterator, List, Optional

import typer

from detente import __version__
from detente.documents import Document, DocumentError, atomic_writer, input_paths, read_documents
from detente.normalize import STAGES, Normalized, check_rules, normalize
from detente.normalize.tables import Rules, TableError

app = typer.Typer(
    name="detente",
    help=(
        "Repair machine-translated news on peace negotiations and find who takes which stance "
        "on which issue. Inputs are files, folders (searched for *.txt, *.md, *.jsonl) or - for stdin. "
        "Exit status: 0 when every input was processed, 1 when some input failed (the rest are still "
        "processed), 2 for a usage error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class TextFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detente {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """detente: statements, speakers and stances from machine-translated news on peace talks."""


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"detente: error: {message}", err=True)
    return typer.Exit(code)


def report(error: DocumentError) -> None:
    typer.echo(f"detente: error: {error}", err=True)


def load_rules(rules: list[Path] | None, gazetteer: list[Path] | None) -> Rules:
    """Shipped tables plus the user's; a user gazetteer file may have any name."""
    try:
        # --rules files are recognized by name; a --gazetteer file is a gazetteer whatever its name.
        extra: list = list(rules or []) + [("gazetteer", p) for p in gazetteer or []]
        loaded = Rules.load(extra)
        if extra:
            check_rules(loaded)
        return loaded
    except TableError as exc:
        raise fail(str(exc))


def check_skip(skip: list[str] | None) -> set[str]:
    allowed = set(STAGES) | {"language"}
    bad = [s for s in skip or [] if s not in allowed]
    if bad:
        raise fail(f"unknown stage for --skip: {', '.join(bad)} (choose from {', '.join(sorted(allowed))})")
    return set(skip or [])


SKIP_HELP = f"Stage to leave out ({', '.join(STAGES)}, language); repeat for several."
RULES_HELP = (
    "A user table (CSV named <table>.csv or <name>.<table>.csv, or a folder of them) that extends or "
    "overrides a shipped table; repeat for several. Tables: see docs/tables or src/detente/normalize/data."
)
GAZETTEER_HELP = "A user gazetteer CSV (same columns as the shipped one): added variants, new entities, overridden canonical forms."


@app.command("normalize")
def normalize_command(
    paths: List[str] = typer.Argument(..., help="Files, folders or - for stdin."),
    output: Optional[str] = typer.Option(
        None, "-o", "--output",
        help="Write here instead of stdout: a file, or a folder (existing, or ending in /) for one file per document.",
    ),
    fmt: TextFormat = typer.Option(TextFormat.text, "--format", help="text: the repaired text; jsonl: {id, text, changes, languages} per document."),
    explain: bool = typer.Option(False, "--explain", help="Print each document's change log (rule, offsets, before -> after) on stderr."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help=RULES_HELP),
    gazetteer: Optional[List[Path]] = typer.Option(None, "--gazetteer", help=GAZETTEER_HELP),
    skip: Optional[List[str]] = typer.Option(None, "--skip", help=SKIP_HELP),
) -> None:
    """Repair machine-translated text: mojibake, page debris, translation quirks, name spellings."""
    skipped = check_skip(skip)
    table = load_rules(rules, gazetteer)
    failed = False
    with ExitStack() as stack:
        sink = _Sink(stack, output, fmt, input_paths(paths), several=_several(paths))
        for doc in read_documents(paths):
            if isinstance(doc, DocumentError):
                report(doc)
                failed = True
                continue
            result = normalize(doc.text, skip=skipped, rules=table)
            if explain:
                typer.echo(explain_changes(doc.id, result), err=True)
            try:
                sink.write(doc, result)
            except (OSError, ValueError) as exc:
                report(DocumentError(doc.id, f"cannot write output: {exc}"))
                failed = True
    if failed:
        raise typer.Exit(1)


def _several(paths: list[str]) -> bool:
    from detente.documents import expand_paths

    found = list(expand_paths(paths))
    return len(found) > 1 or any(p is not None and p.suffix.lower() == ".jsonl" for _, p, _ in found)


def explain_changes(doc_id: str, result: Normalized) -> str:
    lines = [f"== {doc_id}: {len(result.changes)} change(s)"]
    for c in result.changes:
        entity = f" [{c.entity}]" if c.entity else ""
        lines.append(f"  {c.start:>6}-{c.end:<6} {c.rule}{entity}: {c.original!r} -> {c.replacement!r}")
    if result.languages:
        for p in result.languages.flagged:
            lines.append(f"  {p.start:>6}-{p.end:<6} language: paragraph in {p.lang!r} (p={p.probability}), not translated")
    return "\n".join(lines)


def normalized_record(doc: Document, result: Normalized) -> dict:
    record = {"id": doc.id}
    record.update(result.to_dict())
    if doc.encoding not in {"utf-8", "utf-8-sig"}:
        record["encoding"] = doc.encoding
    return record


class _Sink:
    """Where normalized documents go: stdout, one file, or one file per document in a folder."""

    def __init__(self, stack: ExitStack, output: str | None, fmt: TextFormat, protect: set[Path], several: bool):
        self.fmt, self.protect, self.several, self.count = fmt, protect, several, 0
        is_folder = output is not None and (Path(output).is_dir() or output.endswith(("/", "\\")))
        self.folder = Path(output) if is_folder else None
        self.stream: IO[str] | None = None
        if output is None:
            self.stream = sys.stdout
        elif self.folder is None:
            try:
                self.stream = stack.enter_context(atomic_writer(Path(output), protect=protect))
            except (OSError, ValueError) as exc:
                raise fail(f"cannot write {output}: {exc}")

    def _render(self, doc: Document, result: Normalized) -> str:
        if self.fmt is TextFormat.jsonl:
            return json.dumps(normalized_record(doc, result), ensure_ascii=False) + "\n"
        return result.text if result.text.endswith("\n") or not result.text else result.text + "\n"

    def write(self, doc: Document, result: Normalized) -> None:
        body = self._render(doc, result)
        if self.folder is not None:
            name = doc.output_name
            if self.fmt is TextFormat.jsonl:
                name = name.rsplit(".", 1)[0] + ".jsonl"
            with atomic_writer(self.folder / name, protect=self.protect) as fh:
                fh.write(body)
            return
        assert self.stream is not None
        if self.fmt is TextFormat.text and self.several:
            # Several documents in one stream: mark where each begins, like head(1).
            self.stream.write(f"{chr(10) if self.count else ''}==> {doc.id} <==\n")
        self.stream.write(body)
        self.count += 1


class EntityType(str, Enum):
    person = "person"
    place = "place"
    organization = "organization"


@app.command("names")
def names_command(
    spelling: Optional[str] = typer.Argument(None, help="A spelling to look up (Selenskyj, Kiew, Мединский); omit to list the gazetteer."),
    type_: Optional[EntityType] = typer.Option(None, "--type", help="List only entities of this type."),
    gazetteer: Optional[List[Path]] = typer.Option(None, "--gazetteer", help=GAZETTEER_HELP),
) -> None:
    """List the name gazetteer, or say which entity a spelling stands for and how it matched."""
    from detente.normalize.names import Gazetteer

    table = load_rules(None, gazetteer)
    gaz = table.compiled("names.gazetteer", Gazetteer.from_rules)
    if spelling is None:
        for e in gaz.entities(type_.value if type_ else None):
            extra = f" ({e.gender})" if e.gender else ""
            typer.echo(f"{e.id}\t{e.type}\t{e.canonical}{extra}")
        return
    matches = [m for m in gaz.lookup(spelling) if type_ is None or m.entity.type == type_.value]
    if not matches:
        typer.echo(f"{spelling!r}: no entity in the gazetteer", err=True)
        raise typer.Exit(1)
    for m in matches:
        typer.echo(f"{spelling} -> {m.entity.canonical} [{m.entity.id}, {m.entity.type}] matched by {m.how} ({m.spelling})")


def run() -> None:  # console-script entry point
    app()
