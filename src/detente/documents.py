"""Reading inputs safely and writing outputs atomically.

Inputs are files, folders (searched recursively for ``*.txt``, ``*.md`` and
``*.jsonl``) and ``-`` for standard input. A bad input never stops the
others: it comes out of :func:`read_documents` as a :class:`DocumentError`
carrying one readable message.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

#: File suffixes read from folders.
SUFFIXES = (".txt", ".md", ".jsonl")
#: How much of a file is examined to tell text from binary.
_SNIFF = 8192
#: A document larger than this is refused (it is not an article).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Document:
    """One input text. ``encoding`` says how the bytes were decoded."""

    id: str
    text: str
    path: str | None = None
    encoding: str = "utf-8"
    name: str = ""  # relative name for per-document outputs (``-o FOLDER``)

    @property
    def output_name(self) -> str:
        return self.name or Path(self.id).name or "stdin"


@dataclass(frozen=True, slots=True)
class DocumentError:
    """An input that could not be read; ``message`` is meant for the user."""

    id: str
    message: str
    path: str | None = None

    def __str__(self) -> str:
        return f"{self.id}: {self.message}"


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not, UTF-16 with a BOM), else cp1252, else latin-1.

    Returns the text and the encoding used; raises ``ValueError`` for binary data.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:_SNIFF]:
        raise ValueError("binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_binary(data[:_SNIFF]):
        raise ValueError("binary file (control bytes), not text")
    try:
        return data.decode("cp1252"), "cp1252 (fallback: not valid UTF-8)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1 (fallback: not valid UTF-8 or cp1252)"


def _looks_binary(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


def read_bytes_as_documents(
    data: bytes, doc_id: str, path: str | None, jsonl: bool, name: str = ""
) -> Iterator[Document | DocumentError]:
    if len(data) > MAX_BYTES:
        yield DocumentError(doc_id, f"too large ({len(data) // 1048576} MB; the limit is {MAX_BYTES // 1048576} MB)", path)
        return
    try:
        text, encoding = decode(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield DocumentError(doc_id, str(exc), path)
        return
    if jsonl:
        yield from _jsonl_documents(text, doc_id, path, encoding, name)
    elif not text.strip():
        yield DocumentError(doc_id, "empty file (no text)", path)
    else:
        yield Document(doc_id, text, path, encoding, name)


def _jsonl_documents(
    text: str, doc_id: str, path: str | None, encoding: str, name: str
) -> Iterator[Document | DocumentError]:
    found = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        found = True
        where = f"{doc_id}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield DocumentError(where, f"not valid JSON ({exc.msg} at column {exc.colno})", path)
            continue
        body = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(body, str) or not body.strip():
            yield DocumentError(where, "no non-empty string field 'text'", path)
            continue
        stem = name.rsplit(".", 1)[0] if name else "stdin"
        yield Document(str(obj.get("id") or where), body, path, encoding, f"{stem}-{n}.txt")
    if not found:
        yield DocumentError(doc_id, "empty file (no JSON lines)", path)


def expand_paths(inputs: Iterable[str]) -> Iterator[tuple[str, Path | None, str]]:
    """Each input as (display id, path, relative name); folders expand to their files, sorted."""
    for raw in inputs:
        if raw == "-":
            yield "stdin", None, "stdin.txt"
            continue
        p = Path(raw)
        if p.is_dir():
            files = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
            if not files:
                yield raw, p, p.name  # reported as an error by read_path
            for q in files:
                yield q.as_posix(), q, q.relative_to(p).as_posix()
        else:
            yield raw, p, p.name


def read_path(doc_id: str, path: Path, name: str = "") -> Iterator[Document | DocumentError]:
    if path.is_dir():
        yield DocumentError(doc_id, f"folder has no {', '.join('*' + s for s in SUFFIXES)} files", str(path))
        return
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        yield DocumentError(doc_id, "no such file", str(path))
        return
    except PermissionError:
        yield DocumentError(doc_id, "permission denied", str(path))
        return
    except OSError as exc:
        yield DocumentError(doc_id, f"cannot read ({exc.strerror or exc})", str(path))
        return
    yield from read_bytes_as_documents(data, doc_id, str(path), path.suffix.lower() == ".jsonl", name)


def read_documents(inputs: Iterable[str], stdin: IO[bytes] | None = None) -> Iterator[Document | DocumentError]:
    """Every document of every input, in order; unreadable inputs as :class:`DocumentError`."""
    for doc_id, path, name in expand_paths(inputs):
        yield from read_input(doc_id, path, name, stdin)


def read_input(doc_id: str, path: Path | None, name: str, stdin: IO[bytes] | None = None) -> Iterator[Document | DocumentError]:
    """The documents of one input that :func:`expand_paths` found (``path`` None: stdin)."""
    if path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_bytes_as_documents(stream.read(), doc_id, None, False, name)
    return read_path(doc_id, path, name)


def input_paths(inputs: Iterable[str]) -> set[Path]:
    """Resolved paths of every input file, to refuse writing over any of them."""
    return {p.resolve() for _, p, _ in expand_paths(inputs) if p is not None and p.exists()}


@contextmanager
def atomic_writer(path: str | Path, *, protect: Iterable[Path] = (), mode: str = "w") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place only on success.

    Refuses to write over any path in ``protect`` (the inputs). On an
    exception, or Ctrl-C, the temporary file is removed and ``path`` is
    untouched.
    """
    target = Path(path)
    if target.resolve() in {Path(p).resolve() for p in protect}:
        raise ValueError(f"{target}: refusing to overwrite an input file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8", newline=None if "b" in mode else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | Path, data: str, *, protect: Iterable[Path] = ()) -> None:
    with atomic_writer(path, protect=protect) as fh:
        fh.write(data)
