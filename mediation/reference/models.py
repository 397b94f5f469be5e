"""Reference lists kept by the admin: dispute types, streets, campaign periods."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column

from mediation.audit.labels import label_ids
from mediation.extensions import db, refers_to


def _is_chinese() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "zh"


class DisputeType(db.Model):
    """Art. 2's six categories at the top (``parent_id`` empty), finer types beneath them."""

    __tablename__ = "dispute_types"
    __table_args__ = (sa.CheckConstraint("art2_item BETWEEN 1 AND 6", name="art2_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    label_zh: Mapped[str] = mapped_column(sa.String(100))
    label_en: Mapped[str] = mapped_column(sa.String(150))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dispute_types.id"))
    art2_item: Mapped[int]
    # A claim for pay (劳动报酬): a migrant worker's such claim enters the green channel by itself.
    is_pay_claim: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped[DisputeType | None] = refers_to(lambda: DisputeType, remote_side=[id])

    @property
    def is_category(self) -> bool:
        return self.parent_id is None

    @property
    def label(self) -> str:
        return self.label_zh if _is_chinese() else self.label_en


class Street(db.Model):
    """A street (街道) with its trade-union service station."""

    __tablename__ = "streets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(150), default="")
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        return self.name if _is_chinese() or not self.name_en else self.name_en


# The timeline shows each in the interface language.
label_ids(DisputeType, "dispute_type_id", name=lambda record: record.label)
label_ids(Street, "street_id", name=lambda record: record.label)


class Campaign(db.Model):
    """A campaign period, e.g. the green-channel drive before the Spring Festival."""

    __tablename__ = "campaigns"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(150))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]

    @property
    def label(self) -> str:
        return self.name_zh if _is_chinese() else self.name_en
