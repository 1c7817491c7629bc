"""Repair of machine-translated news text, with every change on record.

``normalize(text)`` runs the stages in order (``unicode``, ``boilerplate``,
``quirks``, ``names``), then identifies the language of each paragraph.
Each stage is a sequence of named steps; a step proposes edits, and
:func:`~detente.normalize.edits.apply_edits` applies them and writes the
change log, so every repair is reported with its rule id and its offsets in
the input.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import compress
from operator import ne
from typing import Callable, Iterable

from detente.language import Languages, identify_languages, untranslated_at
from detente.normalize import boilerplate, names, quirks, unicode
from detente.normalize.edits import Change, Edit, OffsetMap, apply_edits
from detente.normalize.names import Mention
from detente.normalize.tables import Rules, TableError, default_rules

__all__ = ["STAGES", "Change", "Mention", "Normalized", "Rules", "TableError", "check_rules", "normalize"]

Step = Callable[[str, Rules], list[Edit]]

#: Stage names in the order they run; each can be switched off with ``skip``.
STAGES: tuple[str, ...] = ("unicode", "boilerplate", "quirks", "names")
#: A stage runs again while its last round changed something, at most this often.
MAX_ROUNDS = 8
#: Stages whose repairs can expose further repairs; the others run once.
ROUNDS = frozenset({"unicode", "quirks"})

_STEPS: dict[str, Callable[[Rules], tuple[Step, ...]]] = {
    "unicode": lambda rules: unicode.STEPS,
    "boilerplate": lambda rules: (boilerplate.boilerplate_edits,),
    "quirks": quirks.steps,
}


@dataclass(frozen=True)
class Normalized:
    """The repaired text, its change log, and what the stages found."""

    text: str
    changes: tuple[Change, ...]
    offsets: OffsetMap = field(repr=False)
    entities: tuple[Mention, ...] = ()
    languages: Languages | None = None
    source: str = field(default="", repr=False)

    def to_original(self, start: int, end: int | None = None) -> tuple[int, int]:
        """Span of the input that produced output span ``[start, end)``."""
        return self.offsets.span_to_input(start, start if end is None else end)

    def changes_between(self, start: int, end: int) -> list[Change]:
        """Changes whose input span overlaps the input span of output ``[start, end)``."""
        return self.changes_in_input(*self.to_original(start, end))

    def changes_in_input(self, start: int, end: int) -> list[Change]:
        """Changes whose input span overlaps input span ``[start, end)`` (an insertion: touches it)."""
        return [c for c in self.changes if c.start < end and c.end > start or c.start == c.end and start <= c.start <= end]

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "changes": [c.to_dict() for c in self.changes],
            "entities": [
                {"entity": m.entity, "text": m.text, "start": m.start, "end": m.end, "type": m.type}
                for m in self.entities
            ],
            "languages": self.languages.to_dict() if self.languages else None,
        }


def _check_skip(skip: Iterable[str]) -> frozenset[str]:
    skip = frozenset(skip)
    unknown = skip - set(STAGES) - {"language"}
    if unknown:
        raise ValueError(
            f"unknown stage(s) to skip: {', '.join(sorted(unknown))}; stages are {', '.join(STAGES)} and language"
        )
    return skip


def normalize(text: str, *, skip: Iterable[str] = (), rules: Rules | None = None) -> Normalized:
    """Repair ``text`` and return the result with its change log.

    ``skip`` names stages to leave out (``unicode``, ``boilerplate``,
    ``quirks``, ``names``, and ``language`` for language identification);
    ``rules`` carries user tables (:meth:`Rules.load`), the shipped ones by
    default. Normalizing already-normalized text changes nothing.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes a str, not {type(text).__name__}")
    skip = _check_skip(skip)
    rules = rules or default_rules()
    current, offsets = text, OffsetMap.identity(len(text))
    changes: list[Change] = []
    after_boilerplate = current
    # Steps that would change no line of `current`: the unicode stage's steps once it has run
    # to its fixed point. Dropping whole lines (boilerplate) keeps them so; the quirk stage,
    # which repeats two of them (quote pairs and whitespace, both line by line), then runs
    # those only on the lines it has changed itself.
    clean: frozenset[Step] = frozenset()
    for stage in STAGES[:-1]:
        if stage not in skip:
            current, offsets, converged = _run_stage(stage, current, offsets, rules, changes, clean)
            if stage == "unicode" and converged:
                clean = frozenset(_STEPS["unicode"](rules))
        if stage == "boilerplate":
            after_boilerplate = current
    edits, mentions = names.find_names(current, rules)
    if "names" not in skip and edits:
        edits, mentions = _in_english_paragraphs(current, edits, mentions, names.english_spellings(rules))
        if edits:
            current, offsets, done, local = apply_edits(current, edits, offsets)
            changes.extend(done)
            mentions = _moved(mentions, local, current)
    if "quirks" not in skip:
        # The pronoun repair needs the people the name stage found.
        edits = quirks.pronoun_gender(current, rules, mentions)
        if edits:
            current, offsets, done, local = apply_edits(current, edits, offsets)
            changes.extend(done)
            mentions = _moved(mentions, local, current)
    if "boilerplate" not in skip and _debris_among_changed(after_boilerplate, current, rules):
        # A line can look like debris only once repaired ("Photo:EFE" -> "Photo: EFE"); a
        # second look keeps normalize idempotent.
        edits = boilerplate.boilerplate_edits(current, rules)
        if edits:
            current, offsets, done, local = apply_edits(current, edits, offsets)
            changes.extend(done)
            mentions = [m for m in _moved(mentions, local, current) if m.end > m.start]
    languages = None if "language" in skip else identify_languages(current)
    return Normalized(current, tuple(changes), offsets, tuple(mentions), languages, text)


def _in_english_paragraphs(text: str, edits: list[Edit], mentions: list[Mention],
                           english: set[str]) -> tuple[list[Edit], list[Mention]]:
    """The name edits outside untranslated paragraphs, and the mentions to keep.

    A paragraph left in its source language is flagged by the language stage, not patched:
    "A Rússia vai manter" would become "A Russia vai manter". Its names are still found,
    except those only a key-match found: the key folds spellings for English text, and in
    German "Haus" would be the surname Chaus. The paragraph is judged as the quirk stage
    judged it, before the names are repaired: judged after, a left-over word the quirk
    stage spared could look English on a second run, and normalize would not be idempotent.
    Only paragraphs with a spelling from another language are judged: an English one
    ("Kiev", ``english``) is repaired anywhere, and judging every paragraph costs 6% of
    normalize.
    """
    paragraphs: dict[int, list[Edit]] = {}
    judged: set[int] = set()
    for e in edits:  # name edits never cross a line
        start = text.rfind("\n", 0, e.start) + 1
        paragraphs.setdefault(start, []).append(e)
        if e.rule == "names.key-match" or text[e.start:e.end].casefold() not in english:
            judged.add(start)
    kept, fuzzy = [], []
    known: dict[int, bool] = {}
    for start, group in paragraphs.items():
        if start in judged and untranslated_at(text, start, known):
            fuzzy += [e for e in group if e.rule == "names.key-match"]
        else:
            kept += group
    if fuzzy:
        mentions = [m for m in mentions if not any(m.start <= e.start and e.end <= m.end for e in fuzzy)]
    return kept, mentions


def _run_stage(
    stage: str, text: str, offsets: OffsetMap, rules: Rules, changes: list[Change],
    clean: frozenset[Step] = frozenset(),
) -> tuple[str, OffsetMap, bool]:
    """Run a stage's steps; where they changed something, run them again on the changed lines.

    One repair can expose another ("0 . ." -> "0. ." -> "0."), so a stage in
    ROUNDS repeats until a round changes nothing: normalizing normalized text
    then changes nothing. Later rounds see only the lines the previous round
    changed, since these stages never join or split lines. Steps in ``clean``
    would change no line of ``text``; the first round runs them only on the lines
    the stage has changed so far. Returns the text, the offsets and whether the
    last round changed nothing (the stage reached its fixed point).
    """
    steps = _STEPS[stage](rules)
    lines: list[int] | None = None  # None: the whole text
    stage_text = text
    for _ in range(MAX_ROUNDS if stage in ROUNDS else 1):
        before, start_text = len(changes), text
        view = None  # the changed lines of the current text, split once for all steps
        for step in steps:
            if lines is None and step in clean:
                edits = _on_changed_lines(step, stage_text, text, rules)
            elif lines is None:
                edits = step(text, rules)
            else:
                view = view or _LineView(text, lines)
                edits = view.run(step, rules)
            if edits:
                text, offsets, done, _ = apply_edits(text, edits, offsets)
                changes.extend(done)
                if done:
                    view = None
        if len(changes) == before:
            return text, offsets, True
        lines = _changed_lines(start_text, text)
    return text, offsets, False


def _on_changed_lines(step: Step, old: str, new: str, rules: Rules) -> list[Edit]:
    """``step``'s edits on ``new``, for a step that has nothing to do on the lines of ``old``:
    only the lines that differ can give edits (the whole text when lines were added or lost)."""
    if new is old:
        return []
    lines = _changed_lines(old, new)
    if lines is None:
        return step(new, rules)
    return _LineView(new, lines).run(step, rules) if lines else []


def _changed_lines(old: str, new: str) -> list[int] | None:
    """Indices of the lines that differ, or None when the line count changed."""
    a, b = old.split("\n"), new.split("\n")
    if len(a) != len(b):
        return None
    return list(compress(range(len(a)), map(ne, a, b)))  # the comparison loop runs in C


class _LineView:
    """Some lines of a text joined into one, so that a step runs on those lines only."""

    __slots__ = ("text", "lines", "all_lines", "sub", "sub_starts")

    def __init__(self, text: str, lines: list[int]):
        self.text, self.lines = text, lines
        self.all_lines = all_lines = text.split("\n")
        self.sub = "\n".join([all_lines[i] for i in lines])
        self.sub_starts: list[int] | None = None

    def run(self, step: Step, rules: Rules) -> list[Edit]:
        """``step`` on the lines, with its edits in the coordinates of the whole text."""
        edits = step(self.sub, rules)
        if not edits:
            return edits
        all_lines, lines = self.all_lines, self.lines
        starts, pos = [], 0
        for line in all_lines:
            starts.append(pos)
            pos += len(line) + 1
        if self.sub_starts is None:
            self.sub_starts, pos = [], 0
            for i in lines:
                self.sub_starts.append(pos)
                pos += len(all_lines[i]) + 1
        sub_starts = self.sub_starts
        out = []
        for e in edits:
            k = bisect_right(sub_starts, e.start) - 1
            if e.end > sub_starts[k] + len(all_lines[lines[k]]):  # crosses a line: redo on the whole text
                return step(self.text, rules)
            delta = starts[lines[k]] - sub_starts[k]
            out.append(Edit(e.start + delta, e.end + delta, e.replacement, e.rule, e.entity))
        return out


def _debris_among_changed(old: str, new: str, rules: Rules) -> bool:
    """Whether a line changed since the boilerplate stage now looks like debris."""
    lines = _changed_lines(old, new)
    if lines == []:
        return False
    if lines is None:
        return True
    new_lines = new.split("\n")
    return bool(boilerplate.boilerplate_edits("\n".join([new_lines[i] for i in lines]), rules))


_PROBE = "O minister of russia said On Monday (28) «yes» . . Kiev\nComments\n"


def check_rules(rules: Rules) -> None:
    """Build everything every stage derives from ``rules`` now, so a bad user table fails
    with its file and line before any document is read (raises :class:`TableError`)."""
    normalize(_PROBE, rules=rules, skip={"language"})


def _moved(mentions: list[Mention], local: OffsetMap, text: str) -> list[Mention]:
    """Mentions found before an edit pass, in the coordinates of the text after it."""
    forward = local.inverse()
    outs, ins, lens = forward._out, forward._in, forward._len
    moved = []
    for m in mentions:
        s, e = m.start, m.end
        if e > s:
            k = bisect_right(outs, s) - 1
            if k >= 0 and e <= outs[k] + lens[k]:  # inside one copied run: only shifted
                d = ins[k] - outs[k]
                t = text[s + d:e + d]
                moved.append(m if d == 0 and t == m.text else Mention(m.entity, s + d, e + d, t, m.type, m.gender))
                continue
        start, end = forward.span_to_input(s, e)
        moved.append(Mention(m.entity, start, end, text[start:end], m.type, m.gender))
    return moved
