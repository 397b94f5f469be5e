"""The one error a service raises for the user: a change the rules refuse.

Every domain's refusal (a forbidden move, a date out of order, a name already taken) is a
:class:`Refused`; the edge (:mod:`mediation.core.edge`) rolls the transaction back and shows the message
in the re-displayed form (web, 422) or as ``{"errors": {field: [message]}}`` (API).
"""
from __future__ import annotations


class Refused(Exception):
    """A change the rules refuse: ``message`` is ready to show (translated); ``field`` names the input it
    concerns (a form field or an API key), or is ``None`` for the change as a whole."""

    status = 422

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
