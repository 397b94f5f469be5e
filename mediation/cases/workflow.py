"""A case's life as data: statuses, and the one table of moves allowed between them.

Code (the services, the case page's buttons) and tests both read :data:`TRANSITIONS`.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


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

ACTION_LABELS = {
    "accept": _l("Accept"),
    "reject": _l("Reject"),
    "withdraw": _l("Record withdrawal"),
    "start_mediation": _l("Start mediation"),
    "record_agreement": _l("Record agreement"),
    "record_failure": _l("Record mediation failed"),
    "close": _l("Close case"),
}


class TransitionError(Exception):
    """A move the workflow does not allow; ``message`` is ready to show the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def allowed_targets(status: Status) -> dict[Status, str]:
    return TRANSITIONS[status]


def is_allowed(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


def queue_tier(status: Status, green_channel: bool) -> int:
    """Queue order: open green-channel cases, then other open cases, then finished ones."""
    if status.is_final:
        return 2
    return 0 if green_channel else 1
