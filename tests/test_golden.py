"""Whole-document behaviour: the seed articles against reviewed golden files."""

import pytest

from conftest import DATA, SEEDS
from detente import normalize

GOLDEN = DATA / "golden"

# Every line of page debris in the seeds (whole lines, as in the input).
DEBRIS = {
    "000_10e0ce11e0bf0173.txt": [
        "t f2fd787849ed47d6a28d8dfdc83a8fb6 name 20220316 zelensky.pngw1440",
        "The story continues under the ad",
        "Hannah Knowles and Mayte Fernandez Simon contributed to this report.",
    ],
    "001_861cad5652bda56b.txt": [
        "Ukrainian and Russian officials pose prior to talks in Belarus's Brest region on March 7, 2022. "
        "(Maxim Guchek/BelTA/AFP via Getty Images)",
        "The Associated Press contributed to this report.", "From The Epoch Times", "ntd newsletter icon",
        "Sign up for NTD Daily", "What you need to know, summarized in one email.",
        "Stay informed with accurate news you can trust.",
        "By registering for the newsletter, you agree to the Privacy Policy.", "Comments",
    ],
    "002_952c61f4b2ea9697.txt": [
        " date 2022-03-30 Vladimir Putin attends mass at the Cathedral of Christ the Savior in Moscow, "
        "May 2021.| Photo: SERGEI GUNEYEV/ EFE",
    ],
    "003_9f87ac57c7159c05.txt": [
        "Special Report: Ukraine's President Zelenskyy addresses U.S. Congress", "f",
        "Russian President Vladimir Putin meets with Russia's Deputy Prime Minister Dmitry Grigorenko at the "
        "Kremlin in Moscow, March 14, 2022. MIKHAIL KLIMENTYEV/SPUTNIK/AFP/Getty",
    ],
    "004_eb5021f3d5d7de40.txt": [],
}


def debris_of(name: str, text: str) -> set[str]:
    lines = {line for line in text.split("\n") if line.strip()}
    known = set(DEBRIS[name])
    # The long captions and the cookie banner are matched by their start.
    known |= {line for line in lines if line.startswith(("Prime Minister of the Czech Republic, Petr Fiala",
                                                        "We and our partners use cookies"))}
    return known


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_matches_reviewed_golden_text_and_change_log(seed):
    result = normalize(seed.read_text(encoding="utf-8"))
    assert result.text == (GOLDEN / (seed.stem + ".normalized.txt")).read_text(encoding="utf-8")
    log = "".join(f"{c.rule}\t{c.original!r} -> {c.replacement!r}\n" for c in result.changes)
    assert log == (GOLDEN / (seed.stem + ".changes.tsv")).read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_debris_line_is_gone_and_no_article_line_is_lost(seed):
    text = seed.read_text(encoding="utf-8")
    result = normalize(text)
    debris = debris_of(seed.name, text)
    out_lines = result.text.split("\n")
    for line in debris:
        assert line.strip() not in out_lines
    article = [(s, e) for s, e, line in _line_spans(text) if line.strip() and line not in debris]
    kept = [(s, e) for s, e, line in _line_spans(result.text) if line.strip()]
    assert len(kept) == len(article)  # one output line per input line, less the debris
    for (in_start, in_end), (out_start, out_end) in zip(article, kept):
        # Each kept line traces back into its own input line.
        start, end = result.to_original(out_start, out_end)
        assert in_start <= start and end <= in_end


def _line_spans(text: str) -> list[tuple[int, int, str]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return spans


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_is_english_and_names_are_canonical(seed):
    result = normalize(seed.read_text(encoding="utf-8"))
    assert result.languages.document == "en"
    assert not result.languages.flagged
    for variant in ("Kiev", "Lugansk", "Medinski", "Zelenskiy", "Zelenskyy", "Mikhail Podolyak", "Vadim",
                    "Sergey", "Anthony Blinken", "Donbass", "Oleg "):
        assert variant not in result.text
