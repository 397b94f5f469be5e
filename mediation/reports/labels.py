"""What each figure of the summary is called on the page and in the command line's table."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# (key in summary_dict, label, unit): unit 'yuan' values are yuan strings, 'wan' a 万元 string.
FIGURES = [
    ("received", _l("Cases received"), "count"),
    ("accepted", _l("Accepted"), "count"),
    ("rejected", _l("Rejected"), "count"),
    ("mediated_success", _l("Mediated successfully"), "count"),
    ("mediation_failed", _l("Mediation failed"), "count"),
    ("withdrawn", _l("Withdrawn"), "count"),
    ("success_rate", _l("Success rate"), "rate"),
    ("workers_involved", _l("Workers involved"), "count"),
    ("received_claimed", _l("Amount claimed in cases received (yuan)"), "yuan"),
    ("mediated_success_claimed", _l("Amount involved in successful mediations (yuan)"), "yuan"),
    ("mediated_success_agreed", _l("Amount agreed (yuan)"), "yuan"),
    ("recovered", _l("Amount recovered (yuan)"), "yuan"),
    ("recovered_reversed", _l("Payments reversed in the period, already taken off (yuan)"), "yuan"),
    ("legal_aid_referred", _l("Legal aid referred"), "count"),
    ("legal_aid_completed", _l("Legal aid completed"), "count"),
    ("legal_aid_completed_amount", _l("Amount involved in completed legal aid (yuan)"), "yuan"),
    ("green_channel_received", _l("Green channel: received"), "count"),
    ("green_channel_closed", _l("Green channel: closed"), "count"),
    ("green_channel_rejected", _l("Green channel: applications rejected"), "count"),
    ("green_channel_median_days_to_close", _l("Green channel: median days to close"), "days"),
    ("green_channel_within_target_rate", _l("Green channel: share closed within target"), "rate"),
]

# The headline cards on the page: (key, label, key of the 万元 figure shown beneath, if any).
CARDS = [
    ("received", _l("Cases received"), None),
    ("mediated_success", _l("Mediated successfully"), "mediated_success_claimed_wan"),
    ("success_rate", _l("Success rate"), None),
    ("recovered", _l("Amount recovered (yuan)"), "recovered_wan"),
    ("legal_aid_completed", _l("Legal aid completed"), "legal_aid_completed_amount_wan"),
    ("green_channel_received", _l("Green channel: received"), None),
    ("workers_involved", _l("Workers involved"), None),
]

# Breakdown tables: (key in summary_dict, heading).
BREAKDOWNS = [
    ("by_dispute_category", _l("By kind of dispute (Art. 2)")),
    ("by_dispute_type", _l("By dispute type")),
    ("by_channel", _l("By intake channel")),
    ("by_street", _l("By street")),
]
