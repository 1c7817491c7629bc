"""The normalizer's data tables: shipped CSV files, extended or overridden by users.

Every table is a CSV file under ``normalize/data/`` whose first column is a
row id. A user table is a CSV file named ``<table>.csv`` or
``<anything>.<table>.csv`` (or a folder of them). Its rows are added to the
shipped table. A row whose id exists already overrides it cell by cell: a
non-empty cell replaces the shipped value, an empty cell keeps it, and a cell
starting with ``+`` appends to a ``;``-separated list (``+de:Selenskyj``). A
row with ``disabled`` set to ``true`` removes the shipped row. ``Rules.load(..., defaults=False)``
starts from empty tables instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

T = TypeVar("T")

#: The tables the normalizer knows, in the order stages use them.
TABLE_NAMES: tuple[str, ...] = (
    "unicode",
    "boilerplate",
    "function_words",
    "proper_nouns",
    "quote_styles",
    "quirk_patterns",
    "homoglyphs",
    "pronouns",
    "gazetteer",
    "english_collisions",
)

Row = Mapping[str, str]


class TableError(ValueError):
    """A table file is missing, unreadable or malformed; the message names file and line."""


def _parse_csv(text: str, source: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for row in reader:
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [h.strip() for h in row]
            if not header[0]:
                raise TableError(f"{source}:{line}: the header's first column (the row id) has no name")
            continue
        if len(row) != len(header):
            raise TableError(
                f"{source}:{line}: expected {len(header)} fields ({', '.join(header)}), found {len(row)}"
            )
        values = dict(zip(header, row))
        if not values[header[0]].strip():
            raise TableError(f"{source}:{line}: empty {header[0]!r}")
        values["_source"] = f"{source}:{line}"
        rows.append(values)
    if header is None:
        raise TableError(f"{source}: no header row")
    return rows


def read_table(path: str | Path) -> list[dict[str, str]]:
    """Read one user CSV table; raises :class:`TableError` with file and line on problems."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TableError(f"{p}: no such table file") from None
    except UnicodeDecodeError as exc:
        raise TableError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise TableError(f"{p}: cannot read ({exc.strerror})") from None
    return _parse_csv(text, str(p))


def table_name_of(path: str | Path) -> str:
    """``boilerplate.csv`` and ``mysite.boilerplate.csv`` both name the ``boilerplate`` table."""
    p = Path(path)
    if p.suffix.lower() != ".csv":
        raise TableError(f"{p}: a table file must be a .csv file named <table>.csv")
    name = p.stem.rsplit(".", 1)[-1]
    if name not in TABLE_NAMES:
        raise TableError(f"{p}: unknown table {name!r}; known tables: {', '.join(TABLE_NAMES)}")
    return name


def _expand(paths: Iterable) -> list[tuple[str, Path]]:
    """(table name, file) for every user table: files, folders, or explicit (name, file) pairs."""
    out: list[tuple[str, Path]] = []
    for raw in paths:
        if isinstance(raw, tuple):
            name, p = raw[0], Path(raw[1])
            if name not in TABLE_NAMES:
                raise TableError(f"{p}: unknown table {name!r}; known tables: {', '.join(TABLE_NAMES)}")
            out.append((name, p))
            continue
        p = Path(raw)
        if p.is_dir():
            out.extend((table_name_of(q), q) for q in sorted(p.glob("*.csv")))
        else:
            out.append((table_name_of(p), p))
    return out


@lru_cache(maxsize=None)
def _shipped(name: str) -> tuple[dict[str, str], ...]:
    ref = resources.files("detente.normalize").joinpath("data", f"{name}.csv")
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    return tuple(_parse_csv(text, f"detente/normalize/data/{name}.csv"))


def _merge(base: Sequence[Row], extra: Sequence[Row]) -> tuple[Row, ...]:
    if not base:
        key = None
    else:
        key = next(iter(base[0]))
    merged: dict[str, Row] = {}
    for row in base:
        merged[row[next(iter(row))]] = row
    for row in extra:
        k = next(iter(row))
        if key is not None and k != key:
            raise TableError(f"{row['_source']}: first column must be {key!r}, like the shipped table")
        rid = row[k]
        if row.get("disabled", "").strip().lower() in {"true", "yes", "1"}:
            merged.pop(rid, None)
        elif rid in merged:
            merged[rid] = _override(merged[rid], row)
        else:
            merged[rid] = {c: v.lstrip("+") if c != "_source" else v for c, v in row.items()}
    return tuple(merged.values())


def _override(old: Row, new: Row) -> Row:
    out = dict(old)
    for col, value in new.items():
        if col == "_source":
            out[col] = value
        elif value.startswith("+"):
            out[col] = ";".join(v for v in (old.get(col, ""), value[1:]) if v)
        elif value.strip():
            out[col] = value
    return out


@dataclass(frozen=True, eq=False)
class Rules:
    """Every table the normalizer uses. Immutable; build with :meth:`load`."""

    tables: Mapping[str, tuple[Row, ...]]
    sources: tuple[str, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, extra: Iterable = (), *, defaults: bool = True) -> "Rules":
        """Shipped tables plus user tables: paths named ``<table>.csv``, folders, or ``(table, path)`` pairs."""
        files = _expand(extra)
        if not files and defaults:
            return default_rules()
        user: dict[str, list[Row]] = {}
        for name, f in files:
            user.setdefault(name, []).extend(read_table(f))
        tables = {
            name: _merge(_shipped(name) if defaults else (), user.get(name, ()))
            for name in TABLE_NAMES
        }
        return cls(tables, tuple(str(f) for _, f in files))

    def rows(self, name: str) -> tuple[Row, ...]:
        return self.tables.get(name, ())

    def fingerprint(self) -> str:
        """A digest of the tables' content: equal for equal tables, whatever their object."""
        try:
            return self._cache["fingerprint"]
        except KeyError:
            blob = pickle.dumps(sorted((name, rows) for name, rows in self.tables.items()), protocol=4)
            value = self._cache["fingerprint"] = hashlib.sha256(blob).hexdigest()
            return value

    def __reduce__(self):
        # Compiled matchers stay behind (large; rebuilt where the copy is used); the
        # fingerprint travels, so a worker need not digest the tables again for each chunk.
        return (type(self), (self.tables, self.sources, {"fingerprint": self.fingerprint()}))

    def compiled(self, key: str, build: Callable[["Rules"], T]) -> T:
        """Build (once per Rules object) what a stage derives from the tables, e.g. a regex."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = build(self)
            return value


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped tables, loaded once."""
    return Rules({name: _shipped(name) for name in TABLE_NAMES})
