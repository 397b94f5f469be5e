"""The outcome summary for a period (CONTRACTS §3; DOMAIN.md 'What a monthly outcome summary holds').

Each event counts on the date it happened, whatever the date the case was received.  All figures come
from a few grouped SQL queries; no case is loaded into Python, so a year of 100,000 cases stays fast.
The same dictionary is printed by ``flask report summary``, served by the API and shown on the page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import sqlalchemy as sa
from flask_babel import force_locale

from mediation.cases.models import CHANNEL_LABELS, CHANNEL_ZH, Channel
from mediation.cases.workflow import Status
from mediation.core.money import format_wan, format_yuan
from mediation.extensions import db
from mediation.reference.models import Campaign, DisputeType, Street
from mediation.settings.services import setting
from mediation.reports import queries
from mediation.reports.headlines import headline_en, headline_zh, median_text, percent

@dataclass(slots=True)
class Tally:
    """Counts and sums (fen) for one slice of the period's cases."""

    received: int = 0
    workers_involved: int = 0
    received_claimed: int = 0
    green_channel_received: int = 0
    decided: int = 0
    mediated_success: int = 0
    mediated_success_claimed: int = 0
    mediated_success_agreed: int = 0
    mediation_failed: int = 0
    withdrawn: int = 0
    green_channel_closed: int = 0
    green_channel_rejected: int = 0

    def add(self, other: Tally) -> None:
        for name in _TALLY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.decided)

    def as_row(self, key: str, label_zh: str, label_en: str) -> dict:
        return {
            "key": key, "label_zh": label_zh, "label_en": label_en,
            "received": self.received, "workers_involved": self.workers_involved,
            "received_claimed": format_yuan(self.received_claimed, grouping=False),
            "mediated_success": self.mediated_success,
            "mediated_success_claimed": format_yuan(self.mediated_success_claimed, grouping=False),
            "mediated_success_agreed": format_yuan(self.mediated_success_agreed, grouping=False),
            "mediation_failed": self.mediation_failed, "withdrawn": self.withdrawn,
            "success_rate": percent(self.mediated_success, self._ended),
        }

    @property
    def _ended(self) -> int:
        return self.mediated_success + self.mediation_failed + self.withdrawn


_TALLY_FIELDS = tuple(f.name for f in fields(Tally))


def summary_dict(start: dt.date, end: dt.date) -> dict:
    """The summary of ``start``…``end`` (both inclusive) as CONTRACTS §3's JSON object, plus breakdowns."""
    if start > end:
        raise ValueError("start is after end")
    scope = queries.scope_of(start, end)
    groups = _case_groups(scope)
    total = Tally()
    for _key, tally in groups:
        total.add(tally)
    events = queries.event_figures(scope)
    green_days = queries.green_days_to_close(scope)
    target = int(setting("green_close_days"))
    within_target = sum(n for days, n in green_days.items() if days <= target)
    ended = total.mediated_success + total.mediation_failed + total.withdrawn

    def yuan(fen: int) -> str:
        return format_yuan(fen, grouping=False)

    headline_args = (total.received, total.mediated_success, total.mediated_success_claimed,
                     events["legal_aid_completed"], events["legal_aid_completed_amount"])
    result = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "received": total.received,
        "accepted": events["accepted"],
        "rejected": events["rejected"],
        "mediated_success": total.mediated_success,
        "mediation_failed": total.mediation_failed,
        "withdrawn": total.withdrawn,
        "success_rate": percent(total.mediated_success, ended),
        "mediated_success_claimed": yuan(total.mediated_success_claimed),
        "mediated_success_agreed": yuan(total.mediated_success_agreed),
        "recovered": yuan(events["recovered"]),
        "legal_aid_referred": events["legal_aid_referred"],
        "legal_aid_completed": events["legal_aid_completed"],
        "legal_aid_completed_amount": yuan(events["legal_aid_completed_amount"]),
        "green_channel_received": total.green_channel_received,
        "green_channel_closed": total.green_channel_closed,
        "green_channel_rejected": total.green_channel_rejected,
        "workers_involved": total.workers_involved,
        "headline_zh": headline_zh(*headline_args),
        "headline_en": headline_en(*headline_args),
        # Beyond the contract: for the page, and for offices that want more than the headline.
        "received_claimed": yuan(total.received_claimed),
        "mediated_success_claimed_wan": format_wan(total.mediated_success_claimed),
        "mediated_success_agreed_wan": format_wan(total.mediated_success_agreed),
        "recovered_wan": format_wan(events["recovered"]),
        "recovered_reversed": yuan(events["recovered_reversed"]),  # already taken off ``recovered``
        "legal_aid_completed_amount_wan": format_wan(events["legal_aid_completed_amount"]),
        "green_channel_target_days": target,
        "green_channel_median_days_to_close": median_text(green_days),
        "green_channel_closed_within_target": within_target,
        "green_channel_within_target_rate": percent(within_target, total.green_channel_closed),
    }
    result.update(_breakdowns(groups))
    result["campaigns"] = _campaigns(start, end)
    return result


# --- folding the grouped rows ------------------------------------------------------------------------

GroupKey = tuple[int, Channel, int | None]


def _case_groups(scope: queries.Scope) -> list[tuple[GroupKey, Tally]]:
    """The period's cases received and decided, as tallies by dispute type, channel and street."""
    groups: dict[GroupKey, Tally] = {}
    for g in queries.case_groups(scope):
        tally = groups.setdefault((g.dispute_type_id, g.channel, g.street_id), Tally())
        if g.received:
            tally.received += g.cases
            tally.workers_involved += g.workers
            tally.received_claimed += g.claimed_fen
            tally.green_channel_received += g.cases if g.green_channel else 0
        if g.outcome is None:
            continue
        tally.decided += g.cases
        if g.green_channel:  # a rejected application was never taken up: reported apart from closures
            if g.outcome == Status.REJECTED:
                tally.green_channel_rejected += g.cases
            else:
                tally.green_channel_closed += g.cases
        if g.outcome == Status.MEDIATED:
            tally.mediated_success += g.cases
            tally.mediated_success_claimed += g.claimed_fen
            tally.mediated_success_agreed += g.agreed_fen
        elif g.outcome == Status.FAILED:
            tally.mediation_failed += g.cases
        elif g.outcome == Status.WITHDRAWN:
            tally.withdrawn += g.cases
    return list(groups.items())


def _campaigns(start: dt.date, end: dt.date) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Campaign).where(Campaign.starts_on <= end, Campaign.ends_on >= start)
        .order_by(Campaign.starts_on, Campaign.id)
    )
    return [{"name_zh": c.name_zh, "name_en": c.name_en, "starts_on": c.starts_on.isoformat(),
             "ends_on": c.ends_on.isoformat()} for c in rows]


# --- breakdowns --------------------------------------------------------------------------------------

def _breakdowns(groups: list[tuple[GroupKey, Tally]]) -> dict[str, list[dict]]:
    types = {t.id: t for t in db.session.scalars(sa.select(DisputeType).order_by(DisputeType.sort_order))}
    categories = {t.art2_item: t for t in types.values() if t.parent_id is None}
    streets = db.session.scalars(sa.select(Street).order_by(Street.sort_order, Street.name)).all()

    by_category = {item: Tally() for item in sorted(categories)}
    by_type: dict[int, Tally] = {}
    by_channel = {channel: Tally() for channel in Channel}
    by_street: dict[int | None, Tally] = {s.id: Tally() for s in streets if s.active}
    for (type_id, channel, street_id), tally in groups:
        by_category.setdefault(types[type_id].art2_item, Tally()).add(tally)
        by_type.setdefault(type_id, Tally()).add(tally)
        by_channel[channel].add(tally)
        by_street.setdefault(street_id, Tally()).add(tally)

    with force_locale("en"):
        channel_en = {channel: str(CHANNEL_LABELS[channel]) for channel in Channel}
    category_rows = []
    for item, tally in by_category.items():
        category = categories.get(item)
        category_rows.append(tally.as_row(
            category.code if category else f"art2_{item}",
            category.label_zh if category else "", category.label_en if category else ""))
    type_rows = [by_type[t.id].as_row(t.code, t.label_zh, t.label_en)
                 for t in types.values() if t.id in by_type]
    street_rows = [by_street[s.id].as_row(s.name, s.name, s.name_en or s.name)
                   for s in streets if s.id in by_street]
    if None in by_street and not by_street[None].is_empty:
        street_rows.append(by_street[None].as_row("", "未填街道", "No street given"))
    return {
        "by_dispute_category": category_rows,
        "by_dispute_type": type_rows,
        "by_channel": [by_channel[c].as_row(c.value, CHANNEL_ZH[c], channel_en[c]) for c in Channel],
        "by_street": street_rows,
    }
