"""The compact CJK faces documents are set in: what they hold, where they are kept, how they are served."""
from __future__ import annotations

from fontTools.ttLib import TTFont

from mediation.documents import fonts
from mediation.documents.fetcher import DOCUMENT_BASE_URL, StaticFilesFetcher, font_file_for


def test_the_compact_faces_hold_latin_punctuation_and_every_unified_ideograph(tmp_path):
    made = fonts.compact_fonts(tmp_path)
    assert set(made) == {"serif.otf", "sans-bold.otf"}
    for name, path in made.items():
        source, _index = fonts.find_system_font(*fonts.FACES[name])
        assert path.parent == tmp_path and path.stat().st_size < source.stat().st_size * 0.6
        cmap = TTFont(path, lazy=True).getBestCmap()
        for char in "Aa1¥，。（）《》：—燊堃王鑫龘":
            assert ord(char) in cmap, (name, char)
        assert 0x20000 not in cmap  # 𠀀 and the other extension blocks fall back to the system font


def test_a_made_face_is_reused_and_made_again_when_the_source_changes(tmp_path, monkeypatch):
    first = fonts.compact_font("serif.otf", tmp_path)
    assert fonts.compact_font("serif.otf", tmp_path) == first
    cut = []
    monkeypatch.setattr(fonts, "_cut", lambda source, index, target: cut.append(target) or target.write_bytes(b""))
    monkeypatch.setattr(fonts, "SUBSET_VERSION", fonts.SUBSET_VERSION + 1)
    again = fonts.compact_font("serif.otf", tmp_path)
    assert again != first and cut == [again]


def test_a_face_that_cannot_be_made_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "find_system_font", lambda family, style: None)
    assert fonts.compact_fonts(tmp_path) == {}

    def broken(source, index, target):
        raise ValueError("no HarfBuzz here")

    monkeypatch.undo()
    monkeypatch.setattr(fonts, "_cut", broken)
    monkeypatch.setattr(fonts, "SUBSET_VERSION", fonts.SUBSET_VERSION + 100)
    assert fonts.compact_fonts(tmp_path) == {}


def test_the_fetcher_serves_the_faces_by_name_and_nothing_else_under_fonts(app, tmp_path):
    face = tmp_path / "serif-abc.otf"
    face.write_bytes(b"OTTO font")
    known = {"serif.otf": face}
    assert font_file_for(f"{DOCUMENT_BASE_URL}fonts/serif.otf", known) == face
    for url in (f"{DOCUMENT_BASE_URL}fonts/../serif.otf", f"{DOCUMENT_BASE_URL}fonts/other.otf",
                "https://example.com/fonts/serif.otf", f"{DOCUMENT_BASE_URL}fonts/serif.otf?x=1",
                "file:///fonts/serif.otf", f"{DOCUMENT_BASE_URL}static/fonts/serif.otf"):
        assert font_file_for(url, known) is None, url
    fetcher = StaticFilesFetcher(app.static_folder, known)
    assert fetcher.fetch(f"{DOCUMENT_BASE_URL}fonts/serif.otf").read() == b"OTTO font"
