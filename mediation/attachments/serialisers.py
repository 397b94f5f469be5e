"""Attachments as the API shows them (``GET /api/v1/cases/CASE_NO/attachments``)."""
from __future__ import annotations

from mediation.attachments.models import Attachment


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def attachment_json(attachment: Attachment) -> dict:
    return {
        "id": attachment.id,
        "name": attachment.original_name,
        "kind": attachment.kind.value,
        "kind_label": str(attachment.kind.label),
        "description": attachment.description,
        "type": attachment.file_type.value,
        "content_type": attachment.file_type.mimetype,
        "size": attachment.size_bytes,
        "sha256": attachment.sha256,
        "uploaded_at": _iso(attachment.uploaded_at),
        "uploaded_by": attachment.uploaded_by.name if attachment.uploaded_by else None,
        "hidden": attachment.hidden,
        "hidden_at": _iso(attachment.hidden_at),
        "hidden_by": attachment.hidden_by.name if attachment.hidden_by else None,
        "hidden_reason": attachment.hidden_reason or None,
    }
