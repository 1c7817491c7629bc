from detente.normalize.edits import Edit, OffsetMap, apply_edits


def test_apply_edits_records_changes_in_input_offsets():
    text = "O government of russia said"
    out, offsets, changes, _ = apply_edits(
        text, [Edit(0, 1, "The", "r1"), Edit(16, 22, "Russia", "r2")], OffsetMap.identity(len(text))
    )
    assert out == "The government of Russia said"
    assert [(c.rule, c.original, c.replacement, c.start, c.end) for c in changes] == [
        ("r1", "O", "The", 0, 1),
        ("r2", "russia", "Russia", 16, 22),
    ]
    assert offsets.to_input(out.index("government")) == text.index("government")
    assert not offsets.is_kept(0) and offsets.is_kept(4)


def test_composed_offsets_point_to_the_original_through_two_passes():
    text = "a  b. . c"
    omap = OffsetMap.identity(len(text))
    step1, omap, ch1, _ = apply_edits(text, [Edit(1, 3, " ", "space")], omap)
    step2, omap, ch2, _ = apply_edits(step1, [Edit(3, 6, ".", "period")], omap)
    assert step2 == "a b. c"
    # Second-stage change offsets are in the original text, not in step1.
    assert (ch2[0].start, ch2[0].end) == (4, 7)
    for i, ch in enumerate(step2):
        if omap.is_kept(i):
            assert text[omap.to_input(i)] == ch


def test_edits_that_change_nothing_or_overlap_are_not_recorded():
    text = "Kyiv and Kyiv"
    out, _, changes, _ = apply_edits(
        text, [Edit(0, 4, "Kyiv", "same"), Edit(5, 8, "or", "a"), Edit(6, 10, "x", "overlap")],
        OffsetMap.identity(len(text)),
    )
    assert out == "Kyiv or Kyiv"
    assert [c.rule for c in changes] == ["a"]


def test_span_mapping_of_a_deleted_line_and_inverse():
    text = "keep\ndrop me\nkeep too"
    out, omap, changes, local = apply_edits(text, [Edit(5, 13, "", "drop")], OffsetMap.identity(len(text)))
    assert out == "keep\nkeep too"
    assert omap.span_to_input(5, 13) == (13, 21)
    assert (changes[0].start, changes[0].end) == (5, 13)
    assert local.inverse().span_to_input(13, 21) == (5, 13)


def test_adjacent_edits_keep_separate_input_spans_through_composition():
    text = "debris\nO government"
    omap = OffsetMap.identity(len(text))
    step1, omap, _, _ = apply_edits(text, [Edit(0, 7, "", "drop")], omap)
    step2, omap, changes, _ = apply_edits(step1, [Edit(0, 1, "The", "word")], omap)
    assert step2 == "The government"
    assert (changes[0].start, changes[0].end) == (7, 8)  # the "O", not the dropped line
    assert omap.span_to_input(0, 3) == (7, 8)
    assert omap.span_to_input(0, len(step2)) == (7, len(text))


def test_change_to_dict_names_the_entity_only_when_there_is_one():
    from detente.normalize.edits import Change

    assert Change("names.table", "Kiev", "Kyiv", 3, 7, "kyiv").to_dict() == {
        "rule": "names.table", "original": "Kiev", "replacement": "Kyiv", "start": 3, "end": 7, "entity": "kyiv"}
    assert list(Change("quirks.double_period", ". .", ".", 0, 3).to_dict()) == [
        "rule", "original", "replacement", "start", "end"]


def test_changes_of_a_statement_by_output_span_and_by_input_span_agree():
    from detente import normalize

    text = "The story continues under the ad\nO government of russia said. . Talks go on in Kiev."
    norm = normalize(text)
    for start in range(0, len(norm.text), 7):
        end = min(len(norm.text), start + 19)
        assert norm.changes_between(start, end) == norm.changes_in_input(*norm.to_original(start, end))
    said = norm.text.index("said")
    rules = {c.rule for c in norm.changes_between(said, len(norm.text))}
    assert "quirks.double_period" in rules and "names.table" in rules
    assert not any(r.startswith("boilerplate") for r in rules)
