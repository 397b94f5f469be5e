"""The working calendar on the web (an administrator's page).  To be written."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar_admin", __name__, url_prefix="/admin/calendar")
