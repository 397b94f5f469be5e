"""Small real files of each kind, made here (no binary fixtures in the repository)."""
from __future__ import annotations

import io
import struct
import zipfile

import pypdfium2
from openpyxl import Workbook
from PIL import Image


def png(size=(1200, 800), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg(size=(1600, 1200), colour=(30, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)  # A4 in points
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "工资条"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx() -> bytes:
    """The parts Word needs at least: the content types, the package relationship and the document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:t>劳动合同</w:t></w:r></w:p></w:body></w:document>'))
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return out.getvalue()


def compound_file(stream_name: str, size: int = 4096) -> bytes:
    """A legacy Office file (OLE2 compound file, version 3) holding one stream: 'WordDocument' makes a
    .doc, 'Workbook' an .xls, as far as anyone reading its directory can tell."""
    sector = 512
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors = -(-size // sector)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108  # the FAT is sector 0
    fat = [fat_sector, end] + [3 + i for i in range(data_sectors - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, no_stream,
                                                         child)
                + bytes(16) + struct.pack("<IQQIQ", 0, 0, 0, start, length))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, no_stream, 2, size)
                 + entry("", 0, no_stream, 0, 0) * 2)
    body = (b"\x01" * size).ljust(data_sectors * sector, b"\0")
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def doc() -> bytes:
    return compound_file("WordDocument")


def xls() -> bytes:
    return compound_file("Workbook")


def executable() -> bytes:
    """The start of a Windows program (MZ … PE)."""
    return b"MZ\x90\x00" + bytes(56) + b"PE\x00\x00" + bytes(2000)


def text() -> bytes:
    return "这是一个文本文件，不是扫描件。\n".encode() * 50
