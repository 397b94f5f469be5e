"""What an uploaded file is, judged from its content alone (never its name or the browser's word).

The leading bytes tell a PDF, a JPEG or a PNG (``filetype``); Office files are containers whose kind is
inside: an OOXML zip names its main part in ``[Content_Types].xml`` (Word or Excel, and not the
macro-enabled variants), an OpenDocument zip says it in its ``mimetype`` entry, and a legacy Office file
(OLE2 compound file, also WPS's .wps/.et) names its streams (``WordDocument``, ``Workbook``).

The name's ending is then only compared with what the content is: a PNG called ``合同.pdf`` is refused
as a mismatch, a name without an ending is accepted (the download gets the ending of its type).
"""
from __future__ import annotations

import enum
import re
import zipfile
from typing import BinaryIO

import filetype
import olefile
from flask_babel import lazy_gettext as _l


class FileType(enum.Enum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    DOC = "doc"
    DOCX = "docx"
    XLS = "xls"
    XLSX = "xlsx"
    ODT = "odt"
    ODS = "ods"

    @property
    def label(self):
        return TYPE_LABELS[self]

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self][0]

    @property
    def is_image(self) -> bool:
        return self in (FileType.JPEG, FileType.PNG)

    @property
    def shown_inline(self) -> bool:
        """Images and PDFs open in the browser (for preview); Office documents are downloaded."""
        return self.is_image or self == FileType.PDF


TYPE_LABELS = {
    FileType.PDF: _l("PDF document"),
    FileType.JPEG: _l("JPEG image"),
    FileType.PNG: _l("PNG image"),
    FileType.DOC: _l("Word document (.doc)"),
    FileType.DOCX: _l("Word document (.docx)"),
    FileType.XLS: _l("Excel workbook (.xls)"),
    FileType.XLSX: _l("Excel workbook (.xlsx)"),
    FileType.ODT: _l("OpenDocument text (.odt)"),
    FileType.ODS: _l("OpenDocument spreadsheet (.ods)"),
}

MIMETYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.DOC: "application/msword",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLS: "application/vnd.ms-excel",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.ODS: "application/vnd.oasis.opendocument.spreadsheet",
}

# The name endings each type may carry (the first is the one a name without an ending gets); WPS Office's
# own .wps and .et are its Word- and Excel-compatible compound files.
EXTENSIONS = {
    FileType.PDF: ("pdf",),
    FileType.JPEG: ("jpg", "jpeg", "jpe", "jfif"),
    FileType.PNG: ("png",),
    FileType.DOC: ("doc", "wps"),
    FileType.DOCX: ("docx",),
    FileType.XLS: ("xls", "et"),
    FileType.XLSX: ("xlsx",),
    FileType.ODT: ("odt",),
    FileType.ODS: ("ods",),
}

# The main part's content type in an OOXML package ([Content_Types].xml).
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": FileType.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileType.XLSX,
}
ODF_MIMETYPES = {MIMETYPES[FileType.ODT]: FileType.ODT, MIMETYPES[FileType.ODS]: FileType.ODS}

# Reading a container's directory entry, never more than this much of it (a zip bomb stays shut).
_MAX_MANIFEST_BYTES = 1024 * 1024
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect(stream: BinaryIO) -> FileType | None:
    """The accepted type ``stream``'s content is, or None; the stream is left at its start."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    try:
        if head.startswith(_ZIP_SIGNATURE):
            return _zip_type(stream)
        if head.startswith(_OLE_SIGNATURE):
            return _ole_type(stream)
        kind = filetype.guess(head)
        if kind is not None:
            return {"application/pdf": FileType.PDF, "image/jpeg": FileType.JPEG,
                    "image/png": FileType.PNG}.get(kind.mime)
        return None
    finally:
        stream.seek(0)


def _zip_type(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return ODF_MIMETYPES.get(_small_entry(archive, "mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                manifest = _small_entry(archive, "[Content_Types].xml").decode("utf-8", "replace")
                found = {kind for content_type, kind in OOXML_MAIN_PARTS.items()
                         if f'ContentType="{content_type}"' in manifest}
                return found.pop() if len(found) == 1 else None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


def _small_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _MAX_MANIFEST_BYTES:
        return b""
    with archive.open(info) as entry:
        return entry.read(_MAX_MANIFEST_BYTES)


def _ole_type(stream: BinaryIO) -> FileType | None:
    try:
        with olefile.OleFileIO(stream) as ole:
            streams = {"/".join(path) for path in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, IndexError, TypeError):  # olefile's complaints about a broken file
        return None
    if "EncryptedPackage" in streams:
        return None  # a password-protected OOXML file: its kind cannot be told, nor could anyone open it here
    if "WordDocument" in streams:
        return FileType.DOC
    if "Workbook" in streams or "Book" in streams:
        return FileType.XLS
    return None


def name_extension(name: str) -> str:
    """The ending of a file name, lower case without the dot ('' when it has none)."""
    stem, dot, ending = name.rpartition(".")
    ending = ending.lower()
    # 'jpg', 'docx', 'et': an ending; '扫描件', '01' (as in '工资条 2024.12.01'): part of the name.
    return ending if dot and stem and re.fullmatch(r"[a-z0-9]{1,5}", ending) and re.search("[a-z]", ending) else ""


def name_agrees(name: str, kind: FileType) -> bool:
    """Whether the name's ending (if it has one) is one of ``kind``'s."""
    ending = name_extension(name)
    return not ending or ending in EXTENSIONS[kind]


def accepted_extensions() -> list[str]:
    return [f".{ext}" for kind in FileType for ext in EXTENSIONS[kind]]
