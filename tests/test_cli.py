import json

from typer.testing import CliRunner

from detente.cli import app

runner = CliRunner()
ARTICLE = "O government of russia said on Monday (28) that talks in Kiev would go on.\n\nThe story continues under the ad\n"


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("normalize", "names"):
        assert command in result.output


def test_normalize_from_stdin():
    result = runner.invoke(app, ["normalize", "-"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("The government of Russia said on Monday that talks in Kyiv")
    assert "story continues" not in result.stdout


def test_normalize_jsonl_has_changes_and_languages():
    result = runner.invoke(app, ["normalize", "-", "--format", "jsonl"], input=ARTICLE)
    record = json.loads(result.stdout)
    assert record["id"] == "stdin"
    rules = {c["rule"] for c in record["changes"]}
    assert {"quirks.date_parenthetical", "quirks.lowercase_name"} <= rules
    assert any(r.startswith("boilerplate.") for r in rules)
    assert record["languages"]["document"] == "en"


def test_explain_prints_the_change_log_on_stderr():
    result = runner.invoke(app, ["normalize", "-", "--explain"], input=ARTICLE)
    assert "quirks.date_parenthetical" in result.stderr
    assert "quirks" not in result.stdout


def test_skip_a_stage():
    result = runner.invoke(app, ["normalize", "-", "--skip", "names"], input=ARTICLE)
    assert "Kiev" in result.stdout
    bad = runner.invoke(app, ["normalize", "-", "--skip", "spelling"], input=ARTICLE)
    assert bad.exit_code == 2 and "unknown stage" in bad.stderr


def test_folder_with_a_binary_and_a_missing_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "c.txt").write_text("Peskov said On Wednesday that talks continue.", encoding="utf-8")
    out = tmp_path / "out/"
    result = runner.invoke(app, ["normalize", str(src), str(tmp_path / "missing.txt"), "-o", str(out) + "/"])
    assert result.exit_code == 1
    assert "b.txt: binary file" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "c.txt"]
    assert (out / "c.txt").read_text(encoding="utf-8") == "Peskov said on Wednesday that talks continue.\n"


def test_output_file_never_overwrites_an_input(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["normalize", str(f), "-o", str(f)])
    assert result.exit_code == 2
    assert "refusing to overwrite an input" in result.stderr
    assert f.read_text(encoding="utf-8") == ARTICLE


def test_user_rules_table_extends_boilerplate(tmp_path):
    table = tmp_path / "mysite.boilerplate.csv"
    table.write_text("id,lang,pattern,note\nboilerplate.mysite,en,Brought to you by Acme,\n", encoding="utf-8")
    result = runner.invoke(
        app, ["normalize", "-", "--rules", str(table), "--format", "jsonl"],
        input="Talks resumed.\nBrought to you by Acme\n",
    )
    record = json.loads(result.stdout)
    assert record["text"] == "Talks resumed.\n"
    assert "boilerplate.mysite" in {c["rule"] for c in record["changes"]}


def test_bad_user_table_is_one_clear_error(tmp_path):
    table = tmp_path / "boilerplate.csv"
    table.write_text("id,lang,pattern,note\nboilerplate.bad,en,(unclosed,\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", "-", "--rules", str(table)], input="Talks.\n")
    assert result.exit_code != 0
    assert "boilerplate.csv:2" in result.stderr


def test_names_lookup():
    result = runner.invoke(app, ["names", "Selenskyj"])
    assert result.exit_code == 0
    assert "Volodymyr Zelensky" in result.stdout
    listing = runner.invoke(app, ["names", "--type", "place"])
    assert "Kyiv" in listing.stdout and "Zelensky" not in listing.stdout


SMALL = """text,issue,stance,source
"Kyiv is ready to discuss a neutral status for Ukraine.",neutrality,conciliatory,s1
"Neutrality is out of the question, the minister said.",neutrality,hardline,s2
"The Austrian model of neutrality was discussed in Istanbul.",neutrality,neutral,s3
"Moscow said a non-aligned Ukraine could be acceptable.",neutrality,conciliatory,s4
"We will never accept neutrality, Podolyak said.",neutrality,hardline,s5
"Neutral status was on the agenda of the second round.",neutrality,neutral,s6
"Peskov welcomed Kyiv's offer of a neutral, non-nuclear status.",neutrality,conciliatory,s7
"A neutral status imposed by force is void, Kuleba said.",neutrality,hardline,s8
"The draft describes neutrality guaranteed by five states.",neutrality,neutral,s9
"""


def test_train_and_evaluate_a_small_model(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "m"
    result = runner.invoke(app, ["train", "--data", str(data), "--only", "--cv", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.skops").exists() and (tmp_path / "m.manifest.json").exists()
    assert "(9 rows)" in result.stdout   # the rows it was trained on
    scored = runner.invoke(app, ["evaluate", "--data", str(data), "--model", str(tmp_path / "m.skops"), "--json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    assert {"macro_f1", "accuracy", "per_class", "n"} <= set(report) and report["n"] == 9


def test_train_rejects_bad_rows_with_file_and_line_and_writes_nothing(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text(SMALL + '"Talks resumed.",talks,optimistic,s10\n', encoding="utf-8")
    result = runner.invoke(app, ["train", "--data", str(data), "--only", "--out", str(tmp_path / "m.skops")])
    assert result.exit_code == 1
    assert "bad.csv:11" in result.stderr and "optimistic" in result.stderr
    assert not list(tmp_path.glob("m.*"))


def test_classify_lines_for_one_issue_with_the_shipped_model():
    result = runner.invoke(app, ["classify", "-", "--issue", "territory"],
                           input="We will never give up Crimea.\nThe talks on Donbas will resume on Tuesday.\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["issue"] for r in rows] == ["territory", "territory"]
    assert rows[0]["stance"] == "hardline"
    assert abs(sum(v for k, v in rows[0].items() if k.startswith("p_")) - 1) < 1e-3
    bad = runner.invoke(app, ["classify", "-", "--issue", "weather"], input="Sunny.\n")
    assert bad.exit_code == 2 and "unknown issue" in bad.stderr


def test_classify_segments_articles_into_statements_and_issues(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("“All false referendums in the temporarily occupied territories are null and void,” "
                       "said Oleg Nikolenko.\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(article), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()[:2]
    assert header.startswith("id,text,speaker,issue,stance")
    assert "Oleh Nikolenko" in row and ",territory,hardline," in row


def test_train_with_too_few_rows_for_the_folds_says_so(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["train", "--data", str(data), "--only", "--cv", "5", "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "--cv" in result.stderr and not list(tmp_path.glob("m.*"))
