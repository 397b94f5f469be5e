"""`flask --app mediation calendar …` (CONTRACTS §7).  To be written."""
from __future__ import annotations

from mediation.core.edge import CommandGroup

calendar_cli = CommandGroup("calendar", help="The working calendar: the State Council's schedule.")
