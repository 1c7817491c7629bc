"""scripts/realtext_index.py: an evaluation set shared as an index rebuilds from the fetched pages."""

import csv
import hashlib
import subprocess
import sys

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "realtext_index.py"
URL = "https://example.org/news/2025/05/16/istanbul-talks"
ROWS = [
    ("“We are ready to continue the work,” Medinsky said after the talks.", "talks", "conciliatory"),
    ("Kyiv rejected the demand to withdraw from the four regions.", "territory", "hardline"),
]


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def test_index_holds_no_text_and_rebuilds_from_a_fetched_page(tmp_path):
    private = tmp_path / "private.csv"
    with private.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "issue", "stance", "speaker", "source", "lang", "date", "note", "url"])
        for k, (text, issue, stance) in enumerate(ROWS):
            w.writerow([text, issue, stance, "", f"real:x:{k}", "en", "2025-05-16", "", URL])
    index = tmp_path / "index.csv"
    assert _run("export", "--from", private, "--index", index).returncode == 0
    shared = index.read_text(encoding="utf-8")
    assert "Medinsky" not in shared and "four regions" not in shared

    listed = _run("rebuild", "--index", index, "--list").stdout
    name = hashlib.sha1(URL.encode()).hexdigest()[:10] + ".html"
    assert listed.split() == [name, URL]

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / name).write_text(  # the page as fetched: markup, entities, other line breaks
        "<html><body><nav>Home | World</nav><p>ISTANBUL &mdash; Talks ended.</p>"
        "<p>&ldquo;We are ready to continue the work,&rdquo; Medinsky\nsaid after the talks.</p>"
        "<p>Kyiv rejected the demand to withdraw from the four regions. Fighting went on.</p>"
        "</body></html>", encoding="utf-8")
    out = tmp_path / "rebuilt.csv"
    done = _run("rebuild", "--index", index, "--pages", pages, "--out", out)
    assert done.returncode == 0 and "rebuilt 2 of 2 rows" in done.stdout
    with out.open(encoding="utf-8", newline="") as fh:
        rebuilt = [(r["text"], r["issue"], r["stance"]) for r in csv.DictReader(fh)]
    assert rebuilt == ROWS


def test_missing_pages_are_counted_not_invented(tmp_path):
    index = tmp_path / "index.csv"
    index.write_text("url,page,key,words,issue,stance,speaker,source,lang,date,note\n"
                     f"{URL},abc,0000000000000000,5,talks,neutral,,s,en,2025,\n", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    done = _run("rebuild", "--index", index, "--pages", tmp_path / "pages", "--out", tmp_path / "out.csv")
    assert done.returncode == 1 and "rebuilt 0 of 1 rows" in done.stdout and "1 of 1 pages not in" in done.stdout
