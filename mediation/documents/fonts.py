"""Compact copies of the two CJK faces documents are set in, made once from the system's Noto CJK fonts.

Debian's Noto CJK fonts are collections of some 65,000 glyphs (Japanese, Korean, both Chinese scripts).
WeasyPrint subsets every face it embeds, keeping glyph ids, so a subset of a collection carries a slot
for every one of its glyphs.  From a copy that holds only the Simplified Chinese face's glyphs for Latin
text, punctuation, symbols and the 20,992 characters of the CJK Unified Ideographs block (which holds
rare name characters such as 燊 and 堃), a case summary's PDF is about a third smaller (323 → 224 KB)
and subsetting takes a third less time (the whole three-page summary: 0.352 → 0.341 s).  Anything
outside that (a character from an extension block) falls back to the system font named next in the
print stylesheet.

The copies are cut with HarfBuzz (uharfbuzz) in well under a second and kept in the instance folder,
named after the source font's path, size and modification time, so a font upgrade makes new ones.
When a source font or uharfbuzz is missing, :func:`compact_fonts` leaves that face out and documents
use the system fonts directly, as before.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# Served to WeasyPrint at https://static.mediation.invalid/fonts/<name> (see print.css's @font-face).
FACES = {
    "serif.otf": ("Noto Serif CJK SC", "Regular"),
    "sans-bold.otf": ("Noto Sans CJK SC", "Bold"),
}
# Bump when the coverage or the subsetting options change, so that cached copies are cut again.
SUBSET_VERSION = 1


def coverage() -> set[int]:
    """The code points the compact faces keep."""
    ranges = (
        (0x0020, 0x007E), (0x00A0, 0x017F),  # Latin, Latin-1, Latin Extended-A
        (0x02C6, 0x02DD), (0x0391, 0x03C9), (0x0401, 0x0451),  # modifier letters, Greek, Cyrillic
        (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F),  # punctuation, currency, letterlike (№ ℃)
        (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),  # number forms, arrows, maths
        (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),  # ① ─ ■ ★
        (0x3000, 0x303F), (0x3200, 0x32FF), (0x3300, 0x33FF),  # CJK punctuation, enclosed, squared
        (0x4E00, 0x9FFF),  # CJK Unified Ideographs
        (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # CJK compatibility forms, full- and half-width forms
    )
    return {c for low, high in ranges for c in range(low, high + 1)}


def find_system_font(family: str, style: str) -> tuple[Path, int] | None:
    """The file and face index fontconfig gives for ``family:style``, if it is really that family."""
    try:
        result = subprocess.run(["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{family}:style={style}"],
                                capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split("\n")
    if len(lines) < 3 or family not in lines[2].split(","):
        return None
    return Path(lines[0]), int(lines[1] or 0)


def _cut(source: Path, index: int, target: Path) -> None:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    subset = hb.SubsetInput()
    for code_point in coverage():
        subset.unicode_set.add(code_point)
    subset.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    data = hb.subset(face, subset).blob.data
    if not data:
        raise ValueError(f"HarfBuzz made nothing of {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed into place: another process may be making or reading the same file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def compact_font(name: str, cache_dir: Path) -> Path | None:
    """The compact copy of face ``name`` (a key of :data:`FACES`), made if needed; ``None`` when it
    cannot be made here."""
    found = find_system_font(*FACES[name])
    if found is None:
        return None
    source, index = found
    try:
        stat = source.stat()
        key = hashlib.sha1(f"{source}:{index}:{stat.st_size}:{stat.st_mtime_ns}:{SUBSET_VERSION}".encode())
        target = Path(cache_dir) / f"{Path(name).stem}-{key.hexdigest()[:12]}.otf"
        if not target.is_file():
            _cut(source, index, target)
        return target
    except Exception:  # noqa: BLE001 - any failure here only means the documents use the system fonts
        log.warning("could not make the compact font %s from %s; using the system font", name, source,
                    exc_info=True)
        return None


def compact_fonts(cache_dir: str | Path) -> dict[str, Path]:
    """The compact faces that could be made, by the name the print stylesheet asks for."""
    fonts = {name: compact_font(name, Path(cache_dir)) for name in FACES}
    return {name: path for name, path in fonts.items() if path is not None}
