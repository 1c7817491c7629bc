"""Edits, change records and the offset map that every normalizer stage shares.

A stage never rewrites text itself: it proposes :class:`Edit` objects in the
coordinates of the text it was given, and :func:`apply_edits` applies them,
records one :class:`Change` per edit (with offsets in the *original* input) and
composes the offset map so that any output position can be traced back.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Edit:
    """A replacement proposed by a stage, in the coordinates of that stage's input."""

    start: int
    end: int
    replacement: str
    rule: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One change on record.

    ``start``/``end`` are offsets in the original text given to ``normalize``;
    ``original`` is the text the stage replaced, as it stood when the stage ran
    (an earlier stage may already have touched it).
    """

    rule: str
    original: str
    replacement: str
    start: int
    end: int
    entity: str | None = None

    def to_dict(self) -> dict:
        # Spelled out: dataclasses.asdict deep-copies field by field, and analyze calls this
        # for every change of every statement.
        d = {"rule": self.rule, "original": self.original, "replacement": self.replacement,
             "start": self.start, "end": self.end}
        if self.entity is not None:
            d["entity"] = self.entity
        return d


class OffsetMap:
    """Piecewise map from output offsets to input offsets.

    Only runs of characters copied unchanged are stored, as
    ``(out_start, in_start, length)``; the gaps between runs are replaced text,
    and a gap in the output corresponds to the gap between the same runs in
    the input. Zero-length runs are anchors marking where an edit begins, so
    that two adjacent edits (a dropped line, then a replaced word) keep
    separate input spans.
    """

    __slots__ = ("_out", "_in", "_len", "in_length", "out_length")

    def __init__(self, runs: Iterable[tuple[int, int, int]], in_length: int, out_length: int):
        outs: list[int] = []
        ins: list[int] = []
        lens: list[int] = []
        for o, i, n in runs:
            if n < 0:
                continue
            if n and lens and lens[-1] and outs[-1] + lens[-1] == o and ins[-1] + lens[-1] == i:
                lens[-1] += n  # merge contiguous runs to keep look-ups cheap
            else:
                outs.append(o)
                ins.append(i)
                lens.append(n)
        self._out, self._in, self._len = outs, ins, lens
        self.in_length = in_length
        self.out_length = out_length

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([(0, 0, length)], length, length)

    def runs(self) -> list[tuple[int, int, int]]:
        return list(zip(self._out, self._in, self._len))

    def _run_at(self, pos: int) -> int:
        return bisect_right(self._out, pos) - 1

    def is_kept(self, pos: int) -> bool:
        """True when output character ``pos`` is an unchanged copy of an input character."""
        k = self._run_at(pos)
        return k >= 0 and pos < self._out[k] + self._len[k]

    def to_input(self, pos: int) -> int:
        """Input offset of output offset ``pos`` (for replaced text: where the replaced span starts)."""
        k = self._run_at(pos)
        if k < 0:
            return 0
        if pos < self._out[k] + self._len[k]:
            return self._in[k] + pos - self._out[k]
        return self._in[k] + self._len[k]

    def span_to_input(self, start: int, end: int) -> tuple[int, int]:
        """Input span covering output span ``[start, end)``, widened to whole replaced spans."""
        s = self.to_input(start)
        if end <= start:
            return s, s
        k = self._run_at(end - 1)
        if k >= 0 and end - 1 < self._out[k] + self._len[k]:
            e = self._in[k] + end - self._out[k]
        else:
            e = self._in[k + 1] if k + 1 < len(self._in) else self.in_length
        return s, max(s, e)

    def inverse(self) -> "OffsetMap":
        """The map from input offsets to output offsets."""
        # The runs are already merged, and merging is symmetric in the two sides: swap them.
        inv = OffsetMap.__new__(OffsetMap)
        inv._out, inv._in, inv._len = self._in[:], self._out[:], self._len[:]
        inv.in_length, inv.out_length = self.out_length, self.in_length
        return inv

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """Map ``new -> original`` from ``self`` (``new -> current``) and ``inner`` (``current -> original``)."""
        runs = []
        append = runs.append
        j = 0
        i_out, i_in, i_len = inner._out, inner._in, inner._len
        n_inner = len(i_out)
        for o, c, n in zip(self._out, self._in, self._len):
            if n == 0:
                append((o, inner.to_input(c), 0))
                continue
            end = c + n
            # Skip inner runs that end before c (an anchor exactly at c still counts).
            while j < n_inner and i_out[j] + (i_len[j] or 1) <= c:
                j += 1
            k = j
            while k < n_inner and i_out[k] < end:
                ko, kn = i_out[k], i_len[k]
                if kn == 0:  # an earlier edit's anchor inside this copied run
                    append((o + ko - c, i_in[k], 0))
                else:
                    lo = c if c > ko else ko
                    hi = ko + kn if ko + kn < end else end
                    if hi > lo:
                        append((o + lo - c, i_in[k] + lo - ko, hi - lo))
                k += 1
        return OffsetMap(runs, inner.in_length, self.out_length)


_EDIT_ORDER = attrgetter("start", "end")


def apply_edits(
    text: str, edits: Iterable[Edit], offsets: OffsetMap
) -> tuple[str, OffsetMap, list[Change], OffsetMap]:
    """Apply non-overlapping edits to ``text``.

    ``offsets`` maps ``text`` back to the original input. Returns the new
    text, the composed map (new text -> original input), the change records
    and the local map (new text -> ``text``). An edit that overlaps an earlier
    one is skipped (the earlier, more specific rule wins); an edit that
    changes nothing is not recorded.
    """
    parts: list[str] = []
    runs: list[tuple[int, int, int]] = []
    changes: list[Change] = []
    pos = 0
    out = 0
    for e in sorted(edits, key=_EDIT_ORDER):
        if e.start < pos or text[e.start:e.end] == e.replacement:
            continue
        if e.start > pos:
            runs.append((out, pos, e.start - pos))
            parts.append(text[pos:e.start])
            out += e.start - pos
        runs.append((out, e.start, 0))
        parts.append(e.replacement)
        out += len(e.replacement)
        s, t = offsets.span_to_input(e.start, e.end)
        changes.append(Change(e.rule, text[e.start:e.end], e.replacement, s, t, e.entity))
        pos = e.end
    if not changes:
        return text, offsets, changes, OffsetMap.identity(len(text))
    if pos < len(text):
        runs.append((out, pos, len(text) - pos))
        parts.append(text[pos:])
        out += len(text) - pos
    local = OffsetMap(runs, len(text), out)
    return "".join(parts), local.compose(offsets), changes, local
