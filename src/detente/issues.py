"""Issue detection: which negotiation issues a statement is about, with evidence.

The taxonomy is data (``data/issues.csv``, see ANNOTATION.md): one row per
rule, ``id,kind,pattern,note`` with ``kind`` one of

* ``description`` -- the issue's description; its first row fixes the issue order;
* ``keyword`` -- a case-insensitive regex; a match is evidence for the issue;
* ``negative`` -- a regex; a keyword hit of the same issue overlapping it is dropped
  ("NATO defense ministers" is not about membership).

Every pattern is anchored so that a match never starts or ends inside a word;
morphology is written into the pattern (``annex\\w*``, ``guarantees?``).
A user studying another conflict passes their own file to :meth:`Taxonomy.load`.

Speed: one compiled *gate* regex per taxonomy, an alternation of the literal
heads (first letters) of every keyword, finds candidate positions on the
lower-cased text; only there are the issues whose heads fit tried, so
issues whose keywords start at the same word are all reported. Negative
cues run only for issues that hit. :func:`evidence_spans` (one issue, called
per statement by the stance model) uses a gate of that issue's heads only and
tries its negative cues only where one of their heads occurs; it returns
exactly what :func:`detect_issues` reports for the issue. Measured by
``scripts/bench_stages.py``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping

try:  # the regex parser, used only to group keywords by first letter for speed
    import re._parser as _parser  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse as _parser  # type: ignore[no-redef]

__all__ = ["IssueHit", "Taxonomy", "TaxonomyError", "detect_issues", "evidence_spans", "issues_of"]

_KINDS = ("description", "keyword", "negative")
_FLAGS = re.IGNORECASE


class TaxonomyError(ValueError):
    """A taxonomy file is missing or malformed; the message names file and line."""


@dataclass(frozen=True, slots=True)
class IssueHit:
    issue: str
    start: int      # offsets into the text given to detect_issues()
    end: int
    evidence: str


def _anchored(patterns: Iterable[str]) -> str:
    # Anchoring outside the alternation keeps each row readable in the CSV.
    return r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)"


_HEAD = 5       # letters of literal head used by the gate
_CAP = 256      # at most this many heads per pattern, else it is matched the slow way


def _heads(pattern: str) -> frozenset[str] | None:
    """The lower-cased literal starts (up to _HEAD letters) of every match of ``pattern``.

    None when some match can start with something that is not a literal
    (``\\w+``, a long character class): that pattern is searched on its own.
    """
    try:
        parsed = _parser.parse(pattern, _FLAGS)
    except Exception:   # the private parser API changed: search every pattern on its own
        return None
    found = _seq_heads(list(parsed), _HEAD)
    if found is None or len(found) > _CAP or any(h == "" for h, _ in found):
        return None
    return frozenset(h for h, _ in found)


def _seq_heads(seq: list, k: int) -> set[tuple[str, bool]] | None:
    # (head, open): open means the head may still grow with what follows.
    results = {("", True)}
    for op, av in seq:
        grown: set[tuple[str, bool]] = set()
        for head, open_ in results:
            if not open_ or len(head) >= k:
                grown.add((head[:k], False))
                continue
            ext = _item_heads(str(op), av, k - len(head))
            grown |= {(head, False)} if ext is None else {(head + e, o) for e, o in ext}
        if len(grown) > _CAP:
            return None
        results = grown
    return results


def _item_heads(name: str, av, k: int) -> set[tuple[str, bool]] | None:
    if name == "LITERAL":
        return {(chr(av).lower(), True)}
    if name == "IN":
        if len(av) > 8 or any(str(o) != "LITERAL" for o, _ in av):
            return None
        return {(chr(v).lower(), True) for _, v in av}
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {("", True)}    # zero-width: the next item decides
    if name == "SUBPATTERN":
        return _seq_heads(list(av[-1]), k)
    if name == "BRANCH":
        out: set[tuple[str, bool]] = set()
        for alt in av[1]:
            sub = _seq_heads(list(alt), k)
            if sub is None:
                return None
            out |= sub
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        sub = _seq_heads(list(body), k)
        if sub is None:
            return None if low else {("", False)}
        if low == 0 and high == 1:
            return sub | {("", True)}
        sub = {(h, o and low == high == 1) for h, o in sub}
        return sub | {("", False)} if low == 0 else sub
    return None


# Characters that a case-insensitive regex literal matches only as themselves or their ASCII
# upper case, and whose lower-casing by _lowered() is exact: ASCII, but not i, k or s (which
# re also matches to ı/İ, K (Kelvin) and ſ).
_SAFE = frozenset(chr(c) for c in range(32, 127)) - set("iksIKS")


def _required(pattern: str) -> frozenset[str] | None:
    """Lower-case strings at least one of which every match of ``pattern`` contains (in the
    text lowered by :func:`_lowered`); None if none is known. A pre-check for the patterns
    the gate cannot take (found by the regex parser; anything unknown gives no string)."""
    try:
        parsed = _parser.parse(pattern, _FLAGS)
    except Exception:
        return None
    found = _seq_required(list(parsed))
    return frozenset(found) if found else None


def _seq_required(seq: list) -> set[str] | None:
    best: set[str] | None = None
    run = ""
    options: list[set[str]] = []
    for op, av in seq + [(None, None)]:
        name = str(op)
        if name == "LITERAL" and chr(av).lower() in _SAFE and len(chr(av).lower()) == 1:
            run += chr(av).lower()
            continue
        if run:
            options.append({run})
            run = ""
        sub = None
        if name == "SUBPATTERN":
            sub = _seq_required(list(av[-1]))
        elif name == "BRANCH":
            alts = [_seq_required(list(alt)) for alt in av[1]]
            if alts and all(alts):
                sub = set().union(*alts)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            sub = _seq_required(list(av[2]))
        if sub:
            options.append(sub)
    for o in options:   # the option whose shortest string is longest filters best
        if best is None or min(map(len, o)) > min(map(len, best)):
            best = o
    return best


def _containment(strings: Iterable[str] | None):
    """A function ``f(low)`` that is not None exactly when one of ``strings`` occurs in ``low``
    (``any(s in low for s in strings)`` as one search in C: an alternation of the escaped strings matches
    somewhere iff one of them is a substring); None if ``strings`` is None."""
    if strings is None:
        return None
    return re.compile("|".join(map(re.escape, sorted(_minimal(strings))))).search


def _minimal(strings: Iterable[str]) -> set[str]:
    """``strings`` without those that contain another of them: one of the rest occurs exactly
    when one of all does. It matters for speed: ``re`` skips in C to where an alternative can
    start, and " border" next to "border" made every space such a place."""
    strings = set(strings)
    return {s for s in strings if not any(o != s and o in s for o in strings)}


def _gateable(neg_heads: frozenset[str] | None) -> bool:
    """Can a gate find where these negative-cue heads start? Not without heads, nor for
    non-ASCII ones, whose case folding ``str.lower`` may not mirror."""
    return bool(neg_heads) and all(h.isascii() for h in neg_heads)


def _folds_apart(text: str) -> bool:
    """Does ``text`` hold a letter that an IGNORECASE regex matches to an ASCII letter but
    that str.lower does not lower to it (İ ı to i, ſ to s; checked over all of Unicode)?
    Where none occurs, a head found in the lowered text is exactly where an IGNORECASE
    regex would find it. (Three ``in`` tests: a character-class search costs ten times more.)"""
    return "\u0130" in text or "\u0131" in text or "\u017f" in text


def _lowered(text: str) -> str:
    low = text.lower()
    # A few letters (Turkish dotted I) lower to two characters; offsets must not move.
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


class Taxonomy:
    """Issue ids, descriptions and their compiled keyword / negative-cue regexes."""

    def __init__(self, rows: Iterable[Mapping[str, str]], source: str = "<rows>") -> None:
        descriptions: dict[str, str] = {}
        keywords: dict[str, list[str]] = {}
        negatives: dict[str, list[str]] = {}
        for n, row in enumerate(rows, 1):
            where = row.get("_source") or f"{source}:{n}"
            issue, kind, pattern = ((row.get(k, "") or "").strip() for k in ("id", "kind", "pattern"))
            self._check(issue, kind, pattern, where)
            if kind == "description":
                descriptions.setdefault(issue, pattern)
            else:
                (keywords if kind == "keyword" else negatives).setdefault(issue, []).append(pattern)
        order = list(descriptions) + [i for i in keywords if i not in descriptions]
        self.issues: tuple[str, ...] = tuple(order)
        self._descriptions = descriptions
        self.source = source
        if not keywords:
            raise TaxonomyError(f"{source}: no keyword rows")
        self._keyword = {i: re.compile(_anchored(keywords[i]), _FLAGS) for i in order if i in keywords}
        self._negative = {i: re.compile(_anchored(negatives[i]), _FLAGS) for i in negatives}
        # An issue's negative heads (None if one negative has none): used by spans().
        self._negative_heads: dict[str, frozenset[str] | None] = {}
        for i, pats in negatives.items():
            found = [_heads(p) for p in pats]
            self._negative_heads[i] = None if None in found else frozenset().union(*found)
        self._index(keywords)

    def _index(self, keywords: dict[str, list[str]]) -> None:
        """Build the gate: one regex over the literal heads of every keyword.

        Python's ``re`` tries each alternative of a big alternation at every
        word start (~1.5 MB/s for this taxonomy); a plain alternation of
        short literals on lower-cased text runs at ~8 MB/s, and only at its
        hits are the issues whose heads fit tried.
        """
        self._by_head: dict = {}
        loose: dict[str, list[str]] = {}
        self._heads_of: dict[str, set[str]] = {}
        # issue -> (pattern, its heads or None) for each keyword, in file order: see _narrowed()
        self._kw_heads: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
        for issue, pats in keywords.items():
            for p in pats:
                heads = _heads(p)
                self._kw_heads.setdefault(issue, []).append((p, heads))
                if heads is None:
                    loose.setdefault(issue, []).append(p)
                for h in heads or ():
                    self._by_head.setdefault(h, set()).add(issue)
                    self._heads_of.setdefault(issue, set()).add(h)
        # The heads of the negative cues ride along in the gate, so that hits() learns where a
        # cue can start from the same scan (an issue's own scan for them cost as much as the gate).
        neg_heads = {i: hs for i, hs in self._negative_heads.items() if _gateable(hs)}
        alts = sorted(set(self._by_head).union(*neg_heads.values()), key=len, reverse=True)
        # The gate reports the longest head at a position; every shorter head there is a
        # prefix of it, so each head carries the issues of all its prefixes (in file order).
        # A negative-only head carries no keyword issue: the position is a cue start only.
        rank = {i: n for n, i in enumerate(keywords)}
        self._by_head = {h: tuple(sorted(set().union(*(self._by_head.get(h[:n], set()) for n in range(1, len(h) + 1))),
                                         key=rank.get))
                         for h in alts}
        # head -> the issues one of whose negative cues can start where the head does
        self._neg_by_head = {h: found for h in alts
                             if (found := tuple(i for i, hs in neg_heads.items()
                                                if any(h[:n] in hs for n in range(1, len(h) + 1))))}
        # A word start is found by consuming the non-word character before it (``re`` skips to
        # those in C), the longest head there is captured by a zero-width lookahead, so that a
        # head inside another ("accession" in "non-accession") is not skipped. Position 0 apart.
        trie = _trie(alts, longest=True)
        self._gate = re.compile(r"\W(?=(" + trie + "))") if alts else None
        self._gate_first = re.compile("(?=(" + trie + "))") if alts else None
        self._loose = {i: re.compile(_anchored(p), _FLAGS) for i, p in loose.items()}
        self._loose_required = {i: _required(_anchored(p)) for i, p in loose.items()}
        # (issue, pattern, pre-check) per loose issue, in file order; see _containment()
        self._loose_checks = tuple((i, rx, _containment(self._loose_required[i])) for i, rx in self._loose.items())
        # one search for all the pre-checks: most statements have none of their strings
        required = list(self._loose_required.values())
        self._loose_any = _containment(set().union(*required)) if required and None not in required else None
        self._one: dict[str, _OneIssue] = {}   # built on first use by spans()
        self._rank: dict[str, int] | None = None
        # head -> (issue, match) to try where the gate found it: the whole keyword regexes, and
        # the narrowed ones (filled on first use; see _narrowed)
        self._wide = {h: tuple((i, self._keyword[i].match) for i in issues) for h, issues in self._by_head.items()}
        self._narrow: dict[str, tuple] = {}
        self._narrow_rx: dict[tuple[str, ...], Callable] = {}

    def _narrowed(self, head: str) -> tuple:
        """(issue, match) for the issues the gate's ``head`` may start, ``match`` being the
        issue's keyword regex cut down to the patterns that can match where ``head`` begins:
        those with a head that is a prefix of it, and those without heads, in file order. An
        alternation's match is its first alternative that matches, so leaving out alternatives
        that cannot match changes nothing, and the few left are tried much faster than all.
        Exact where the gate's lower-casing mirrors IGNORECASE (see _folds_apart)."""
        prefixes = {head[:n] for n in range(1, len(head) + 1)}
        tries = []
        for issue in self._by_head[head]:
            pats = tuple(p for p, heads in self._kw_heads[issue] if heads is None or not prefixes.isdisjoint(heads))
            match = self._narrow_rx.get(pats)
            if match is None:
                match = self._narrow_rx[pats] = re.compile(_anchored(pats), _FLAGS).match
            tries.append((issue, match))
        self._narrow[head] = tuple(tries)
        return self._narrow[head]

    def _one_issue(self, issue: str) -> "_OneIssue":
        one = self._one.get(issue)
        if one is None:
            one = self._one[issue] = _OneIssue(self, issue)
        return one

    @staticmethod
    def _check(issue: str, kind: str, pattern: str, where: str) -> None:
        if not issue:
            raise TaxonomyError(f"{where}: empty issue id")
        if kind not in _KINDS:
            raise TaxonomyError(f"{where}: kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        if not pattern:
            raise TaxonomyError(f"{where}: empty pattern")
        if kind != "description":
            try:
                compiled = re.compile(pattern, _FLAGS)
            except re.error as exc:
                raise TaxonomyError(f"{where}: bad regex {pattern!r}: {exc}") from None
            if compiled.match(""):
                raise TaxonomyError(f"{where}: pattern {pattern!r} matches the empty string")

    # -- loading

    @classmethod
    def load(cls, path: str | Path | None = None, *, extend: bool = False) -> "Taxonomy":
        """The shipped taxonomy (``None``, cached), or the CSV at ``path``.

        A user file replaces the shipped taxonomy; with ``extend=True`` its
        rows are added to it (new keywords for a shipped issue, or new issues).
        """
        if path is None:
            return _default()
        p = Path(path)
        try:
            stamp = p.stat().st_mtime_ns
        except OSError:
            raise TaxonomyError(f"{p}: no such taxonomy file") from None
        return _load_file(str(p.resolve()), stamp, extend)

    def description(self, issue: str) -> str:
        if issue not in self._keyword and issue not in self._descriptions:
            raise KeyError(f"unknown issue {issue!r}; issues are {', '.join(self.issues)}")
        return self._descriptions.get(issue, "")

    def __repr__(self) -> str:
        return f"Taxonomy({self.source!r}, issues={self.issues!r})"

    # -- matching

    def hits(self, text: str) -> list[IssueHit]:
        """Every issue hit in ``text``, sorted by start then issue order."""
        low = _lowered(text)
        # Where no letter folds differently in IGNORECASE than in str.lower, the gate's heads
        # are exact: the narrowed keyword regexes can be used and the gate saw every cue start.
        exact = not _folds_apart(text)
        found, cue_starts = self._gated(text, low, exact) if self._gate is not None else ({}, {})
        if self._loose_checks and (self._loose_any is None or self._loose_any(low) is not None):
            for issue, rx, required in self._loose_checks:
                if required is not None and required(low) is None:
                    continue   # a string every match contains is missing: no match
                found.setdefault(issue, []).extend(m.span() for m in rx.finditer(text))
        out = []
        for issue, spans in found.items():
            if not spans:
                continue
            starts = cue_starts.get(issue, []) if exact else None
            for s, e in self._one_issue(issue).cleaned(text, spans, starts):
                out.append(IssueHit(issue, s, e, text[s:e]))
        if len(out) > 1:
            rank = self._rank
            if rank is None:
                rank = self._rank = {i: n for n, i in enumerate(self.issues)}
            out.sort(key=lambda h: (h.start, rank[h.issue]))
        return out

    def _gated(self, text: str, low: str, exact: bool) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[int]]]:
        """One gate scan: the keyword matches per issue, and per issue the positions
        (ascending) where one of its negative cues can start. ``exact``: use the narrowed regexes."""
        found: dict[str, list[tuple[int, int]]] = {}
        cue_starts: dict[str, list[int]] = {}
        table, neg_by_head = self._narrow if exact else self._wide, self._neg_by_head
        first = self._gate_first.match(low)
        gate = self._gate.finditer(low)
        for m in itertools.chain((first,), gate) if first else gate:
            s, head = m.start(1), m.group(1)
            tries = table.get(head)
            if tries is None:    # only the narrowed table is filled on first use
                tries = self._narrowed(head)
            for issue, match in tries:
                km = match(text, s)
                if km:
                    found.setdefault(issue, []).append(km.span())
            for issue in neg_by_head.get(head, ()):
                cue_starts.setdefault(issue, []).append(s)
        return found, cue_starts

    def spans(self, text: str, issue: str) -> list[tuple[int, int]]:
        """The evidence spans of ONE issue in ``text``: exactly those :meth:`hits` reports
        for it, found without trying the other issues (see :class:`_OneIssue`)."""
        return self._one_issue(issue).spans(text)

    def _clean(self, issue: str, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        neg = self._negative.get(issue)
        if neg is not None:
            spans = [sp for sp in spans if not _vetoed(neg, text, sp)]
        return _merge(spans)


def _trie(heads: Iterable[str], longest: bool = False) -> str:
    """A regex for "one of ``heads`` starts here", factored letter by letter: ``re``
    tries the alternatives of a branch one after the other, so a flat alternation of
    100 heads costs 100 tests at every word start, a trie a few. With ``longest`` it
    matches the longest head there, else it stops at the shortest."""
    root: dict = {}
    for h in heads:
        node = root
        for c in h:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        if ends and not longest:    # a head ends here: what follows does not matter
            return ""
        alts = [re.escape(c) + emit(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # greedy: the longer head first; the alternatives differ in their first letter
        return ("(?:" + body + ")?") if ends else body

    return emit(root)


class _OneIssue:
    """What :meth:`Taxonomy.spans` needs for one issue, giving the spans :meth:`Taxonomy.hits`
    gives for that issue:

    * keyword candidates are the positions where the big gate would try the issue: a
      word start in the lower-cased text where one of the issue's heads begins (the
      gate's longest head there has it as a prefix). Found by ``\\W(?=trie)``: the
      consumed non-word character lets ``re`` skip ahead in C; position 0 is checked apart;
    * loose keywords are searched as in :meth:`Taxonomy.hits`;
    * a negative cue can only match at a word start where one of its heads begins (under
      the same case folding), so the windowed search of :func:`_vetoed` is replayed at
      those candidates only. If a negative has no literal heads (or non-ASCII ones, whose
      case folding ``str.lower`` may not mirror), :func:`_vetoed` itself is used.
    """

    __slots__ = ("gate", "heads", "keyword", "loose", "loose_required", "negative", "neg_gate", "neg_first", "clean")

    def __init__(self, tax: Taxonomy, issue: str) -> None:
        heads = tax._heads_of.get(issue, ())
        self.gate = re.compile(r"\W(?=" + _trie(heads) + ")") if heads else None
        self.heads = tuple(heads)
        self.keyword = tax._keyword.get(issue)
        self.loose = tax._loose.get(issue)
        # the pre-check Taxonomy.hits uses: None, or a search that finds a string every match holds
        self.loose_required = _containment(tax._loose_required.get(issue))
        self.negative = tax._negative.get(issue)
        self.neg_gate = self.neg_first = None
        neg_heads = tax._negative_heads.get(issue)
        if self.negative is not None and _gateable(neg_heads):
            self.neg_gate = re.compile(r"\W(?=" + _trie(neg_heads) + ")", _FLAGS)
            self.neg_first = re.compile(_trie(neg_heads), _FLAGS)

    def spans(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        low = _lowered(text)
        if self.gate is not None:
            match = self.keyword.match
            if low.startswith(self.heads):
                km = match(text)
                if km:
                    spans.append(km.span())
            for m in self.gate.finditer(low):
                km = match(text, m.end())
                if km:
                    spans.append(km.span())
        if self.loose is not None and (self.loose_required is None or self.loose_required(low) is not None):
            spans.extend(m.span() for m in self.loose.finditer(text))
        if not spans:
            return spans
        return self.cleaned(text, spans)

    def cleaned(self, text: str, spans: list[tuple[int, int]], starts: list[int] | None = None) -> list[tuple[int, int]]:
        """``spans`` (keyword matches, not empty) without those a negative cue overlaps, merged:
        what :meth:`Taxonomy._clean` gives, trying the negative cues only where they can match.
        ``starts``: where they can (ascending), if the caller's gate found it; else found here."""
        neg = self.negative
        if neg is not None:
            if self.neg_gate is None:
                spans = [sp for sp in spans if not _vetoed(neg, text, sp)]
            else:
                if starts is None:
                    starts = [m.end() for m in self.neg_gate.finditer(text)]
                    if self.neg_first.match(text):
                        starts.insert(0, 0)
                if starts:
                    spans = [sp for sp in spans if not _vetoed_at(neg, text, sp, starts)]
        return _merge(spans)


def _vetoed_at(neg: re.Pattern, text: str, span: tuple[int, int], starts: list[int]) -> bool:
    """:func:`_vetoed`, trying only ``starts`` (ascending): the only positions where ``neg``
    can match. ``finditer`` would find the same matches: it tries every position from
    the window's start and continues after each match."""
    s, e = span
    lo, hi = max(0, s - _WINDOW), min(len(text), e + _WINDOW)
    pos = lo
    for a in starts[bisect_left(starts, lo):]:
        if a >= e:      # a match starting here or later cannot overlap the span
            break
        if a < pos:
            continue
        m = neg.match(text, a, hi)
        if m is None:
            continue
        if m.end() == a:    # an empty match: finditer's stepping rules apply, do it its way
            return _vetoed(neg, text, span)
        if m.start() < e and m.end() > s and (m.end() < hi or hi == len(text)):
            return True
        pos = m.end()
    return False


def _vetoed(neg: re.Pattern, text: str, span: tuple[int, int]) -> bool:
    """Does a negative cue overlap ``span``? Searched in a window: scanning a long
    text with every negative alternation would cost more than the whole gate."""
    s, e = span
    hi = min(len(text), e + _WINDOW)
    for m in neg.finditer(text, max(0, s - _WINDOW), hi):
        # endpos makes (?!\w) succeed at the window's edge: distrust a cue ending there
        if m.start() < e and m.end() > s and (m.end() < hi or hi == len(text)):
            return True
    return False


_WINDOW = 80   # characters either side of a hit searched for negative cues


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # "security guarantees" also hits at "guarantees": report one span per phrase.
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _read_rows(text: str, source: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    # Comment lines are dropped before csv parsing; keep line numbers for messages.
    numbers = [n for n, ln in enumerate(text.splitlines(), 1) if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if not reader.fieldnames or not {"id", "kind", "pattern"} <= {f.strip() for f in reader.fieldnames}:
        raise TaxonomyError(f"{source}: header must have the columns id,kind,pattern (and optionally note)")
    rows = []
    for row in reader:
        row = {(k or "").strip(): v for k, v in row.items()}
        if not any((v or "").strip() for k, v in row.items()):
            continue
        row["_source"] = f"{source}:{numbers[reader.line_num - 1] if reader.line_num <= len(numbers) else '?'}"
        rows.append(row)
    return rows


def _shipped_text() -> str:
    return resources.files("detente").joinpath("data/issues.csv").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _default() -> Taxonomy:
    return Taxonomy(_read_rows(_shipped_text(), "issues.csv"), "issues.csv")


@lru_cache(maxsize=16)
def _load_file(path: str, stamp: int, extend: bool) -> Taxonomy:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    rows = _read_rows(text, path)
    if extend:
        rows = _read_rows(_shipped_text(), "issues.csv") + rows
    return Taxonomy(rows, path)


# --------------------------------------------------------------------------- public functions

def detect_issues(text: str, taxonomy: Taxonomy | None = None) -> list[IssueHit]:
    """All issue hits in one statement's text, sorted by start; offsets are into ``text``."""
    return (taxonomy or _default()).hits(text)


def evidence_spans(text: str, issue: str, taxonomy: Taxonomy | None = None) -> list[tuple[int, int]]:
    """The evidence spans for ONE issue in ``text``; [] if it is not mentioned."""
    tax = taxonomy or _default()
    tax.description(issue)   # raises KeyError for an unknown issue id
    return tax.spans(text, issue)


def issues_of(hits: Iterable[IssueHit], taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The distinct issues of some hits, in taxonomy order."""
    found = {h.issue for h in hits}
    if not found:
        return ()
    return tuple(i for i in (taxonomy or _default()).issues if i in found)
