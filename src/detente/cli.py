"""The ``detente`` command line: a thin shell over the library's functions."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import IO, List, Optional

import typer

from detente import __version__
from detente.documents import Document, DocumentError, atomic_writer, input_paths, read_documents
from detente.normalize import STAGES, Normalized, normalize
from detente.cli_common import GAZETTEER_HELP, RULES_HELP, check_skip, fail, load_rules

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


def report(error: DocumentError) -> None:
    typer.echo(f"detente: error: {error}", err=True)


SKIP_HELP = f"Stage to leave out ({', '.join(STAGES)}, language); repeat for several."


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
            except BrokenPipeError:
                raise  # the reader of stdout has gone (| head): click exits quietly with status 1
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


class TableFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    text = "text"


MODEL_HELP = "A model file (.skops, with its manifest beside it); default: the shipped model."
FORCE_HELP = "Load a model saved under another scikit-learn version anyway (predictions may differ)."


def _load_model(model: Path | None, force: bool, trust_joblib: bool = False):
    from detente.model_io import ModelError, load_model

    try:
        return load_model(model, force=force, trust_joblib=trust_joblib)
    except ModelError as exc:
        raise fail(str(exc))


@app.command("train")
def train_command(
    data: List[Path] = typer.Option(..., "--data", help="Labeled CSV/JSONL files or folders (columns text, issue, stance; see ANNOTATION.md)."),
    out: Path = typer.Option(Path("models/stance.skops"), "--out", help="Where to write the model (+ its .manifest.json)."),
    cv: int = typer.Option(5, "--cv", min=0, help="Grouped cross-validation folds (0 to skip)."),
    only: bool = typer.Option(False, "--only", help="Train on the given data only, without the shipped training data."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model even if its cross-validated macro-F1 was higher."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="Issue taxonomy CSV for another conflict (default: the shipped one)."),
) -> None:
    """Validate labeled data, cross-validate, train and save a stance model with its manifest."""
    from detente.training import DataError, ModelExistsError, train

    if out.suffix == "":
        out = out.with_suffix(".skops")
    try:
        manifest = train(data, out, cv=cv, only=only, force=force, taxonomy=taxonomy)
    except DataError as exc:
        raise fail(str(exc), 1)
    except ModelExistsError as exc:
        raise fail(str(exc), 1)
    typer.echo(f"wrote {out} ({manifest['training_data']['rows']:,} rows)")
    if manifest.get("cv"):
        typer.echo(format_metrics(manifest["cv"], title=f"grouped {manifest['cv'].get('folds', cv)}-fold cross-validation"))


@app.command("evaluate")
def evaluate_command(
    data: List[Path] = typer.Option(..., "--data", help="Labeled CSV/JSONL files or folders."),
    model: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (macro_f1, accuracy, per_class, n, ...)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Score a model on labeled data: per-class P/R/F1, macro-F1, accuracy, confusion matrix, per-issue F1."""
    from detente.model_io import ModelError
    from detente.training import DataError, evaluate_paths

    try:
        result = evaluate_paths(data, model_path=model, force=force)
    except (DataError, ModelError) as exc:
        raise fail(str(exc), 1)
    typer.echo(json.dumps(result, indent=None if as_json else 2) if as_json else format_metrics(result))


def format_metrics(m: dict, title: str = "evaluation") -> str:
    lines = [f"{title}: n={m.get('n')}  macro-F1={m['macro_f1']:.3f}  accuracy={m['accuracy']:.3f}"
             + (f"  ECE={m['ece']:.3f}" if "ece" in m else "")]
    lines.append(f"  {'class':<14}{'precision':>10}{'recall':>10}{'f1':>8}{'n':>7}")
    for label, row in m.get("per_class", {}).items():
        lines.append(f"  {label:<14}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>8.3f}{row.get('support', ''):>7}")
    confusion = m.get("confusion")
    if isinstance(confusion, dict) and confusion.get("labels"):
        labels = confusion["labels"]
        lines.append("  confusion (rows: true, columns: predicted): " + " ".join(f"{l[:5]:>6}" for l in labels))
        for label, row in zip(labels, confusion["matrix"]):
            lines.append(f"    {label:<12}" + " ".join(f"{v:>6}" for v in row))
    if m.get("per_issue"):
        lines.append("  per-issue macro-F1: " + ", ".join(
            f"{k} {v['macro_f1'] if isinstance(v, dict) else v:.3f}" for k, v in sorted(m["per_issue"].items())))
    return "\n".join(lines)


@app.command("classify")
def classify_command(
    paths: List[str] = typer.Argument(..., help="Files, folders or - for stdin."),
    issue: Optional[str] = typer.Option(None, "--issue", help="Classify each non-empty line as one statement on this issue, instead of segmenting."),
    model: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    fmt: TableFormat = typer.Option(TableFormat.jsonl, "--format", help="jsonl, csv or text."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Stance (conciliatory, hardline, neutral) of each statement on each issue it touches."""
    from detente.segment import statements

    stance_model = _load_model(model, force)
    known = [str(i) for i in stance_model.issues_]
    if issue is not None and issue not in known:
        raise fail(f"unknown issue {issue!r}; the model knows: {', '.join(known)}")
    failed = False
    writer = _RecordWriter(sys.stdout, fmt)
    for doc in read_documents(paths):
        if isinstance(doc, DocumentError):
            report(doc)
            failed = True
            continue
        if issue is not None:
            units = [(line.strip(), None, (issue,)) for line in doc.text.splitlines() if line.strip()]
        else:
            units = [(s.text, s.speaker, s.issues) for s in statements(normalize(doc.text).text)]
        pairs = [(text, speaker, i) for text, speaker, issues in units for i in issues]
        if not pairs:
            continue
        proba = stance_model.predict_proba([p[0] for p in pairs], [p[2] for p in pairs])
        for (text, speaker, i), row in zip(pairs, proba):
            k = int(row.argmax())
            writer.write({"id": doc.id, "text": text, "speaker": speaker, "issue": i,
                          "stance": str(stance_model.classes_[k]), "confidence": round(float(row[k]), 4),
                          **{f"p_{c}": round(float(p), 4) for c, p in zip(stance_model.classes_, row)}})
    if failed:
        raise typer.Exit(1)


class _RecordWriter:
    """Flat records as JSON Lines, CSV (header from the first record) or aligned text."""

    def __init__(self, stream: IO[str], fmt: TableFormat):
        self.stream, self.fmt, self.csv = stream, fmt, None

    def write(self, record: dict) -> None:
        if self.fmt is TableFormat.jsonl:
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt is TableFormat.csv:
            import csv

            if self.csv is None:
                self.csv = csv.DictWriter(self.stream, fieldnames=list(record), extrasaction="ignore")
                self.csv.writeheader()
            self.csv.writerow(record)
        else:
            self.stream.write(f"{record['stance']:<13}{record['confidence']:.2f}  {record['issue']:<20} {record['text']}\n")


from detente.cli_analyze import register as _register_analyze  # noqa: E402  (needs the helpers above)

_register_analyze(app)


def run() -> None:  # console-script entry point
    app()
