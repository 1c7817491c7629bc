"""A real-text evaluation set that can be shared without sharing the text.

The private evaluation set (verbatim sentences from published articles, with
their labels) cannot be redistributed, but its *index* can: for every row the
article's address, a fingerprint of the sentence (SHA-1 of its lower-cased
words, and the number of words) and the labels. Anyone who can fetch the
articles rebuilds the set from the index, and ``compare_models.py --heldout``
then scores on it:

    python scripts/realtext_index.py export --from private.csv --index eval/realtext_index.csv
    python scripts/realtext_index.py rebuild --index eval/realtext_index.csv --pages pages/ --out realtext.csv

``--pages`` is a folder of the fetched articles, one file per address, named
``<first 10 hex digits of SHA-1(address)>.html`` (or ``.txt``); the script
prints that name for every address with ``rebuild --list``. A sentence is
found by sliding a window of its word count over the page's words, so
differences of punctuation, quotes, case or line breaks do not matter; the
rebuilt text is the page's own span from the first to the last word.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

WORD = re.compile(r"\w+")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
OPENERS = "“\"‘'«(„"
CLOSERS = ".!?…:;,\"”’'»)"
LABELS = ["issue", "stance", "speaker", "source", "lang", "date", "note"]
INDEX = ["url", "page", "key", "words", *LABELS]


def fingerprint(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:16]


def page_name(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]


def export(source: Path, index: Path) -> None:
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        words = WORD.findall(r["text"].lower())
        out.append({"url": r["url"], "page": page_name(r["url"]), "key": fingerprint(words),
                    "words": len(words), **{k: r.get(k, "") for k in LABELS}})
    _write(index, INDEX, out)
    print(f"{len(out)} rows, {len({r['url'] for r in out})} pages -> {index}")


def page_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(TAG.sub(" ", raw)) if path.suffix.lower() in {".html", ".htm"} else raw


def find(text: str, matches: list[re.Match], words: list[str], key: str, n: int) -> str | None:
    """The span of ``text`` whose ``n`` words have fingerprint ``key`` (``matches``: the page's
    words, ``words``: the same lower-cased)."""
    for i in range(len(words) - n + 1):
        if fingerprint(words[i:i + n]) == key:
            start, end = matches[i].start(), matches[i + n - 1].end()
            # the sentence's own opening quote and closing punctuation belong to it
            while start and text[start - 1] in OPENERS:
                start -= 1
            while end < len(text) and text[end] in CLOSERS:
                end += 1
            return " ".join(text[start:end].split())
    return None


def rebuild(index: Path, pages: Path, out: Path) -> int:
    with index.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_page = defaultdict(list)
    for r in rows:
        by_page[r["page"]].append(r)
    found, missing_pages = [], []
    for page, page_rows in sorted(by_page.items()):
        files = [p for p in (pages / f"{page}.html", pages / f"{page}.htm", pages / f"{page}.txt") if p.is_file()]
        if not files:
            missing_pages.append(page_rows[0]["url"])
            continue
        text = page_text(files[0])
        matches = list(WORD.finditer(text))
        words = [m.group().lower() for m in matches]
        for r in page_rows:
            sentence = find(text, matches, words, r["key"], int(r["words"]))
            if sentence is not None:
                found.append({"text": sentence, **{k: r[k] for k in LABELS}, "url": r["url"]})
    _write(out, ["text", *LABELS, "url"], found)
    print(f"rebuilt {len(found)} of {len(rows)} rows -> {out}; {len(missing_pages)} of {len(by_page)} pages not in {pages}")
    return 0 if found else 1


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="write the index of a private labeled set (needs a url column)")
    e.add_argument("--from", dest="source", type=Path, required=True)
    e.add_argument("--index", type=Path, required=True)
    r = sub.add_parser("rebuild", help="rebuild the labeled set from fetched pages")
    r.add_argument("--index", type=Path, required=True)
    r.add_argument("--pages", type=Path)
    r.add_argument("--out", type=Path)
    r.add_argument("--list", action="store_true", help="print each address and the file name it is expected under")
    a = ap.parse_args()
    if a.cmd == "export":
        export(a.source, a.index)
        return 0
    if a.list:
        with a.index.open(encoding="utf-8", newline="") as fh:
            for url, page in sorted({(row["url"], row["page"]) for row in csv.DictReader(fh)}):
                print(f"{page}.html\t{url}")
        return 0
    if not (a.pages and a.out):
        ap.error("rebuild needs --pages and --out (or --list)")
    return rebuild(a.index, a.pages, a.out)


if __name__ == "__main__":
    sys.exit(main())
