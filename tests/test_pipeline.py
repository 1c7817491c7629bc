"""detente.pipeline: the record schema, dates, error records, order under --jobs 2, the Dask backend."""

import shutil

import pytest

from detente import pipeline
from detente.pipeline import FIELDS, analyze, analyze_batch, document_date, iter_documents_results

from conftest import SEEDS

TEXT = (
    "O minister of russia said On Monday (28) that Russia is ready to discuss the neutrality of Ukraine . .\n"
    "Zelensky said Ukraine will never give up Crimea.\n"
    "The weather was fine.\n"
)


@pytest.fixture(scope="module")
def records():
    return list(analyze([TEXT]))


@pytest.fixture
def corpus(tmp_path):
    """Seeds under dated names, plus one undecodable and one empty file, in a known order."""
    for k, p in enumerate(SEEDS):
        shutil.copy(p, tmp_path / f"{k}_2022-03-{10 + k}.txt")
    (tmp_path / "5_bad.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "6_empty.txt").write_text("  \n")
    return tmp_path


def test_every_record_has_the_schema(records):
    assert records and all(tuple(r) == FIELDS for r in records)
    for r in records:
        assert r["doc_id"] == "text-1" and r["path"] is None and r["error"] is None
        assert TEXT[r["orig_start"]:r["orig_end"]].strip()
        assert isinstance(r["quote"], bool) and isinstance(r["changes"], list)


def test_stance_fields_agree_with_probabilities(records):
    labeled = [r for r in records if r["issue"]]
    assert {r["issue"] for r in labeled} >= {"neutrality", "territory"}
    for r in labeled:
        probs = {s: r[f"p_{s}"] for s in ("conciliatory", "hardline", "neutral")}
        assert sum(probs.values()) == pytest.approx(1, abs=1e-4)
        assert r["stance"] == max(probs, key=probs.get) and r["confidence"] == probs[r["stance"]]
    crimea = next(r for r in labeled if "Crimea" in r["text"])
    assert crimea["speaker"] == "Volodymyr Zelensky" and crimea["stance"] == "hardline"


def test_a_statement_without_issue_yields_one_record_with_null_stance(records):
    weather = [r for r in records if r["text"] == "The weather was fine."]
    assert len(weather) == 1
    assert weather[0]["issue"] is None and weather[0]["stance"] is None and weather[0]["p_neutral"] is None


def test_changes_that_touched_the_statement_are_on_record(records):
    first = [r for r in records if r["statement"] == 0]
    rules = {c["rule"] for c in first[0]["changes"]}
    assert "quirks.date_parenthetical" in rules
    for c in first[0]["changes"]:
        assert first[0]["orig_start"] <= c["start"] and c["end"] <= first[0]["orig_end"] + 4
    later = [r for r in records if r["statement"] == 1]
    assert all(not r["changes"] for r in later)


@pytest.mark.parametrize("text, path, expected", [
    ("x", "news/2022-03-16_lavrov.txt", "2022-03-16"),
    ("x", "20220316.txt", "2022-03-16"),
    ("KYIV, March 7, 2022 - talks resumed", None, "2022-03-07"),
    ("Published 29 Mar 2022. Talks in Istanbul", "a.txt", "2022-03-29"),
    ("no date here, only 2022", "a.txt", None),
    ("x" * 700 + " March 7, 2022", None, None),  # deep in the text: an event date, not the article's
    ("2022-13-45 is not a date", None, None),
])
def test_document_date(text, path, expected):
    assert document_date(text, path) == expected


def test_bad_documents_become_error_records_and_the_rest_go_on(corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_CHARS", 6000)  # the largest seed becomes "huge"
    docs = list(iter_documents_results([str(corpus)]))
    assert len(docs) == 7
    errors = {recs[0]["doc_id"].rsplit("/", 1)[-1]: recs[0]["error"] for recs in docs if recs[0]["error"]}
    assert set(errors) == {"0_2022-03-10.txt", "5_bad.txt", "6_empty.txt"}
    assert "too large" in errors["0_2022-03-10.txt"] and "binary" in errors["5_bad.txt"]
    bad = next(recs[0] for recs in docs if recs[0]["error"])
    assert tuple(bad) == FIELDS and bad["statement"] is None
    assert docs[1][0]["date"] == "2022-03-11" and docs[1][0]["error"] is None


def test_analyze_batch_is_the_flat_per_chunk_function():
    texts = [TEXT, "", "Lavrov said talks would go on."]
    recs = analyze_batch(texts, ["a", "b", "c"])
    assert [r["doc_id"] for r in recs][-2:] == ["b", "c"]
    assert recs[-2]["error"] == "empty document (no text)"
    assert recs[:-2] == list(analyze([pipeline.Document("a", TEXT)]))


def test_jobs_2_keeps_input_order(corpus):
    one = list(analyze([str(corpus)], chunk_size=1))
    two = list(analyze([str(corpus)], jobs=2, chunk_size=1))
    assert two == one


def test_dask_backend_gives_the_same_records(corpus):
    distributed = pytest.importorskip("distributed", reason="the dask backend needs 'distributed' (detente[dask])")
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        got = list(analyze([str(corpus)], backend="dask", scheduler=cluster.scheduler_address, chunk_size=2))
    assert got == list(analyze([str(corpus)]))


def test_jobs_2_workers_read_the_files_and_give_identical_records(corpus):
    """Workers read plain files themselves and send compact records back: the records
    (keys in FIELDS order included) are those of --jobs 1, with exclusion applied by id."""
    import json

    skip_id = sorted(p.as_posix() for p in corpus.iterdir())[1]
    one = list(analyze([str(corpus)], chunk_size=3, exclude=[skip_id]))
    two = list(analyze([str(corpus)], jobs=2, chunk_size=3, exclude=[skip_id]))
    assert [json.dumps(r) for r in two] == [json.dumps(r) for r in one]
    assert skip_id not in {r["doc_id"] for r in one}


def test_lazy_documents_are_read_where_they_are_analyzed(corpus):
    (corpus / "7_more.jsonl").write_text('{"id": "j1", "text": "Lavrov said talks would go on."}\n')
    eager = list(pipeline._documents([str(corpus)]))
    lazy = list(pipeline._documents([str(corpus)], lazy=True))
    assert all(isinstance(d, pipeline._FileRef) for d in lazy[:-1])
    assert not isinstance(lazy[-1], pipeline._FileRef)   # a .jsonl file is read at once: it holds several
    assert [d.id for d in lazy] == [d.id for d in eager]
    assert pipeline._read_items(lazy) == eager


def test_packed_records_unpack_to_the_same_dicts(corpus):
    items = list(pipeline._documents([str(corpus)], lazy=True))
    packed = pipeline._packed_chunk(items, model_path=None, skip=())
    assert list(pipeline._unpacked(packed)) == pipeline._analyze_chunk(items)
    assert all(tuple(r) == FIELDS for recs in pipeline._unpacked(packed) for r in recs)


def test_a_record_with_other_keys_travels_whole(monkeypatch):
    odd = {"doc_id": "x", "extra": 1}
    monkeypatch.setattr(pipeline, "_analyze_chunk", lambda items, **kw: [[odd, dict.fromkeys(FIELDS, 0)]])
    packed = pipeline._packed_chunk([], model_path=None, skip=())
    assert packed == [[odd, (0,) * len(FIELDS)]]
    assert list(pipeline._unpacked(packed)) == [[odd, dict.fromkeys(FIELDS, 0)]]


GAZ = ("id,type,canonical,gender,given,surname,variants,given_variants,note\n"
       "hrynchuk,person,Oksana Hrynchuk,f,Oksana,Hrynchuk,de:Grintschuk,,a user's entity\n")
USER_TEXT = "Oksana Grintschuk said Ukraine will never give up Crimea.\n"


def test_user_gazetteer_reaches_every_worker(tmp_path):
    from detente.normalize.tables import Rules

    gaz = tmp_path / "mine.csv"
    gaz.write_text(GAZ, encoding="utf-8")
    for k in range(4):
        (tmp_path / f"{k}.txt").write_text(USER_TEXT, encoding="utf-8")
    rules = Rules.load([("gazetteer", gaz)])
    plain = list(analyze([str(tmp_path)]))
    assert plain[0]["speaker"] != "Oksana Hrynchuk"
    one = list(analyze([str(tmp_path)], rules=rules))
    two = list(analyze([str(tmp_path)], rules=rules, jobs=2, chunk_size=1))
    assert one == two
    assert {r["speaker"] for r in one} == {"Oksana Hrynchuk"}
    assert all(any(c["rule"].startswith("names.") for c in r["changes"]) for r in one)


def test_rules_travel_without_their_compiled_matchers_and_are_reused():
    import pickle

    from detente.normalize.tables import Rules

    rules = Rules.load()
    analyze_batch([USER_TEXT], ["a"], rules=rules)  # compiles matchers into the rules' cache
    copy = pickle.loads(pickle.dumps(rules))
    assert copy.fingerprint() == rules.fingerprint()
    assert len(pickle.dumps(rules)) < 0.6 * len(pickle.dumps((rules.tables, rules._cache)))
    assert pipeline._interned(copy) is pipeline._interned(rules)


def test_statements_of_an_untranslated_paragraph_carry_its_language():
    text = ("Lavrov said Russia was ready to continue the talks in Istanbul.\n\n"
            "O ministro das Relações Exteriores da Rússia disse que as negociações com a Ucrânia vão "
            "continuar na próxima semana em Istambul, segundo a agência.\n\n"
            "Zelensky said Ukraine will never give up Crimea.\n")
    langs = [r["lang"] for r in analyze([text])]
    assert langs == ["en", "pt", "en"]
    assert {r["lang"] for r in analyze([text], skip=["language"])} == {None}
