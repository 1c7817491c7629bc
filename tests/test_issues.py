"""Issue detection: taxonomy loading, user taxonomies, keyword/negative rules, speed."""

from __future__ import annotations

import pytest

from detente.issues import IssueHit, Taxonomy, TaxonomyError, detect_issues, evidence_spans, issues_of

ISSUES = ("nato_membership", "neutrality", "security_guarantees", "territory", "ceasefire",
          "demilitarization", "humanitarian", "talks", "sanctions", "military_aid")


def ids(text: str, tax: Taxonomy | None = None) -> set[str]:
    return {h.issue for h in detect_issues(text, tax)}


def test_default_taxonomy_order_and_cache():
    tax = Taxonomy.load()
    assert tax.issues == ISSUES
    assert Taxonomy.load() is tax
    assert "Crimea" in tax.description("territory")
    with pytest.raises(KeyError):
        tax.description("weather")


@pytest.mark.parametrize("text, issue", [
    ("Ukraine will not join NATO.", "nato_membership"),
    ("joining the alliance is off the table", "nato_membership"),
    ("Kyiv could accept a neutral status", "neutrality"),
    ("the country would stay non-aligned", "neutrality"),
    ("a model similar to that of Austria or Sweden", "neutrality"),
    ("legally binding security guarantees", "security_guarantees"),
    ("a number of guarantor states", "security_guarantees"),
    ("the annexed Crimean Peninsula", "territory"),
    ("territorial integrity comes first", "territory"),
    ("a referendum in Luhansk", "territory"),
    ("we will have a ceasefire in the coming days", "ceasefire"),
    ("the withdrawal of [Russian] troops", "ceasefire"),
    ("the demilitarization of Ukraine", "demilitarization"),
    ("the size of the Ukrainian army", "demilitarization"),
    ("we are not going to lay down any arms", "demilitarization"),
    ("humanitarian corridors for civilians", "humanitarian"),
    ("a prisoner exchange took place", "humanitarian"),
    ("progress in peace talks", "talks"),
    ("documents for signing", "talks"),
    ("finding mutually acceptable solutions", "talks"),
    ("sanctions and other forms of economic pressure", "sanctions"),
    ("a no-fly zone over Ukraine", "military_aid"),
    ("$800 million in security assistance", "military_aid"),
    ("anti-aircraft and anti-tank systems", "military_aid"),
])
def test_keywords(text, issue):
    assert issue in ids(text)


@pytest.mark.parametrize("text, issue", [
    ("NATO defense ministers met in Brussels.", "nato_membership"),
    ("a no-fly zone, which is still rejected by NATO", "nato_membership"),
    ("Russian troops were stuck, with no chance of moving further into Ukrainian territory.", "territory"),
    ("The head of the Russian delegation spoke.", "talks"),
    ("a price cap on oil", "demilitarization"),
    ("Kharkiv, close to Russia's border, was shelled.", "territory"),
    ("Security was tight in the capital.", "security_guarantees"),
    ("the neutral venue of Istanbul", "neutrality"),
])
def test_negative_cues_and_non_matches(text, issue):
    assert issue not in ids(text)


def test_no_match_inside_words():
    assert ids("Natobook and Crimeans") == {"territory"}   # Crimea\w* is a stem; NATO is a word
    assert ids("talksome") == set()


def test_hits_offsets_sorted_and_merged():
    text = "Ukraine needs security guarantees and neutrality, not NATO membership."
    hits = detect_issues(text)
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    for h in hits:
        assert isinstance(h, IssueHit) and text[h.start:h.end] == h.evidence
    sg = [h for h in hits if h.issue == "security_guarantees"]
    assert len(sg) == 1 and sg[0].evidence == "security guarantees"   # not also "guarantees"
    assert issues_of(hits) == ("nato_membership", "neutrality", "security_guarantees")


def test_overlapping_keywords_of_two_issues():
    # a head inside another word ("accession" after "non-") is still found
    assert {"nato_membership", "neutrality"} <= ids("Ukraine's non-accession to NATO and a non-bloc status")


def test_evidence_spans():
    text = "No progress on Crimea, and none on Donbas."
    assert evidence_spans(text, "territory") == [(15, 21), (35, 41)]
    assert evidence_spans(text, "sanctions") == []
    with pytest.raises(KeyError):
        evidence_spans(text, "weather")


def test_user_taxonomy_replaces_default(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text(
        "# another conflict\n"
        "id,kind,pattern,note\n"
        "border,description,The border line,\n"
        "border,keyword,border\\w*,\n"
        "border,negative,border guards?,\n"
        'water,keyword,"(?:river|dam)s?",\n', encoding="utf-8")
    tax = Taxonomy.load(path)
    assert tax.issues == ("border", "water")
    assert ids("the dams on the border", tax) == {"border", "water"}
    assert ids("border guards", tax) == set()
    assert tax.description("water") == ""


def test_user_taxonomy_extends_default(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("id,kind,pattern,note\nterritory,keyword,Transnistria,\n", encoding="utf-8")
    tax = Taxonomy.load(path, extend=True)
    assert tax.issues == ISSUES
    assert "territory" in ids("talks on Transnistria", tax)


@pytest.mark.parametrize("body, message", [
    ("id,kind,pattern\nx,keyword,(unclosed\n", "bad regex"),
    ("id,kind,pattern\nx,shape,foo\n", "kind must be"),
    ("id,kind,pattern\nx,keyword,a?\n", "empty string"),
    ("name,pattern\nx,foo\n", "header"),
    ("id,kind,pattern\nx,description,only words\n", "no keyword"),
])
def test_bad_taxonomy_files(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.load(path)


def test_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("# comment\nid,kind,pattern\nx,keyword,ok\nx,keyword,(bad\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.csv:4"):
        Taxonomy.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(TaxonomyError, match="no such"):
        Taxonomy.load(tmp_path / "nope.csv")


def test_offsets_survive_case_folding_that_changes_length():
    text = "İstanbul talks on Crimea"
    assert evidence_spans(text, "territory") == [(18, 24)]


# -- evidence_spans for one issue must give exactly the spans detect_issues gives for it

def _spans_from_hits(text: str, tax: Taxonomy) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {i: [] for i in tax.issues}
    for h in detect_issues(text, tax):
        out[h.issue].append((h.start, h.end))
    return out


def _training_texts() -> list[str]:
    import csv
    from pathlib import Path
    texts: set[str] = set()
    for path in sorted((Path(__file__).resolve().parent.parent / "training_data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            texts.update(row["text"] for row in csv.DictReader(fh) if row.get("text"))
    return sorted(texts)


def test_evidence_spans_equal_detect_issues_on_training_data():
    tax = Taxonomy.load()
    texts = _training_texts()
    assert texts
    bad = []
    for text in texts:
        want = _spans_from_hits(text, tax)
        for issue in tax.issues:
            if evidence_spans(text, issue) != want[issue]:
                bad.append((issue, text[:80]))
    assert not bad, bad[:10]


@pytest.mark.parametrize("text", [
    "İstanbul talks on Crimea and NATO membership",
    "non-accession to NATO; NATO defense ministers met",
    "ſanctions and \u212aremlin sanctions, SANCTIONS",
    "NATO",
    "nato-membership, neutral venue, neutral status",
    "security guarantees of safe passage and security guarantees",
    "“Crimea,” he said. The 1991 borders, 20,000 troops, a 15-point plan",
    "",
])
def test_evidence_spans_equal_detect_issues_edge_cases(text):
    tax = Taxonomy.load()
    want = _spans_from_hits(text, tax)
    assert {i: evidence_spans(text, i) for i in tax.issues} == want


def test_evidence_spans_equal_detect_issues_user_taxonomy(tmp_path):
    # negatives without literal heads, or with non-ASCII ones, take the general path
    path = tmp_path / "t.csv"
    path.write_text(
        "id,kind,pattern\n"
        "blocs,keyword,bloc\n"
        "blocs,keyword,\\w+ alliance\n"
        "blocs,negative,\\w+ bloc\n"
        "eu,keyword,union\n"
        "eu,keyword,eu\n"
        "eu,negative,ſoviet union\n"
        "eu,negative,union (?:jack|station)\n",
        encoding="utf-8")
    tax = Taxonomy.load(path)
    for text in ["a bloc, the Western bloc, bloc", "the Soviet union and the union", "ſoviet union, union jack, EU",
                 "a military alliance and the bloc"] + _training_texts()[:300]:
        want = _spans_from_hits(text, tax)
        assert {i: evidence_spans(text, i, tax) for i in tax.issues} == want, text


@pytest.mark.parametrize("strings, low, expected", [
    ({"border", " border"}, "the borders of 1991", True),
    ({"troop", "onnel"}, "personnel left", True),
    ({"plan", "propo"}, "no such thing", False),
    ({"a.b", "(x"}, "axb", False),   # regex characters are taken literally
    ({"a.b", "(x"}, "see (x)", True),
])
def test_containment_is_substring_test(strings, low, expected):
    from detente.issues import _containment

    def _contains_any(low: str, strings) -> bool:  # the plain substring test it stands for
        return any(r in low for r in strings)

    assert (_containment(strings)(low) is not None) is expected is _contains_any(low, strings)
    assert _containment(None) is None


@pytest.mark.parametrize("strings, expected", [
    ({"border", " border"}, {"border"}),
    ({"cemen", "old", "onnel", "troop"}, {"cemen", "old", "onnel", "troop"}),
    ({"ab", "abc", "xabcx", "b"}, {"b"}),
    ({"a"}, {"a"}),
    (set(), set()),
])
def test_minimal_drops_strings_containing_another(strings, expected):
    from detente.issues import _minimal

    assert _minimal(strings) == expected


def test_issues_of_keeps_taxonomy_order_and_drops_unknown_ids():
    tax = Taxonomy.load()
    first, second = tax.issues[:2]
    assert issues_of([]) == ()
    assert issues_of([IssueHit(second, 0, 1, "x")]) == (second,)
    assert issues_of([IssueHit(second, 0, 1, "x"), IssueHit(first, 2, 3, "y"), IssueHit(second, 4, 5, "z")]) == (first, second)
    assert issues_of([IssueHit("no-such-issue", 0, 1, "x")]) == ()


@pytest.mark.parametrize("text, issue", [
    ("For its part, Kyiv insists there can be no negotiations with Russia until Moscow has pulled its forces out.", "ceasefire"),
    ("Zolote may now end up in the grey zone, because Kyiv has agreed to a so-called disengagement of forces there.", "ceasefire"),
    ("Kuleba has lashed out at ideas of capping the Ukrainian military under a future peace deal.", "demilitarization"),
    ("A separate memorandum was signed with the UN, whose officials undertook to assist Russian food and fertiliser shipments.", "humanitarian"),
    ("Grushko said NATO contingents sent to Ukraine would be in a war zone, whatever their label.", "security_guarantees"),
    ("Germany and France signed bilateral security cooperation pacts with Ukraine on 16 February.", "security_guarantees"),
    ("EU envoys approved a fourteenth round of measures against Moscow, aimed at closing loopholes.", "sanctions"),
    ("Brussels aims to end all imports of Russian oil and gas before 2027 is out.", "sanctions"),
    ("The two leaders now plan to hold another summit to narrow their differences.", "talks"),
    ("On 21 August 2019 the working subgroups of the Trilateral Contact Group started their sessions in Minsk.", "talks"),
])
def test_real_reporting_wordings_are_found(text, issue):
    assert issue in {h.issue for h in detect_issues(text)}


@pytest.mark.parametrize("text, issue", [
    ("The rebels pulled back from the airport after heavy shelling, the army said.", "ceasefire"),
    ("The summit of the European Central Bank focused on interest rates.", "sanctions"),
    ("He said the measures against inflation were working.", "sanctions"),
])
def test_look_alike_wordings_are_not_issues(text, issue):
    assert issue not in {h.issue for h in detect_issues(text)}
