"""A person's daily digest: what was overdue, due soon and on the day's agenda when it was made."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime
from mediation.extensions import db, refers_to


class Digest(db.Model):
    """One user's digest for one day, made once (a second run the same day keeps it as it is).

    ``items`` is a snapshot, so that the digest reads tomorrow as it read this morning: ``deadlines``
    (``case_no``, ``employer``, ``key``, ``seq``, ``due_on``, ``state``) and ``sessions`` (``held_at`` in
    UTC, ``case_no``, ``employer``, ``location``), and ``more``, how many deadlines the counts hold beyond
    those listed.  No worker's name, ID number or phone: case numbers and employers only.
    """

    __tablename__ = "digests"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "on"),
        sa.CheckConstraint("overdue >= 0 AND due_soon >= 0 AND sessions >= 0", name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    on: Mapped[dt.date]
    overdue: Mapped[int] = mapped_column(default=0)
    due_soon: Mapped[int] = mapped_column(default=0)
    sessions: Mapped[int] = mapped_column(default=0)
    items: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user = refers_to("User")

    @property
    def deadlines(self) -> list[dict]:
        """The deadlines listed, their ``due_on`` a date again."""
        listed = (self.items or {}).get("deadlines", [])
        return [{**d, "due_on": dt.date.fromisoformat(d["due_on"])} for d in listed]

    @property
    def agenda(self) -> list[dict]:
        """The day's sessions, their ``held_at`` a (UTC) datetime again."""
        listed = (self.items or {}).get("sessions", [])
        return [{**s, "held_at": dt.datetime.fromisoformat(s["held_at"])} for s in listed]

    @property
    def more(self) -> int:
        """How many deadlines the counts hold beyond those listed."""
        return (self.items or {}).get("more", 0)
