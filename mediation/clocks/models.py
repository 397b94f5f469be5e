"""Each case's clocks, as last worked out (:mod:`mediation.clocks.store` keeps them current)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.extensions import db


class CaseDeadline(db.Model):
    """One clock of a case, as last worked out: kept current in the transaction of every change to the
    case, so that "what is overdue, what is due within N days" is one indexed query."""

    __tablename__ = "case_deadlines"
    __table_args__ = (
        sa.Index("ix_case_deadlines_open", "due_on", "case_id",
                 sqlite_where=sa.text("met_on IS NULL AND info = 0"),
                 postgresql_where=sa.text("met_on IS NULL AND NOT info")),
    )

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=0)
    due_on: Mapped[dt.date]
    met_on: Mapped[dt.date | None]
    # Information only (the optional joint arbitral review …): never overdue.
    info: Mapped[bool] = mapped_column(default=False)

    case = relationship("Case", viewonly=True)
