"""Attaching evidence to a case and taking it off again (by hiding it, with a reason), and previews.

The verbs check everything first, then write the file to the store, then add the record and its
timeline event to the caller's transaction (the edge commits).  The file is in the store before the
record can be committed, so a record never points at a missing file; if the transaction is rolled back
instead, the file put for it is removed again (:func:`_discard_uploads_of_rolled_back_transactions`).
"""
from __future__ import annotations

import hashlib
import io
import threading
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from mediation.attachments import storage as stores
from mediation.attachments.filetypes import FileType, detect, name_agrees, name_extension
from mediation.attachments.models import Attachment, AttachmentKind
from mediation.audit.services import record_event
from mediation.cases.access import can_view_case
from mediation.cases.models import Case
from mediation.core.errors import Refused
from mediation.core.timeutil import utcnow
from mediation.extensions import db

NAME_LENGTH = 255
DESCRIPTION_LENGTH = 500
REASON_LENGTH = 2000
PREVIEW_SIZE = (480, 480)  # pixels: a thumbnail on the case page, sharp on a high-density screen at half


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def format_size(size: int) -> str:
    """1234567 → '1.2 MB' (the same in both languages)."""
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
    raise AssertionError("unreachable")


def too_large_message() -> str:
    return _("This file is too large: an attachment may be at most %(limit)s. Nothing has been saved.",
             limit=format_size(max_bytes()))


def accepted_types_message() -> str:
    return _("Attach a PDF, a JPEG or PNG image, or a Word or Excel document.")


def clean_name(name: str) -> str:
    """The file's own name: without a folder some browsers send with it, without control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > NAME_LENGTH:  # keep the ending
        ending = name_extension(name)
        keep = NAME_LENGTH - (len(ending) + 1 if ending else 0)
        name = name[:keep] + (f".{ending}" if ending else "")
    return name


def _size_of(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def may_add(case: Case, actor) -> bool:
    """Staff attach to any case; a lawyer only to the cases referred to them."""
    return actor is None or can_view_case(actor, case)


def add_attachment(case: Case, actor, *, file: BinaryIO, name: str, kind: AttachmentKind,
                   description: str = "") -> Attachment:
    """File ``file`` (a seekable binary stream) with the case as evidence of ``kind``.

    Refused, with nothing stored: an empty or too large file, a type not accepted (judged from the
    content), a name whose ending says another type than the content is.
    """
    if not may_add(case, actor):
        raise Refused(_("Only the lawyer this case was referred to may attach files to it."))
    name = clean_name(name)
    if not name:
        raise Refused(_("Choose a file to attach."), "file")
    size = _size_of(file)
    if size == 0:
        raise Refused(_("“%(name)s” is empty.", name=name), "file")
    if size > max_bytes():
        raise Refused(_("“%(name)s” is %(size)s: an attachment may be at most %(limit)s.", name=name,
                        size=format_size(size), limit=format_size(max_bytes())), "file")
    file_type = detect(file)
    if file_type is None:
        raise Refused(_("“%(name)s” is not a file of a type that can be attached (judged from its content). "
                        "%(accepted)s", name=name, accepted=accepted_types_message()), "file")
    if not name_agrees(name, file_type):
        raise Refused(_("“%(name)s” is named as a .%(ending)s file, but its content is a %(type)s. "
                        "Please check that it is the right file, or correct its name.",
                        name=name, ending=name_extension(name), type=file_type.label), "file")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise Refused(_("A description has at most %(n)d characters.", n=DESCRIPTION_LENGTH), "description")
    sha256 = _sha256(file)
    store = stores.current_storage()
    key = stores.new_key()
    store.put(key, file, content_type=file_type.mimetype)
    _remember_upload(store, key)
    attachment = Attachment(
        case_id=case.id, kind=kind, description=description, original_name=name, file_type=file_type,
        size_bytes=size, sha256=sha256, storage_key=key, uploaded_by_id=getattr(actor, "id", None),
        uploaded_at=utcnow(),
    )
    db.session.add(attachment)
    changes = {"attachment.name": [None, name], "attachment.kind": [None, kind.value],
               "attachment.size": [None, size]}
    if description:
        changes["attachment.description"] = [None, description]
    record_event(case, actor, "attachment_added", changes)
    return attachment


def hide_attachment(case: Case, actor, attachment: Attachment, *, reason: str) -> Attachment:
    """Take an attachment off the case: hidden from the list, kept for the audit (supervisors see it)."""
    if attachment.case_id != case.id:
        raise Refused(_("This attachment belongs to another case."))
    if attachment.hidden:
        raise Refused(_("“%(name)s” has already been taken off the case.", name=attachment.original_name))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason the attachment is taken off the case."), "reason")
    if len(reason) > REASON_LENGTH:
        raise Refused(_("A reason has at most %(n)d characters.", n=REASON_LENGTH), "reason")
    attachment.hidden_at = utcnow()
    attachment.hidden_by_id = getattr(actor, "id", None)
    attachment.hidden_reason = reason
    # The file stays, under its name: the event names it, and the reason is the event's note.
    record_event(case, actor, "attachment_hidden",
                 {"attachment.name": [attachment.original_name, attachment.original_name]}, note=reason)
    return attachment


def case_attachments(case: Case, *, include_hidden: bool) -> list[Attachment]:
    query = sa.select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
    if not include_hidden:
        query = query.where(Attachment.hidden_at.is_(None))
    return list(db.session.scalars(query))


def open_file(attachment: Attachment) -> BinaryIO:
    return stores.current_storage().open(attachment.storage_key)


# --- previews -------------------------------------------------------------------------------------

# PDFium is not thread-safe: one page rendered at a time in this process.
_PDFIUM = threading.Lock()


def preview_png(attachment: Attachment) -> bytes | None:
    """A small PNG of an image, or of a PDF's first page; None for Office documents and for files that
    cannot be drawn (a damaged or password-protected PDF, an image too large to open safely).

    Made once and kept in the store beside the file (previews of a file never change).
    """
    if not (attachment.file_type.is_image or attachment.file_type == FileType.PDF):
        return None
    store = stores.current_storage()
    key = stores.preview_key(attachment.storage_key)
    try:
        with store.open(key) as kept:
            return kept.read()
    except stores.MissingFile:
        pass
    with store.open(attachment.storage_key) as original:
        data = original.read()
    png = _image_preview(data) if attachment.file_type.is_image else _pdf_preview(data)
    if png is not None:
        store.put(key, io.BytesIO(png), content_type="image/png")
    return png


def _image_preview(data: bytes) -> bytes | None:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", PREVIEW_SIZE)  # a JPEG is decoded at a fraction of its size
            image = ImageOps.exif_transpose(image)  # a phone's photo the right way up
            image.thumbnail(PREVIEW_SIZE)
            return _png(image)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _pdf_preview(data: bytes) -> bytes | None:
    import pypdfium2

    from PIL import Image

    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            return None
        try:
            if len(document) == 0:
                return None
            page = document[0]
            width, height = page.get_size()
            scale = min(PREVIEW_SIZE[0] / max(width, 1), PREVIEW_SIZE[1] / max(height, 1), 4.0)
            image = page.render(scale=max(scale, 0.05)).to_pil()
        except pypdfium2.PdfiumError:
            return None
        finally:
            document.close()
    image.thumbnail(PREVIEW_SIZE, Image.Resampling.LANCZOS)
    return _png(image)


def _png(image) -> bytes:
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- files put by a transaction that is rolled back ------------------------------------------------

_UPLOADS = "mediation.attachment_uploads"


def _remember_upload(store, key: str) -> None:
    db.session().info.setdefault(_UPLOADS, []).append((store, key))


@event.listens_for(Session, "after_commit")
def _uploads_kept(session) -> None:
    session.info.pop(_UPLOADS, None)


@event.listens_for(Session, "after_soft_rollback")
def _discard_uploads_of_rolled_back_transactions(session, previous_transaction) -> None:
    if previous_transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    for store, key in session.info.pop(_UPLOADS, []):
        try:
            store.delete(key)
        except Exception:  # noqa: BLE001  (an unreferenced file left behind harms no one; the rollback goes on)
            current_app.logger.warning("could not remove the rolled-back upload %s", key, exc_info=True)
