"""Legal-aid referrals (法律援助)."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.labels import label_values
from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class LegalAidStatus(enum.Enum):
    REFERRED = "referred"        # 已转介
    IN_PROGRESS = "in_progress"  # 办理中
    COMPLETED = "completed"      # 已办结
    DECLINED = "declined"        # 不予援助

    @property
    def label(self):
        return LEGAL_AID_LABELS[self]


LEGAL_AID_LABELS = {
    LegalAidStatus.REFERRED: _l("Referred"),
    LegalAidStatus.IN_PROGRESS: _l("In progress"),
    LegalAidStatus.COMPLETED: _l("Completed"),
    LegalAidStatus.DECLINED: _l("Declined"),
}
LEGAL_AID_ZH = {
    LegalAidStatus.REFERRED: "已转介",
    LegalAidStatus.IN_PROGRESS: "办理中",
    LegalAidStatus.COMPLETED: "已办结",
    LegalAidStatus.DECLINED: "不予援助",
}


label_values(LegalAidStatus, "legal_aid.status")


class LegalAidReferral(db.Model):
    __tablename__ = "legal_aid_referrals"
    __table_args__ = (
        sa.CheckConstraint("amount_fen >= 0", name="amount_nonnegative"),
        sa.CheckConstraint(
            "status <> 'completed' OR completed_on IS NOT NULL", name="completed_has_date"
        ),
        # One live referral a case; a referral reversed as a mistake stays, apart (reversed_on set).
        sa.Index("uq_legal_aid_referrals_live_case", "case_id", unique=True,
                 sqlite_where=sa.text("reversed_on IS NULL"), postgresql_where=sa.text("reversed_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[LegalAidStatus] = mapped_column(
        enum_column(LegalAidStatus, "legal_aid_status"), default=LegalAidStatus.REFERRED
    )
    lawyer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    referred_on: Mapped[dt.date] = mapped_column(index=True)
    completed_on: Mapped[dt.date | None] = mapped_column(index=True)
    # Legal Aid Law Art. 31: pay claims and confirming a labour relationship, with financial hardship.
    eligible_claim: Mapped[bool] = mapped_column(default=True)
    financial_hardship: Mapped[bool] = mapped_column(default=False)
    eligibility_note: Mapped[str] = mapped_column(sa.Text, default="")
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    result: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A referral made by mistake is reversed by a supervisor, with a reason: kept, no longer the case's.
    reversed_on: Mapped[dt.date | None]
    reversal_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reversed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case = relationship("Case")
    lawyer = refers_to("User", foreign_keys=[lawyer_id])
