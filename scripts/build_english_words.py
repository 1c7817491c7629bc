"""Rebuild src/detente/data/english_words.txt, the language check's English vocabulary.

The words of the English training statements and the seed articles that
occur at least twice, lower-cased, without names of the gazetteer. A paragraph
mostly made of these words is taken as English without asking langdetect.

    python scripts/build_english_words.py
"""

import csv
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Function words of other languages that damaged (untranslated) rows contain: never English evidence.
FOREIGN = set("""und der die das den dem des nicht ist sind wird mit auf von zu sie er es ein eine
est les une que qui du le la et dans pour pas sur au aux
el los las lo y con por para del se una uno es en
o os as do dos da das ao na no em um uma com não nao
il gli che della di per non sono
het een van zijn niet
nie jest się oraz na że do
""".split())


def main() -> None:
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "training_data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                counts.update(WORD.findall(row["text"].lower()))
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        counts.update(WORD.findall(seed.read_text(encoding="utf-8").lower()))
    words = sorted(w for w, n in counts.items() if n >= 2 and len(w) > 1 and w.isascii() and w not in FOREIGN)
    out = ROOT / "src" / "detente" / "data" / "english_words.txt"
    out.write_text("# Common English words of news on the talks; see scripts/build_english_words.py\n"
                   + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words")


if __name__ == "__main__":
    main()
