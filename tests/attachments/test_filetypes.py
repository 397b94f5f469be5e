"""What a file is comes from its content: each accepted kind is told apart, anything else is not accepted."""
from __future__ import annotations

import io

import pytest

from mediation.attachments.filetypes import FileType, detect, name_agrees, name_extension
from tests.attachments import samples


@pytest.mark.parametrize("make, expected", [
    (samples.pdf, FileType.PDF),
    (samples.jpeg, FileType.JPEG),
    (samples.png, FileType.PNG),
    (samples.docx, FileType.DOCX),
    (samples.xlsx, FileType.XLSX),
    (samples.doc, FileType.DOC),
    (samples.xls, FileType.XLS),
    (samples.odt, FileType.ODT),
])
def test_each_accepted_kind_is_recognised_from_its_content(make, expected):
    stream = io.BytesIO(make())
    assert detect(stream) == expected
    assert stream.tell() == 0  # left where a reader starts


@pytest.mark.parametrize("make", [samples.executable, samples.text, samples.plain_zip,
                                  lambda: samples.compound_file("PowerPoint Document"),
                                  lambda: b"", lambda: b"%PD"])
def test_anything_else_is_not_an_accepted_kind(make):
    assert detect(io.BytesIO(make())) is None


def test_a_damaged_office_file_is_not_accepted():
    assert detect(io.BytesIO(samples.docx()[:300])) is None
    assert detect(io.BytesIO(samples.doc()[:600])) is None


@pytest.mark.parametrize("name, kind, agrees", [
    ("劳动合同.pdf", FileType.PDF, True),
    ("工资条.JPG", FileType.JPEG, True),
    ("工资条.jpeg", FileType.JPEG, True),
    ("身份证", FileType.PNG, True),              # no ending: the content decides
    ("工资条 2024.12.01", FileType.PNG, True),    # '01' is part of the name, not an ending
    ("合同.pdf", FileType.PNG, False),
    ("考勤表.xlsx", FileType.DOCX, False),
    ("考勤表.et", FileType.XLS, True),            # WPS's own spreadsheet ending
    ("program.exe", FileType.PDF, False),
])
def test_a_name_s_ending_must_agree_with_the_content(name, kind, agrees):
    assert name_agrees(name, kind) is agrees


def test_name_extension():
    assert name_extension("a.tar.GZ") == "gz"
    assert name_extension(".pdf") == ""
    assert name_extension("合同.扫描件") == ""
