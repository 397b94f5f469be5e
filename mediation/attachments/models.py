"""Attachments: evidence filed with a case (a scanned contract, a pay slip, the signed agreement …)."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from mediation.attachments.filetypes import FileType
from mediation.audit.labels import label_values
from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class AttachmentKind(enum.Enum):
    CONTRACT = "contract"          # 劳动合同
    PAY_SLIP = "pay_slip"          # 工资条、工资发放记录
    SIGNED_AGREEMENT = "signed_agreement"  # 签署的调解协议书
    ID_COPY = "id_copy"            # 身份证复印件
    OTHER = "other"                # 其他证据材料

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    AttachmentKind.CONTRACT: _l("Labour contract"),
    AttachmentKind.PAY_SLIP: _l("Pay slip or pay record"),
    AttachmentKind.SIGNED_AGREEMENT: _l("Signed agreement"),
    AttachmentKind.ID_COPY: _l("Copy of ID card"),
    AttachmentKind.OTHER: _l("Other evidence"),
}

label_values(AttachmentKind, "attachment.kind")


class Attachment(db.Model):
    """One file filed with a case, kept for good.

    The file itself is in the attachment store (:mod:`mediation.attachments.storage`) under
    ``storage_key``, a name the app made up; ``original_name`` is what the user's file was called, shown
    and used for the download.  ``file_type`` is what the content is (never what the name says).
    An attachment is never deleted: taking one off the case hides it, with who, when and why (the
    supervisors still see it, marked hidden).
    """

    __tablename__ = "attachments"
    __table_args__ = (
        sa.Index("ix_attachments_case", "case_id", "id"),
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("hidden_at IS NULL OR hidden_reason <> ''", name="hidden_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[AttachmentKind] = mapped_column(enum_column(AttachmentKind, "attachment_kind"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    original_name: Mapped[str] = mapped_column(sa.String(255))
    file_type: Mapped[FileType] = mapped_column(enum_column(FileType, "attachment_file_type"))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")

    case = refers_to("Case")
    uploaded_by = refers_to("User", foreign_keys=[uploaded_by_id])
    hidden_by = refers_to("User", foreign_keys=[hidden_by_id])

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def download_name(self) -> str:
        """The original name, with its type's ending added when it had none."""
        from mediation.attachments.filetypes import name_extension

        if name_extension(self.original_name):
            return self.original_name
        return f"{self.original_name}.{self.file_type.extension}"


class AttachmentDeletedError(RuntimeError):
    pass


@event.listens_for(Attachment, "before_delete")
def _never_deleted(mapper, connection, target):
    raise AttachmentDeletedError("attachments are never deleted: hide them with a reason")
