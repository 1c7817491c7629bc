"""``analyze()``: the whole flow over many documents, one record per statement × issue.

normalize → statements → issues → stance, streamed: documents are read,
analyzed and handed back one chunk at a time, so memory stays flat however
large the corpus. The per-chunk work is one pure function,
:func:`analyze_batch` (texts and ids in, records out), so that any engine
(joblib here, Dask below, Spark in the README) can wrap it.

Record schema (``FIELDS``; one flat dict per record, loadable by pandas):

* ``doc_id``, ``path`` (None for texts and stdin), ``date`` (``YYYY-MM-DD`` from the
  file name, else from the start of the text, else None: see :func:`document_date`);
* ``statement`` (index in the document), ``text`` (normalized statement),
  ``start``/``end`` (normalized offsets), ``orig_start``/``orig_end`` (original offsets),
  ``speaker`` (canonical name or None), ``quote``;
* ``lang``: the language of the statement's paragraph (``en`` unless the paragraph was
  left untranslated: the stance model reads English only, so filter on it), or None when
  the ``language`` stage is skipped;
* ``issue``, ``stance``, ``confidence`` (probability of ``stance``) and ``p_<stance>``
  for each of ``STANCES``. A statement with no issue still yields **one** record, with
  these fields None, so every statement is in the table;
* ``changes``: the normalizer's changes that touched the statement (list of dicts);
* ``error``: None, or the reason a document could not be analyzed. An error record
  has ``doc_id``, ``path`` and ``error`` set and every other field None.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from detente.documents import Document, DocumentError, expand_paths, read_input, read_path
from detente.stance import STANCES, _gc_paused

if TYPE_CHECKING:
    from detente.normalize.tables import Rules

__all__ = [
    "FIELDS", "MAX_CHARS", "analyze", "analyze_batch", "analyze_paths",
    "document_date", "iter_documents_results",
]

PROB_FIELDS = tuple(f"p_{s}" for s in STANCES)
FIELDS: tuple[str, ...] = (
    "doc_id", "path", "date", "statement", "text", "start", "end", "orig_start", "orig_end",
    "speaker", "quote", "lang", "issue", "stance", "confidence", *PROB_FIELDS, "changes", "error",
)
#: Longer documents are refused with an error record: they are not articles, and
#: normalizing one would stall a worker for minutes.
MAX_CHARS = 2_000_000
#: Documents per chunk: large enough for one efficient model call, small enough
#: that Ctrl-C and the progress bar stay responsive.
CHUNK_SIZE = 32

Record = dict[str, Any]


# -- dates ----------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-_./]?(?P<m>[01]\d)[-_./]?(?P<d>[0-3]\d)(?!\d)"),
    re.compile(_MON + r"\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MON + r"\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
)
#: Dates are looked for only in the head of a text (dateline, byline, image name):
#: dates further down are usually about events, not the article.
DATE_HEAD = 600


def _first_date(s: str) -> str | None:
    found: list[tuple[int, str]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(s):
            mon = m.groupdict().get("mon")
            month = int(m["m"]) if mon is None else next(v for k, v in _MONTHS.items() if k.startswith(mon.lower()[:3]))
            try:
                found.append((m.start(), date(int(m["y"]), month, int(m["d"])).isoformat()))
                break  # the first valid match of this pattern
            except ValueError:
                continue
    return min(found)[1] if found else None


def document_date(text: str, path: str | None = None) -> str | None:
    """The document's date as ``YYYY-MM-DD``: from the file name if it has one
    (2022-03-16, 2022_03_16, 20220316), else the first date in the first
    ``DATE_HEAD`` characters of the text (also "March 16, 2022", "16 March 2022")."""
    if path:
        found = _first_date(Path(path).name)
        if found:
            return found
    return _first_date(text[:DATE_HEAD])


# -- the per-chunk work -----------------------------------------------------------

_MODELS: dict[str | None, Any] = {}


def get_model(path: str | None = None):
    """The stance model, loaded once per process (each worker loads its own)."""
    if path not in _MODELS:
        from detente.model_io import load_model

        _MODELS[path] = load_model(path)
    return _MODELS[path]


def error_record(doc_id: str, message: str, path: str | None = None) -> Record:
    rec = dict.fromkeys(FIELDS)
    rec.update(doc_id=doc_id, path=path, error=message)
    return rec


@dataclass
class _Doc:
    """One document's statements and where its stance rows go in the chunk's model call."""

    id: str
    path: str | None
    date: str | None
    norm: Any = None
    statements: Sequence = ()
    error: str | None = None


#: User tables seen in this process, by content: a worker receives a fresh copy of the
#: Rules with every chunk, and its compiled matchers (a gazetteer takes a while) are
#: built once per process, not once per chunk.
_RULES_SEEN: dict[str, "Rules"] = {}


def _interned(rules: "Rules | None") -> "Rules | None":
    if rules is None:
        return None
    key = rules.fingerprint()
    if key not in _RULES_SEEN:
        if len(_RULES_SEEN) >= 4:
            _RULES_SEEN.pop(next(iter(_RULES_SEEN)))
        _RULES_SEEN[key] = rules
    return _RULES_SEEN[key]


def _prepare(text: str, doc_id: str, path: str | None, skip: Iterable[str], rules: "Rules | None" = None) -> _Doc:
    from detente.normalize import normalize
    from detente.segment import statements

    if not isinstance(text, str) or not text.strip():
        return _Doc(doc_id, path, None, error="empty document (no text)")
    if len(text) > MAX_CHARS:
        return _Doc(doc_id, path, None, error=f"too large to analyze ({len(text):,} characters; the limit is {MAX_CHARS:,})")
    try:
        norm = normalize(text, skip=skip, rules=rules)
        found = statements(norm)
    except Exception as exc:  # one bad document must not stop the corpus
        return _Doc(doc_id, path, None, error=f"analysis failed: {type(exc).__name__}: {exc}")
    if not found:
        return _Doc(doc_id, path, None, error="no statements found (nothing left after normalization)")
    return _Doc(doc_id, path, document_date(text, path), norm, found)


def _language_at(norm) -> Callable[[int], str | None]:
    """The language of the paragraph holding a normalized offset (the document's between paragraphs)."""
    langs = norm.languages
    if langs is None:
        return lambda pos: None
    paragraphs = langs.paragraphs
    starts = [p.start for p in paragraphs]

    def at(pos: int) -> str:
        i = bisect_right(starts, pos) - 1
        return paragraphs[i].lang if i >= 0 and pos < paragraphs[i].end else langs.document
    return at


def _statement_record(doc: _Doc, k: int, st, lang: str | None) -> Record:
    return {
        "doc_id": doc.id, "path": doc.path, "date": doc.date, "statement": k, "text": st.text,
        "start": st.start, "end": st.end, "orig_start": st.orig_start, "orig_end": st.orig_end,
        "speaker": st.speaker, "quote": st.quote, "lang": lang, "issue": None, "stance": None, "confidence": None,
        **_NO_STANCE,
        # orig_start/orig_end are the statement's span mapped to the input, as changes_between maps it.
        "changes": [c.to_dict() for c in doc.norm.changes_in_input(st.orig_start, st.orig_end)],
        "error": None,
    }


def _reuses_hits(model) -> bool:
    """Is ``model`` a StanceModel whose issue views use the shipped taxonomy?"""
    from detente.stance import StanceFeatures, StanceModel

    feats = getattr(model, "features_", None)
    return (type(model) is StanceModel and type(feats) is StanceFeatures and feats.issue_views
            and feats.taxonomy is None)


_NO_STANCE = dict.fromkeys(PROB_FIELDS)


def _stance_fields(classes: Sequence[str], proba) -> list[dict]:
    """The stance fields of each row of ``proba``. The rows become Python floats in one
    call: converting numpy scalars one by one cost more than building the records."""
    if not len(proba):
        return []
    proba = np.asarray(proba)
    keys = [f"p_{c}" for c in classes]
    out = []
    for best, row in zip(proba.argmax(axis=1).tolist(), proba.tolist()):
        fields = {"stance": classes[best], "confidence": round(row[best], 6)}
        fields.update(zip(keys, [round(p, 6) for p in row]))
        out.append(fields)
    return out


def _records(docs: list[_Doc], model) -> list[list[Record]]:
    """Per document, its records; one model call for the whole chunk."""
    texts, issues = [], []
    # The statements' issue hits are the model's evidence spans when it uses the shipped
    # taxonomy (the one statements() used): hand them over instead of searching again.
    reuse = _reuses_hits(model)
    spans: list | None = [] if reuse else None
    for d in docs:
        for st in d.statements:
            if not st.issues:
                continue
            texts += [st.text] * len(st.issues)
            issues += st.issues
            if reuse:
                if len(st.issues) == 1:
                    spans.append([(h.start, h.end) for h in st.hits])
                else:
                    spans += [[(h.start, h.end) for h in st.hits if h.issue == i] for i in st.issues]
    if not texts:
        proba = []
    elif reuse:
        proba = model._predict_proba(texts, issues, spans)
    else:
        proba = model.predict_proba(texts, issues)
    stances = iter(_stance_fields([str(c) for c in model.classes_], proba))
    out = []
    for d in docs:
        if d.error:
            out.append([error_record(d.id, d.error, d.path)])
            continue
        recs, lang_at = [], _language_at(d.norm)
        for k, st in enumerate(d.statements):
            base = _statement_record(d, k, st, lang_at(st.start))
            if not st.issues:
                recs.append(base)
            for issue in st.issues:
                recs.append({**base, "issue": issue, **next(stances)})
        out.append(recs)
    return out


def analyze_documents(
    texts: Sequence[str], ids: Sequence[str], paths: Sequence[str | None] | None = None,
    *, model=None, model_path: str | None = None, skip: Iterable[str] = (), rules: "Rules | None" = None,
) -> list[list[Record]]:
    """Like :func:`analyze_batch`, but the records grouped per document."""
    if len(texts) != len(ids):
        raise ValueError("texts and ids must have the same length")
    paths = list(paths) if paths is not None else [None] * len(texts)
    skip = tuple(skip)
    rules = _interned(rules)
    model = model if model is not None else get_model(model_path)
    # A chunk allocates many small objects that live until its records are built: the
    # cyclic collector would walk them over and over (see detente.stance._gc_paused).
    with _gc_paused():
        docs = [_prepare(t, str(i), p, skip, rules) for t, i, p in zip(texts, ids, paths)]
        return _records(docs, model)


def analyze_batch(
    texts: Sequence[str], ids: Sequence[str], paths: Sequence[str | None] | None = None,
    *, model=None, model_path: str | None = None, skip: Iterable[str] = (), rules: "Rules | None" = None,
) -> list[Record]:
    """The records of a batch of documents, in input order: a pure function of its inputs.

    ``model`` defaults to the one at ``model_path`` (None: the shipped model),
    loaded once per process. ``skip`` and ``rules`` are passed to
    :func:`detente.normalize`. A document that cannot be analyzed gives one
    error record; it never raises for bad text.
    """
    return [r for recs in analyze_documents(texts, ids, paths, model=model, model_path=model_path, skip=skip,
                                            rules=rules)
            for r in recs]


def analyze_paths(
    files: Sequence[tuple[str, str]], *, model_path: str | None = None, skip: Iterable[str] = (),
    rules: "Rules | None" = None,
) -> list[list[Record]]:
    """Read and analyze ``(doc_id, path)`` files on this machine (a Dask or Spark worker):
    only the paths travel, the texts never pass through the client."""
    refs = [_FileRef(doc_id, path, Path(path).name) for doc_id, path in files]
    return _analyze_chunk(refs, model_path=model_path, skip=skip, rules=rules)


def _analyze_items(
    items: Sequence[Document | DocumentError], *, model=None, model_path: str | None = None, skip: Iterable[str] = (),
    rules: "Rules | None" = None,
) -> list[list[Record]]:
    """Documents and read errors of one chunk, analyzed, in order."""
    docs = [d for d in items if isinstance(d, Document)]
    done = iter(analyze_documents([d.text for d in docs], [d.id for d in docs], [d.path for d in docs],
                                  model=model, model_path=model_path, skip=skip, rules=rules))
    return [[error_record(d.id, d.message, d.path)] if isinstance(d, DocumentError) else next(done) for d in items]


@dataclass(frozen=True, slots=True)
class _FileRef:
    """A plain (not .jsonl) input file, read where it is analyzed: with ``--jobs N`` the
    worker reads it, so the texts never pass through the main process."""

    id: str
    path: str
    name: str


def _read_items(items: Sequence[Document | DocumentError | _FileRef]) -> list[Document | DocumentError]:
    out: list[Document | DocumentError] = []
    for item in items:
        if isinstance(item, _FileRef):
            out += read_path(item.id, Path(item.path), item.name)
        else:
            out.append(item)
    return out


def _analyze_chunk(
    items: Sequence[Document | DocumentError | _FileRef], *, model=None, model_path: str | None = None,
    skip: Iterable[str] = (), rules: "Rules | None" = None,
) -> list[list[Record]]:
    """:func:`_analyze_items` after reading the chunk's file references."""
    return _analyze_items(_read_items(items), model=model, model_path=model_path, skip=skip, rules=rules)


def _packed_chunk(
    items: Sequence, *, model_path: str | None, skip: Iterable[str], rules: "Rules | None" = None,
) -> list[list[tuple | Record]]:
    """:func:`_analyze_chunk` in a worker process, each record as the tuple of its values:
    records have exactly the keys ``FIELDS``, in that order (see :func:`_records` and
    :func:`error_record`), so the keys need not travel back (a record that had others
    would travel as it is); :func:`_unpacked` rebuilds the dicts."""
    return [[tuple(r.values()) if tuple(r) == FIELDS else r for r in recs]
            for recs in _analyze_chunk(items, model_path=model_path, skip=skip, rules=rules)]


def _unpacked(chunk: list[list[tuple | Record]]) -> Iterator[list[Record]]:
    for rows in chunk:
        yield [dict(zip(FIELDS, row)) if type(row) is tuple else row for row in rows]


# -- streaming over a corpus -------------------------------------------------------


def _is_path(item: Any) -> bool:
    if isinstance(item, os.PathLike):
        return True
    # A short single-line string naming something on disk is a path; anything else is text.
    return isinstance(item, str) and (item == "-" or ("\n" not in item and len(item) < 4096 and os.path.exists(item)))


def _documents(inputs: Iterable[Any], *, lazy: bool = False) -> Iterator[Document | DocumentError | _FileRef]:
    """Every document of ``inputs``, in order. With ``lazy``, plain files come as :class:`_FileRef`
    to be read by :func:`_read_items` (stdin and .jsonl files, which hold several documents,
    are read here)."""
    n = 0
    for item in inputs:
        if isinstance(item, (Document, DocumentError)):
            yield item
        elif _is_path(item):
            for doc_id, path, name in expand_paths([os.fspath(item)]):
                if lazy and path is not None and path.suffix.lower() != ".jsonl":
                    yield _FileRef(doc_id, str(path), name)
                else:
                    yield from read_input(doc_id, path, name)
        else:
            n += 1
            yield Document(f"text-{n}", item, None)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _local(inputs, *, jobs: int, chunk_size: int, model, model_path, skip, rules, exclude) -> Iterator[list[Record]]:
    # A plain file yields one document whose id is its _FileRef's id, so excluding by id
    # before reading is the same as after.
    docs = (d for d in _documents(inputs, lazy=jobs > 1) if d.id not in exclude)
    chunks = _chunks(docs, chunk_size)
    if jobs == 1:
        model = model if model is not None else get_model(model_path)
        for chunk in chunks:
            yield from _analyze_items(chunk, model=model, skip=skip, rules=rules)
        return
    from joblib import Parallel, delayed

    # Workers load the model themselves (once each, cached in the worker process), read
    # their files and send back compact records: the main process, which shares the
    # machine's cores with them, only writes. return_as="generator" keeps input order
    # and only a few chunks in flight.
    run = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs", batch_size=1)
    for result in run(delayed(_packed_chunk)(c, model_path=model_path, skip=skip, rules=rules) for c in chunks):
        yield from _unpacked(result)


def _dask(inputs, *, scheduler: str | None, chunk_size: int, model_path, skip, rules, exclude,
          jobs: int) -> Iterator[list[Record]]:
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("the dask backend needs the 'distributed' package: pip install 'detente[dask]'") from None
    from detente.documents import expand_paths

    files = []
    for item in inputs:
        if not _is_path(item) or item == "-":
            raise ValueError("the dask backend reads files on the workers: give paths, not texts or stdin")
        files += [(i, str(p)) for i, p, _ in expand_paths([os.fspath(item)]) if i not in exclude]
    client = Client(scheduler) if scheduler else Client(processes=False, n_workers=max(1, jobs))
    try:
        window: deque = deque()  # futures in flight, oldest first: input order, bounded memory
        in_flight = max(2, 2 * sum(client.nthreads().values()))
        for chunk in _chunks(files, chunk_size):
            window.append(client.submit(analyze_paths, chunk, model_path=model_path, skip=skip, rules=rules,
                                        pure=False))
            if len(window) >= in_flight:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        client.close()


def iter_documents_results(
    inputs: Iterable[Any], *, jobs: int = 1, chunk_size: int = CHUNK_SIZE, backend: str = "joblib",
    scheduler: str | None = None, model=None, model_path: str | None = None,
    skip: Iterable[str] = (), rules: "Rules | None" = None, exclude: Iterable[str] = (),
) -> Iterator[list[Record]]:
    """Each document's records (a list), in input order. ``exclude``: document ids to leave out."""
    exclude = frozenset(exclude)
    skip = tuple(skip)
    if backend == "dask":
        gen = _dask(inputs, scheduler=scheduler, chunk_size=chunk_size, model_path=model_path,
                    skip=skip, rules=rules, exclude=exclude, jobs=jobs)
        # jsonl files hold several documents; their ids are only known after reading.
        return (recs for recs in gen if recs[0]["doc_id"] not in exclude)
    if backend != "joblib":
        raise ValueError(f"unknown backend {backend!r}; choose joblib or dask")
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    return _local(inputs, jobs=jobs, chunk_size=chunk_size, model=model, model_path=model_path,
                  skip=skip, rules=rules, exclude=exclude)


def analyze(paths_or_texts: Iterable[Any], **options: Any) -> Iterator[Record]:
    """Records (see the module doc) for every statement × issue of every input, in order.

    Inputs are paths (``str``/``Path`` naming a file or folder, ``-`` for stdin),
    :class:`~detente.documents.Document` objects, or texts (any other string;
    ids ``text-1``, ``text-2``...). Options: ``jobs``, ``chunk_size``,
    ``backend`` (``joblib`` or ``dask``), ``scheduler``, ``model``,
    ``model_path``, ``skip`` (normalizer stages), ``rules`` (user tables for the normalizer,
    :meth:`detente.normalize.tables.Rules.load`), ``exclude`` (document ids). With
    ``jobs > 1`` or Dask, each worker loads ``model_path`` itself; ``model`` is used in-process only.
    A document that cannot be read or analyzed yields one record with ``error`` set.
    """
    for recs in iter_documents_results(paths_or_texts, **options):
        yield from recs
