import io
import json

import pytest

from detente.documents import Document, DocumentError, atomic_writer, decode, read_documents


def read(*inputs, stdin=None):
    return list(read_documents([str(i) for i in inputs], stdin=stdin))


def test_utf8_with_and_without_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffKyiv talks".encode("utf-8"))
    (tmp_path / "b.txt").write_text("Київ talks", encoding="utf-8")
    a, b = read(tmp_path / "a.txt", tmp_path / "b.txt")
    assert (a.text, a.encoding) == ("Kyiv talks", "utf-8-sig")
    assert (b.text, b.encoding) == ("Київ talks", "utf-8")


def test_cp1252_fallback_is_named(tmp_path):
    (tmp_path / "w.txt").write_bytes("Zelensky’s “talks” in Zürich".encode("cp1252"))
    (doc,) = read(tmp_path / "w.txt")
    assert doc.text == "Zelensky’s “talks” in Zürich"
    assert doc.encoding.startswith("cp1252")


def test_utf16_with_bom():
    assert decode("Peskov said".encode("utf-16")) == ("Peskov said", "utf-16")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_files_give_one_clear_error_and_the_rest_still_run(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Talks resumed in Istanbul.", encoding="utf-8")
    first, second = read(tmp_path / name, tmp_path / "good.txt")
    assert isinstance(first, DocumentError) and message in first.message
    assert isinstance(second, Document)


def test_missing_file(tmp_path):
    (err,) = read(tmp_path / "nope.txt")
    assert isinstance(err, DocumentError) and err.message == "no such file"


def test_folder_is_searched_recursively_for_known_suffixes(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Talks\nMedinsky said.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Lavrov said.", encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    docs = read(tmp_path)
    assert [d.name for d in docs] == ["a.txt", "sub/b.md"]


def test_jsonl_documents_and_bad_lines(tmp_path):
    lines = [json.dumps({"id": "x1", "text": "Peskov said."}), "{broken", json.dumps({"title": "no text"}),
             json.dumps({"text": "Kuleba said."})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs = read(tmp_path / "c.jsonl")
    assert [type(d).__name__ for d in docs] == ["Document", "DocumentError", "DocumentError", "Document"]
    assert docs[0].id == "x1"
    assert docs[1].id.endswith("c.jsonl:2") and "not valid JSON" in docs[1].message
    assert docs[3].id.endswith("c.jsonl:4")


def test_stdin():
    (doc,) = read("-", stdin=io.BytesIO("Talks in Antalya.".encode()))
    assert (doc.id, doc.text) == ("stdin", "Talks in Antalya.")


def test_atomic_writer_keeps_old_file_on_failure_and_refuses_inputs(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left
    with pytest.raises(ValueError, match="refusing to overwrite an input"):
        with atomic_writer(target, protect=[target]):
            pass
