"""Attaching evidence on the case page, serving it, previews, and taking it off the case."""
from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from mediation.attachments import services
from mediation.attachments.models import AttachmentKind
from mediation.attachments.storage import current_storage
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.extensions import db
from mediation.legal_aid.services import refer_to_legal_aid
from tests.attachments import samples
from tests.attachments.helpers import attachments_of, events, file_url, hide, stored_files, upload
from tests.factories import csrf_from, make_case, make_user, sign_in
from tests.sessions.casework import case_at


def test_a_scan_with_a_chinese_name_is_attached_listed_and_downloaded_unchanged(app, client, login, users):
    case = make_case(users["mediator"])
    version = case.version
    content = samples.pdf()
    login("mediator")
    response = upload(client, case, content, "劳动合同（扫描件）.pdf", description="2023年签订")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    [attachment] = attachments_of(case)
    assert (attachment.original_name, attachment.kind, attachment.size_bytes) == (
        "劳动合同（扫描件）.pdf", AttachmentKind.CONTRACT, len(content))
    assert attachment.uploaded_by_id == users["mediator"].id and attachment.uploaded_at is not None
    # Stored under a name the app made up, in instance/, never under the user's name or in static/.
    [stored] = stored_files(app)
    assert stored.name == attachment.storage_key and "劳动合同" not in str(stored)
    assert Path(app.instance_path) in stored.parents and stored.read_bytes() == content

    html = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "劳动合同（扫描件）.pdf" in html and "Labour contract" in html and "2023年签订" in html
    assert users["mediator"].name in html

    served = client.get(file_url(case, attachment))
    assert served.status_code == 200 and served.data == content
    assert served.mimetype == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    disposition = served.headers["Content-Disposition"]
    assert disposition.startswith("inline;")  # previewed in the browser
    assert f"filename*=UTF-8''{quote('劳动合同（扫描件）.pdf', safe='')}" in disposition
    assert client.get(file_url(case, attachment) + "?download=1").headers["Content-Disposition"].startswith(
        "attachment;")

    [event] = events(case, "attachment_added")
    assert event.changes == {"attachment.name": [None, "劳动合同（扫描件）.pdf"], "attachment.kind": [None, "contract"],
                             "attachment.size": [None, len(content)],
                             "attachment.description": [None, "2023年签订"]}
    assert event.actor_id == users["mediator"].id
    db.session.expire_all()
    assert db.session.get(Case, case.id).version > version  # a change to the case's record
    assert "Attachment added" in client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("make, name, mimetype", [
    (samples.docx, "调解协议.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (samples.xlsx, "工资表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.xls, "考勤记录.xls", "application/vnd.ms-excel"),
    (samples.doc, "情况说明.doc", "application/msword"),
])
def test_office_documents_are_downloads(make, name, mimetype, client, login, users):
    case = make_case(users["mediator"])
    content = make()
    login("supervisor")
    assert upload(client, case, content, name, kind="other").status_code == 302
    [attachment] = attachments_of(case)
    served = client.get(file_url(case, attachment))
    assert served.status_code == 200 and served.data == content
    assert served.mimetype == mimetype
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/cases/{case.case_no}/attachments/{attachment.id}/preview.png").status_code == 404


@pytest.mark.parametrize("content, name, message", [
    (samples.executable(), "工资条.pdf", "is not a file of a type that can be attached"),
    (samples.text(), "身份证.jpg", "is not a file of a type that can be attached"),
    (samples.plain_zip(), "证据.docx", "is not a file of a type that can be attached"),
    (samples.png(), "合同.pdf", "is named as a .pdf file, but its content is a PNG image"),
    (b"", "空白.pdf", "is empty"),
])
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(content, name, message, app, client,
                                                                          login, users):
    case = make_case(users["mediator"])
    login("mediator")
    response = upload(client, case, content, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and name in html
    assert 'id="attachment-file-error"' in html  # at the upload form, which is open
    assert attachments_of(case) == [] and stored_files(app) == [] and events(case, "attachment_added") == []


def test_no_file_chosen_is_refused(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    token = csrf_from(client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True))
    response = client.post(f"/cases/{case.case_no}/attachments?lang=en", data={
        "attachment-csrf_token": token, "attachment-kind": "contract"})
    assert response.status_code == 422
    assert "Choose a file to attach." in response.get_data(as_text=True)


@pytest.mark.parametrize("size, status", [
    (120 * 1024, 422),   # above the limit: the form is read, and the service refuses it
    (400 * 1024, 413),   # far above: refused before the request is read
])
def test_a_file_above_the_limit_is_refused_with_the_message_on_the_case_page(size, status, app, client, login,
                                                                             users):
    app.config["ATTACHMENT_MAX_BYTES"] = 100 * 1024
    case = make_case(users["mediator"])
    login("mediator")
    big = samples.png()[:-12] + bytes(size)  # a PNG's start, and then more
    response = upload(client, case, big, "工资条.png")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert "at most 100 KB" in html
    assert f"Case {case.case_no}" in html  # the case page, not an error page
    assert attachments_of(case) == [] and stored_files(app) == []


def test_a_file_far_above_the_limit_from_someone_who_may_not_attach_it_is_still_refused_plainly(app, client, users):
    app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024
    case = make_case(users["mediator"])
    big = {"attachment-kind": "other", "attachment-file": (io.BytesIO(bytes(200 * 1024)), "大文件.pdf")}
    anonymous = client.post(f"/cases/{case.case_no}/attachments", data=big, content_type="multipart/form-data")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    sign_in(client, users["lawyer"].username)  # the case is not referred to them
    big["attachment-file"] = (io.BytesIO(bytes(200 * 1024)), "大文件.pdf")
    lawyer = client.post(f"/cases/{case.case_no}/attachments", data=big, content_type="multipart/form-data")
    assert lawyer.status_code == 404
    assert attachments_of(case) == [] and stored_files(app) == []


def test_the_limit_is_the_attachment_limit_even_above_the_app_s_request_limit(app, client, login, users):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    case = make_case(users["mediator"])
    login("mediator")
    content = samples.jpeg(size=(2400, 1800))
    assert len(content) > 64 * 1024
    assert upload(client, case, content, "现场照片.jpg").status_code == 302
    assert [a.original_name for a in attachments_of(case)] == ["现场照片.jpg"]


def test_a_lawyer_sees_and_adds_files_only_on_the_cases_referred_to_them(app, client, login, users):
    referred = make_case(users["mediator"], worker_name="赵律援")
    other = make_case(users["mediator"], worker_name="钱未转")
    refer_to_legal_aid(referred, users["mediator"], lawyer=users["lawyer"])
    db.session.commit()
    services.add_attachment(other, users["mediator"], file=io.BytesIO(samples.png()), name="身份证.png",
                            kind=AttachmentKind.ID_COPY)
    db.session.commit()
    [theirs] = attachments_of(other)
    login("lawyer")
    assert client.get(file_url(other, theirs)).status_code == 404
    assert client.get(f"/cases/{other.case_no}/attachments/{theirs.id}/preview.png").status_code == 404
    # Not through a case they do see either: the attachment belongs to the other case.
    assert client.get(file_url(referred, theirs)).status_code == 404
    assert upload(client, referred, samples.jpeg(), "欠条.jpg", kind="other").status_code == 302
    [mine] = attachments_of(referred)
    assert mine.uploaded_by_id == users["lawyer"].id
    assert client.get(file_url(referred, mine)).data == samples.jpeg()
    assert len(attachments_of(other)) == 1


def test_a_lawyer_of_another_case_cannot_upload_to_it(app, client, users):
    case = make_case(users["mediator"])
    refer_to_legal_aid(case, users["mediator"], lawyer=make_user("lawyer", username="lawyer_b"))
    db.session.commit()
    sign_in(client, users["lawyer"].username)
    token = csrf_from(client.get("/?lang=en").get_data(as_text=True))
    response = client.post(f"/cases/{case.case_no}/attachments", content_type="multipart/form-data", data={
        "attachment-csrf_token": token, "attachment-kind": "other",
        "attachment-file": (io.BytesIO(samples.png()), "证据.png")})
    assert response.status_code == 404
    assert attachments_of(case) == [] and stored_files(app) == []


def test_hiding_needs_a_reason_and_keeps_the_file_for_the_record(app, client, login, users):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    content = samples.png()
    services.add_attachment(case, users["mediator"], file=io.BytesIO(content), name="工资条.png",
                            kind=AttachmentKind.PAY_SLIP)
    db.session.commit()
    [attachment] = attachments_of(case)
    login("mediator")

    refused = hide(client, case, attachment.id, "   ")
    assert refused.status_code == 422
    assert "Give the reason the attachment is taken off the case." in refused.get_data(as_text=True)
    assert not attachments_of(case)[0].hidden

    assert hide(client, case, attachment.id, "上传错了案件").status_code == 302
    [kept] = attachments_of(case)
    assert kept.hidden and kept.hidden_reason == "上传错了案件" and kept.hidden_by_id == users["mediator"].id
    assert current_storage().open(kept.storage_key).read() == content  # the file is kept
    [event] = events(case, "attachment_hidden")
    assert event.note == "上传错了案件" and event.changes["attachment.name"] == ["工资条.png", "工资条.png"]

    # Off the mediator's list, and no longer served to them …
    html = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "工资条.png" not in html.split('id="attachments"')[1].split("</section>")[0]
    assert client.get(file_url(case, kept)).status_code == 404
    assert hide(client, case, attachment.id, "再来一次").status_code == 404
    # … while a supervisor still sees it, marked hidden, with who hid it and why.
    supervisor = app.test_client()
    sign_in(supervisor, users["supervisor"].username)
    panel = supervisor.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True).split('id="attachments"')[1]
    assert "工资条.png" in panel and "Hidden" in panel and "上传错了案件" in panel
    assert users["mediator"].name in panel
    assert supervisor.get(file_url(case, kept)).data == content


def test_a_lawyer_may_not_hide(client, users, db):
    case = make_case(users["mediator"])
    refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"])
    services.add_attachment(case, users["mediator"], file=io.BytesIO(samples.png()), name="a.png",
                            kind=AttachmentKind.OTHER)
    db.session.commit()
    [attachment] = attachments_of(case)
    sign_in(client, users["lawyer"].username)
    assert hide(client, case, attachment.id, "不需要").status_code == 403
    assert not attachments_of(case)[0].hidden
    assert "Take off the case" not in client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("make, name", [(samples.jpeg, "现场照片.jpg"), (samples.png, "截图.png"),
                                        (samples.pdf, "仲裁申请书.pdf")])
def test_previews_answer_small_images(make, name, client, login, users):
    case = make_case(users["mediator"])
    services.add_attachment(case, users["mediator"], file=io.BytesIO(make()), name=name, kind=AttachmentKind.OTHER)
    db.session.commit()
    [attachment] = attachments_of(case)
    login("mediator")
    html = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    preview_url = f"/cases/{case.case_no}/attachments/{attachment.id}/preview.png"
    assert re.search(rf'<img src="{re.escape(preview_url)}"', html)
    for _ in range(2):  # made once, then kept beside the file
        response = client.get(preview_url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG" and max(image.size) <= services.PREVIEW_SIZE[0] and min(image.size) > 100
    assert current_storage().exists(f"{attachment.storage_key}.preview.png")


def test_an_upload_rolled_back_leaves_no_file_behind(app, users):
    case = make_case(users["mediator"])
    attachment = services.add_attachment(case, users["mediator"], file=io.BytesIO(samples.png()), name="a.png",
                                         kind=AttachmentKind.OTHER)
    assert current_storage().exists(attachment.storage_key)
    db.session.rollback()
    assert not current_storage().exists(attachment.storage_key)
    assert stored_files(app) == []


def test_attachments_are_never_deleted(users):
    case = make_case(users["mediator"])
    attachment = services.add_attachment(case, users["mediator"], file=io.BytesIO(samples.png()), name="a.png",
                                         kind=AttachmentKind.OTHER)
    db.session.commit()
    db.session.delete(attachment)
    with pytest.raises(RuntimeError, match="never deleted"):
        db.session.flush()
    db.session.rollback()
    assert len(attachments_of(case)) == 1
