"""Helpers shared by the attachment tests: posting the case page's forms, reading what was kept."""
from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa

from mediation.attachments.models import Attachment
from mediation.audit.models import CaseEvent
from mediation.extensions import db
from tests.factories import csrf_from


def upload(client, case, content: bytes, name: str, kind: str = "contract", description: str = ""):
    token = csrf_from(client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True))
    return client.post(f"/cases/{case.case_no}/attachments?lang=en", content_type="multipart/form-data", data={
        "attachment-csrf_token": token, "attachment-kind": kind, "attachment-description": description,
        "attachment-file": (io.BytesIO(content), name)})


def hide(client, case, attachment_id: int, reason: str):
    token = csrf_from(client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True))
    return client.post(f"/cases/{case.case_no}/attachments/{attachment_id}/hide?lang=en",
                       data={f"hide{attachment_id}-csrf_token": token, f"hide{attachment_id}-reason": reason})


def attachments_of(case) -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case.id)
                                   .order_by(Attachment.id)))


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def events(case, kind: str) -> list[CaseEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                              CaseEvent.kind == kind)))


def file_url(case, attachment) -> str:
    return f"/cases/{case.case_no}/attachments/{attachment.id}/file"
