"""A case's life as data: statuses, and the one table of moves allowed between them.

Code (the services, the case page's buttons) and tests both read :data:`TRANSITIONS`.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mediation.core.errors import Refused


class Status(enum.Enum):
    RECEIVED = "received"          # 已登记
    ACCEPTED = "accepted"          # 已受理
    REJECTED = "rejected"          # 不予受理
    IN_MEDIATION = "in_mediation"  # 调解中
    MEDIATED = "mediated"          # 调解成功
    FAILED = "failed"              # 调解不成
    WITHDRAWN = "withdrawn"        # 撤回申请
    CLOSED = "closed"              # 已结案

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS[self]


STATUS_LABELS = {
    Status.RECEIVED: _l("Received"),
    Status.ACCEPTED: _l("Accepted"),
    Status.REJECTED: _l("Rejected"),
    Status.IN_MEDIATION: _l("In mediation"),
    Status.MEDIATED: _l("Mediated successfully"),
    Status.FAILED: _l("Mediation failed"),
    Status.WITHDRAWN: _l("Withdrawn"),
    Status.CLOSED: _l("Closed"),
}

# Chinese headings used by the ledger (CONTRACTS §2); fixed, not translated.
STATUS_ZH = {
    Status.RECEIVED: "已登记",
    Status.ACCEPTED: "已受理",
    Status.REJECTED: "不予受理",
    Status.IN_MEDIATION: "调解中",
    Status.MEDIATED: "调解成功",
    Status.FAILED: "调解不成",
    Status.WITHDRAWN: "撤回",
    Status.CLOSED: "已结案",
}

# from-status → {to-status: the action's name}.  Everything not listed is forbidden.
TRANSITIONS: dict[Status, dict[Status, str]] = {
    Status.RECEIVED: {
        Status.ACCEPTED: "accept",
        Status.REJECTED: "reject",
        Status.WITHDRAWN: "withdraw",
    },
    Status.ACCEPTED: {
        Status.IN_MEDIATION: "start_mediation",
        Status.MEDIATED: "record_agreement",
        Status.FAILED: "record_failure",
        Status.WITHDRAWN: "withdraw",
    },
    Status.IN_MEDIATION: {
        Status.MEDIATED: "record_agreement",
        Status.FAILED: "record_failure",
        Status.WITHDRAWN: "withdraw",
    },
    Status.MEDIATED: {Status.CLOSED: "close"},
    Status.FAILED: {Status.CLOSED: "close"},
    Status.WITHDRAWN: {Status.CLOSED: "close"},
    Status.REJECTED: {},
    Status.CLOSED: {},
}

# The outcome a case closes with follows from the status it closed from.
OUTCOME_STATUSES = (Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.REJECTED)


class Reason(enum.Enum):
    """Whether a move asks for a reason (kept on the case and shown on the timeline)."""

    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Action:
    label: object
    event: str      # the timeline event it writes
    reason: Reason


# Each action: its label, its timeline event, and whether it needs a reason.  The services check the
# reason from here, and the case page offers a reason field from here.
ACTIONS: dict[str, Action] = {
    "accept": Action(_l("Accept"), "accepted", Reason.NONE),
    "reject": Action(_l("Reject"), "rejected", Reason.REQUIRED),
    "withdraw": Action(_l("Record withdrawal"), "withdrawn", Reason.REQUIRED),
    "start_mediation": Action(_l("Start mediation"), "mediation_started", Reason.NONE),
    "record_agreement": Action(_l("Record agreement"), "mediated", Reason.NONE),
    "record_failure": Action(_l("Record mediation failed"), "mediation_failed", Reason.REQUIRED),
    "close": Action(_l("Close case"), "closed", Reason.OPTIONAL),
}
ACTION_LABELS = {name: action.label for name, action in ACTIONS.items()}


class TransitionError(Refused):
    """A move the workflow does not allow, or one refused for its dates or reason."""


def action_for(current: Status, target: Status) -> str | None:
    """The action that moves a case from ``current`` to ``target``, or ``None`` if none may."""
    return TRANSITIONS[current].get(target)


def allowed_targets(status: Status) -> dict[Status, str]:
    return TRANSITIONS[status]


def is_allowed(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


FINAL_STATUSES = tuple(status for status in Status if not TRANSITIONS[status])


def queue_tier_sql() -> str:
    """Queue order, as the database computes it for every case: open green-channel cases (0), then
    other open cases (1), then finished ones (2)."""
    final = ", ".join(f"'{status.value}'" for status in FINAL_STATUSES)
    return f"CASE WHEN status IN ({final}) THEN 2 WHEN green_channel THEN 0 ELSE 1 END"
